"""Finding one's way on a long consultation page: a table of contents, the provision's label before
its text, and links to the public moderation log and to the earlier versions of the draft."""

import re
import textwrap

from consult.drafts.importers import parse_markdown
from consult.drafts.operations import import_draft, publish_version


def _toc(page: str) -> str:
    match = re.search(r'<nav class="toc" aria-label="([^"]+)">(.*?)</nav>', page, re.S)
    assert match, "no table of contents"
    return match.group(1), match.group(2)


def test_a_table_of_contents_links_every_chapter_and_paragraph_unit_to_its_heading(client, create_consultation):
    consultation = create_consultation("open")
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    label, toc = _toc(page)
    assert label == "Spis treści"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    texts = [text.strip() for _, text in links]
    assert texts == ["Preambuła", "Rozdział I. Postanowienia ogólne", "§ 1", "Rozdział II. Cele programu", "§ 2"]
    for anchor, _ in links:
        assert page.count(f'id="{anchor}"') == 1, anchor
    # at the top: before the draft itself
    assert page.index('class="toc"') < page.index('id="draft-title"')
    english_label, _ = _toc(client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True))
    assert english_label == "Table of contents"


def test_the_provisions_label_comes_before_its_text(client, create_consultation):
    consultation = create_consultation("open")
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    item = re.search(r'<li class="paragraph level-\d" id="p-par-1-pkt-2">(.*?)</li>', page, re.S).group(1)
    label = item.index('<p class="paragraph-label">')
    assert "§ 1 pkt 2" in item[label : item.index("</p>", label)]
    assert label < item.index("programie – należy przez to rozumieć niniejszy program.")
    assert "paragraph-meta" not in page


def test_the_page_links_the_moderation_log_and_the_earlier_versions(client, db, create_consultation):
    consultation = create_consultation("open")
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}/moderation-log"' in page
    assert "Wcześniejsze wersje projektu" not in page  # one version: nothing earlier
    publish_version(
        import_draft(consultation, parse_markdown(textwrap.dedent("## Rozdział I\n\n§ 1. Druga wersja.\n")), None),
        None,
        new_text_confirmed=True,
        comments_open_confirmed=True,
    )
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Wcześniejsze wersje projektu" in page
    assert f'href="/consultations/{consultation.slug}/versions/1"' in page
    # the earlier version's own page does not offer itself as an earlier version
    old = client.get(f"/consultations/{consultation.slug}/versions/1").get_data(as_text=True)
    assert "Wcześniejsze wersje projektu" not in old
    assert client.get(f"/consultations/{consultation.slug}/moderation-log").status_code == 200
