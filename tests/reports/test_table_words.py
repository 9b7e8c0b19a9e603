"""The report's table never cuts a word in the middle ("Organi-zacja"); only an address may break."""

import re
from pathlib import Path

import pytest

from consult.core.templating import break_long_words

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "report.css"


def _rules(css: str) -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)
    return [(selector.strip(), body) for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def test_the_report_table_breaks_no_word_in_the_middle():
    rules = [(s, b) for s, b in _rules(CSS.read_text()) if ".report-table" in s]
    assert rules
    for selector, body in rules:
        assert "hyphens: auto" not in body and "break-all" not in body, selector
        if "overflow-wrap: anywhere" in body:
            assert selector == ".report-table .break-anywhere", selector


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("Organizacja uwzględniona", "Organizacja uwzględniona"),
        ("a <b> & c", "a &lt;b&gt; &amp; c"),
        (
            "Zob. https://bip.krakow.pl/?dok_id=167&sub_dok_id=167 oraz §\u00a03.",
            'Zob. <span class="break-anywhere">https://bip.krakow.pl/?dok_id=167&amp;sub_dok_id=167</span> oraz §\u00a03.',
        ),
        ("<" * 30, '<span class="break-anywhere">' + "&lt;" * 30 + "</span>"),
        ("wiersz\ndrugi", "wiersz\ndrugi"),
    ],
)
def test_only_a_run_of_30_characters_without_a_space_may_break_anywhere(text, html):
    assert str(break_long_words(text)) == html


def test_the_published_report_marks_a_long_address_in_a_comment(app, client, published_with_address):
    html = client.get(f"/consultations/{published_with_address}/report").get_data(as_text=True)
    assert '<span class="break-anywhere">https://example.org/' in html


@pytest.fixture()
def published_with_address(
    app, db, closed_consultation, official, create_organisation, create_comment, create_position
):
    from consult.reports.operations import publish_report

    comment = create_comment(
        closed_consultation,
        create_organisation("Fundacja Adresowa"),
        justification="Szczegóły: https://example.org/konsultacje/2027/uzasadnienie-do-paragrafu-trzeciego.pdf",
    )
    create_position(comment, reason="Uwzględniona.")
    with app.test_request_context():
        publish_report(closed_consultation, official)
    db.session.commit()
    return closed_consultation.slug
