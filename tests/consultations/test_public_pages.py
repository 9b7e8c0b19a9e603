import re
import textwrap
from datetime import datetime

import pytest

from consult.core.time import from_local


def test_home_lists_open_and_recent_consultations_but_not_drafts(client, create_consultation):
    create_consultation("open", title="Program otwarty")
    create_consultation("announced", title="Program zapowiedziany")
    create_consultation("closed", title="Program zamknięty")
    create_consultation("draft", title="Program w przygotowaniu")
    page = client.get("/").get_data(as_text=True)
    assert "Program otwarty" in page and "Program zapowiedziany" in page and "Program zamknięty" in page
    assert "Program w przygotowaniu" not in page
    assert page.index("Program otwarty") < page.index("Program zamknięty")


def test_consultation_page_shows_every_paragraph_with_label_and_anchor(client, create_consultation):
    consultation = create_consultation("open")
    response = client.get(f"/consultations/{consultation.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for key, label in [
        ("preambula-akapit-1", "Preambuła akapit 1"),
        ("par-1-pkt-2", "§ 1 pkt 2"),
        ("par-2-ust-2-pkt-2-lit-b", "§ 2 ust. 2 pkt 2 lit. b"),
    ]:
        assert f'id="p-{key}"' in page
        assert f'href="#p-{key}"' in page
        assert label in page
    assert "Rozdział II" in page and "Cele programu" in page
    assert "nowo powstałych." in page


def test_deadline_is_shown_in_kraków_time_with_the_time_left(client, create_consultation):
    consultation = create_consultation(
        "open", opens_at=from_local(datetime(2020, 11, 1, 8, 0)), closes_at=from_local(datetime(2099, 11, 30, 23, 59))
    )
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "30 listopada 2099, 23:59" in page
    assert re.search(r"\(pozostało \d+ (dzień|dni) \d+ (godzina|godziny|godzin)\)", page)


def test_english_on_request(client, create_consultation):
    consultation = create_consultation(
        "open", opens_at=from_local(datetime(2020, 11, 1, 8, 0)), closes_at=from_local(datetime(2099, 11, 30, 23, 59))
    )
    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "November 30, 2099" in page or "30 November 2099" in page
    assert re.search(r"\(\d+ days? \d+ hours? left\)", page)


@pytest.mark.parametrize("status", ["draft"])
def test_a_draft_consultation_is_not_found_by_the_public(client, create_consultation, status):
    consultation = create_consultation(status)
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404
    assert client.get("/consultations/no-such-thing").status_code == 404


def test_an_unpublished_version_is_not_public(client, db, create_consultation):
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft

    consultation = create_consultation("open")
    import_draft(consultation, parse_markdown("## Rozdział I\n\n§ 1. Nowy tekst."), None)
    db.session.commit()
    assert client.get(f"/consultations/{consultation.slug}/versions/1").status_code == 200
    assert client.get(f"/consultations/{consultation.slug}/versions/2").status_code == 404
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Nowy tekst" not in page


def _large_draft(chapters: int, paragraphs_per_section: int) -> str:
    lines = ["# Duży program", ""]
    number = 0
    for chapter in range(1, chapters + 1):
        lines += [f"## Rozdział {chapter}. Rozdział numer {chapter}", ""]
        number += 1
        lines.append(f"§ {number}. Przepis ogólny rozdziału {chapter}:")
        for point in range(1, paragraphs_per_section + 1):
            lines.append(f"{point}) punkt {point} w § {number};")
        lines.append("")
    return "\n".join(lines)


def test_consultation_page_runs_the_same_number_of_queries_for_a_small_and_a_large_draft(
    client, create_consultation, count_queries
):
    small = create_consultation("open", draft=_large_draft(2, 3))
    large = create_consultation("open", draft=_large_draft(20, 10))
    counts = []
    for consultation in (small, large):
        with count_queries() as counter:
            response = client.get(f"/consultations/{consultation.slug}")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    # consultation, versions, sections, paragraphs, where earlier versions' provisions are now, comments,
    # the documents, the position papers and the meetings
    assert counts[1] <= 10, counter.statements


def test_earlier_version_page_says_it_is_not_current(client, db, create_consultation):
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version

    consultation = create_consultation("open")
    publish_version(
        import_draft(
            consultation,
            parse_markdown(
                textwrap.dedent("""\
        ## Rozdział I

        § 1. Druga wersja.
        """)
            ),
            None,
        ),
        None,
        new_text_confirmed=True,
        comments_open_confirmed=True,
    )
    db.session.commit()
    old = client.get(f"/consultations/{consultation.slug}/versions/1").get_data(as_text=True)
    current = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Druga wersja." in current and "Druga wersja." not in old
    assert "/consultations/" + consultation.slug in old


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, create_consultation):
    import gzip

    consultation = create_consultation("open")
    plain = client.get(f"/consultations/{consultation.slug}")
    packed = client.get(f"/consultations/{consultation.slug}", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
