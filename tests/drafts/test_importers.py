"""Draft importer: Markdown / plain text and .docx into the section/paragraph tree.

Pure functions, so no Flask app or database fixtures are used here.
"""

import io
import re
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from consult.core.errors import DraftImportError
from consult.drafts import importers
from consult.drafts.importers import (
    MAX_FILE_BYTES,
    ParsedDraft,
    parse_docx,
    parse_file,
    parse_markdown,
)

TITLE = "Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi na rok 2025"

SAMPLE = f"""\
# {TITLE}

## Preambuła

Gmina Miejska Kraków, kierując się zasadą pomocniczości,
uznaje organizacje pozarządowe za ważnego partnera.

Program jest wyrazem woli współdziałania mieszkańców.

## Rozdział I. Postanowienia ogólne

§ 1. Ilekroć w Programie jest mowa o:
1) ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego;
2) organizacjach – należy przez to rozumieć:
   a) organizacje pozarządowe,
   b) podmioty wymienione w art. 3 ust. 3 ustawy;
3) Gminie – należy przez to rozumieć Gminę Miejską Kraków.

§ 2.
1. Program określa cele, zasady i formy współpracy.
2. Współpraca obejmuje w szczególności:
   1) zlecanie realizacji zadań publicznych,
      w formie wspierania lub powierzania;
   2) konsultowanie projektów aktów prawa miejscowego:
      – w dziedzinach dotyczących działalności statutowej organizacji,
      – w sprawach rocznego programu współpracy;
3. Źródłem finansowania są środki budżetu Gminy.

Rozdział II
Cele programu

§ 3. 1. Celem głównym jest budowanie partnerstwa.
2. Cele szczegółowe:
1) zwiększanie udziału mieszkańców w życiu społecznym;
2) wzmacnianie potencjału organizacji.

### Zadania priorytetowe

Zadania priorytetowe określa załącznik.
"""

# (depth, kind, number, label, heading) in document order
SAMPLE_SECTIONS = [
    (0, "preamble", None, "Preambuła", None),
    (0, "chapter", "I", "Rozdział I", "Postanowienia ogólne"),
    (1, "paragraph", "1", "§ 1", None),
    (1, "paragraph", "2", "§ 2", None),
    (0, "chapter", "II", "Rozdział II", "Cele programu"),
    (1, "paragraph", "3", "§ 3", None),
    (1, "part", None, "Zadania priorytetowe", None),
]

# (label, number as written, level, text) in document order
SAMPLE_PARAGRAPHS = [
    (
        "Preambuła akapit 1",
        None,
        0,
        "Gmina Miejska Kraków, kierując się zasadą pomocniczości, uznaje organizacje pozarządowe za ważnego partnera.",
    ),
    ("Preambuła akapit 2", None, 0, "Program jest wyrazem woli współdziałania mieszkańców."),
    ("§ 1", None, 0, "Ilekroć w Programie jest mowa o:"),
    ("§ 1 pkt 1", "1)", 1, "ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego;"),
    ("§ 1 pkt 2", "2)", 1, "organizacjach – należy przez to rozumieć:"),
    ("§ 1 pkt 2 lit. a", "a)", 2, "organizacje pozarządowe,"),
    ("§ 1 pkt 2 lit. b", "b)", 2, "podmioty wymienione w art. 3 ust. 3 ustawy;"),
    ("§ 1 pkt 3", "3)", 1, "Gminie – należy przez to rozumieć Gminę Miejską Kraków."),
    ("§ 2 ust. 1", "1.", 0, "Program określa cele, zasady i formy współpracy."),
    ("§ 2 ust. 2", "2.", 0, "Współpraca obejmuje w szczególności:"),
    ("§ 2 ust. 2 pkt 1", "1)", 1, "zlecanie realizacji zadań publicznych, w formie wspierania lub powierzania;"),
    ("§ 2 ust. 2 pkt 2", "2)", 1, "konsultowanie projektów aktów prawa miejscowego:"),
    ("§ 2 ust. 2 pkt 2 tiret 1", "–", 3, "w dziedzinach dotyczących działalności statutowej organizacji,"),
    ("§ 2 ust. 2 pkt 2 tiret 2", "–", 3, "w sprawach rocznego programu współpracy;"),
    ("§ 2 ust. 3", "3.", 0, "Źródłem finansowania są środki budżetu Gminy."),
    ("§ 3 ust. 1", "1.", 0, "Celem głównym jest budowanie partnerstwa."),
    ("§ 3 ust. 2", "2.", 0, "Cele szczegółowe:"),
    ("§ 3 ust. 2 pkt 1", "1)", 1, "zwiększanie udziału mieszkańców w życiu społecznym;"),
    ("§ 3 ust. 2 pkt 2", "2)", 1, "wzmacnianie potencjału organizacji."),
    ("Zadania priorytetowe akapit 1", None, 0, "Zadania priorytetowe określa załącznik."),
]


def sections_of(draft: ParsedDraft) -> list[tuple]:
    return [(depth, s.kind, s.number, s.label, s.heading) for s, depth in draft.iter_sections()]


def paragraphs_of(draft: ParsedDraft) -> list[tuple]:
    return [(p.label, p.number, p.level, p.text) for _section, p in draft.iter_paragraphs()]


# --------------------------------------------------------------------------- Markdown


def test_sample_tree() -> None:
    draft = parse_markdown(SAMPLE)

    assert draft.title == TITLE
    assert sections_of(draft) == SAMPLE_SECTIONS
    assert paragraphs_of(draft) == SAMPLE_PARAGRAPHS
    assert draft.section_count == len(SAMPLE_SECTIONS)
    assert draft.paragraph_count == len(SAMPLE_PARAGRAPHS)


def test_paragraphs_belong_to_their_sections() -> None:
    draft = parse_markdown(SAMPLE)

    held_by = {p.label: section.label for section, p in draft.iter_paragraphs()}

    assert held_by["Preambuła akapit 2"] == "Preambuła"
    assert held_by["§ 1 pkt 2 lit. b"] == "§ 1"
    assert held_by["§ 3 ust. 2 pkt 2"] == "§ 3"
    assert held_by["Zadania priorytetowe akapit 1"] == "Zadania priorytetowe"


def test_outline_is_label_tab_text_cut_at_60_characters() -> None:
    outline = parse_markdown(SAMPLE).outline()

    assert len(outline) == len(SAMPLE_PARAGRAPHS)
    assert outline[1] == "Preambuła akapit 2\tProgram jest wyrazem woli współdziałania mieszkańców."
    assert outline[0] == "Preambuła akapit 1\tGmina Miejska Kraków, kierując się zasadą pomocniczości, uzn…"
    assert outline[12] == ("§ 2 ust. 2 pkt 2 tiret 1\tw dziedzinach dotyczących działalności statutowej organizacj…")


def test_outline_cut_does_not_leave_a_space_before_the_ellipsis() -> None:
    text = "a" * 59 + " tail"

    assert parse_markdown(text).outline() == ["Preambuła akapit 1\t" + "a" * 59 + "…"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "§ 5. Tekst paragrafu.\n\nDrugi akapit.",
            [("§ 5", None, 0, "Tekst paragrafu."), ("§ 5 akapit 2", None, 0, "Drugi akapit.")],
            id="same-line-text-is-the-unit-itself",
        ),
        pytest.param(
            "§ 5. 1) pierwszy punkt;",
            [("§ 5 pkt 1", "1)", 1, "pierwszy punkt;")],
            id="unit-starting-with-punkt",
        ),
        pytest.param(
            "§ 3.\n4) punkt bez ustępu;\n5) następny.",
            [("§ 3 pkt 4", "4)", 1, "punkt bez ustępu;"), ("§ 3 pkt 5", "5)", 1, "następny.")],
            id="punkt-without-ustep",
        ),
        pytest.param(
            "§ 4.\n1. pierwszy\n1. drugi\n1. trzeci",
            [
                ("§ 4 ust. 1", "1.", 0, "pierwszy"),
                ("§ 4 ust. 1 (2)", "1.", 0, "drugi"),
                ("§ 4 ust. 1 (3)", "1.", 0, "trzeci"),
            ],
            id="repeated-number-kept-label-made-unique",
        ),
        pytest.param(
            "§ 1.\n1. ust\n1) pkt\na) lit\n2. ust\na) lit bez punktu",
            [
                ("§ 1 ust. 1", "1.", 0, "ust"),
                ("§ 1 ust. 1 pkt 1", "1)", 1, "pkt"),
                ("§ 1 ust. 1 pkt 1 lit. a", "a)", 2, "lit"),
                ("§ 1 ust. 2", "2.", 0, "ust"),
                ("§ 1 ust. 2 lit. a", "a)", 2, "lit bez punktu"),
            ],
            id="new-ustep-resets-punkt-and-litera",
        ),
        pytest.param(
            "§ 1.\n1) x\n- a\n* b\n2) y\n— c",
            [
                ("§ 1 pkt 1", "1)", 1, "x"),
                ("§ 1 pkt 1 tiret 1", "-", 3, "a"),
                ("§ 1 pkt 1 tiret 2", "*", 3, "b"),
                ("§ 1 pkt 2", "2)", 1, "y"),
                ("§ 1 pkt 2 tiret 1", "—", 3, "c"),
            ],
            id="tirets-counted-and-kept-as-written",
        ),
        pytest.param(
            "§ 7.\n1a. wstawiony ustęp\n2a) wstawiony punkt\naa) podwójna litera",
            [
                ("§ 7 ust. 1a", "1a.", 0, "wstawiony ustęp"),
                ("§ 7 ust. 1a pkt 2a", "2a)", 1, "wstawiony punkt"),
                ("§ 7 ust. 1a pkt 2a lit. aa", "aa)", 2, "podwójna litera"),
            ],
            id="inserted-units",
        ),
        pytest.param(
            "    1) wcięty punkt\n1.  ustęp bez wcięcia",
            [
                ("Preambuła pkt 1", "1)", 1, "wcięty punkt"),
                ("Preambuła ust. 1", "1.", 0, "ustęp bez wcięcia"),
            ],
            id="indentation-is-not-significant",
        ),
        pytest.param(
            "Pierwszy wiersz,\ndrugi wiersz.\n\nNowy akapit\n\n\nJeszcze jeden.",
            [
                ("Preambuła akapit 1", None, 0, "Pierwszy wiersz, drugi wiersz."),
                ("Preambuła akapit 2", None, 0, "Nowy akapit"),
                ("Preambuła akapit 3", None, 0, "Jeszcze jeden."),
            ],
            id="continuation-lines-and-blank-lines",
        ),
        pytest.param(
            "**§ 1.** Program określa *cele* współpracy.\n\n1\\. Pierwszy ustęp.",
            [
                ("§ 1", None, 0, "Program określa *cele* współpracy."),
                ("§ 1 ust. 1", "1.", 0, "Pierwszy ustęp."),
            ],
            id="pandoc-bold-unit-and-escaped-number",
        ),
        pytest.param(
            "§ 2. Tekst.\n\n§ 5 ust. 2 otrzymuje brzmienie:",
            [("§ 2", None, 0, "Tekst."), ("§ 2 akapit 2", None, 0, "§ 5 ust. 2 otrzymuje brzmienie:")],
            id="cross-reference-is-not-a-new-unit",
        ),
        pytest.param(
            "Rozdział 3 stosuje się odpowiednio.",
            [("Preambuła akapit 1", None, 0, "Rozdział 3 stosuje się odpowiednio.")],
            id="sentence-starting-with-rozdzial-is-text",
        ),
        pytest.param(
            "Rozdział II\n\n1. Tekst rozdziału.",
            [("Rozdział II ust. 1", "1.", 0, "Tekst rozdziału.")],
            id="chapter-own-paragraphs",
        ),
        pytest.param(
            "Kwota 1.5 mln zł.\n\n2023 r. był rokiem …",
            [
                ("Preambuła akapit 1", None, 0, "Kwota 1.5 mln zł."),
                ("Preambuła akapit 2", None, 0, "2023 r. był rokiem …"),
            ],
            id="digits-without-numbering-form-are-text",
        ),
    ],
)
def test_paragraph_numbering(source: str, expected: list[tuple]) -> None:
    assert paragraphs_of(parse_markdown(source)) == expected


@pytest.mark.parametrize(
    ("source", "title", "sections"),
    [
        pytest.param(
            "# Uchwała nr XII/345/25\n\nNa podstawie art. 18 ustawy uchwala się:\n\n§ 1. Tekst.",
            "Uchwała nr XII/345/25",
            [(0, "preamble", None, "Preambuła", None), (0, "paragraph", "1", "§ 1", None)],
            id="text-before-any-section-is-the-preamble",
        ),
        pytest.param(
            "Wstęp do programu.\n\n# Nie tytuł\n\nTekst.",
            None,
            [(0, "preamble", None, "Preambuła", None), (0, "part", None, "Nie tytuł", None)],
            id="title-only-as-first-line",
        ),
        pytest.param(
            "## WSTĘP\n\nTekst.",
            None,
            [(0, "preamble", None, "Preambuła", None)],
            id="wstep-heading-opens-the-preamble",
        ),
        pytest.param(
            "ROZDZIAŁ IV – Zadania\n\n1. Tekst.\n\nRozdział 5: Środki\n\n2. Tekst.\n\nRozdział VI Ocena\n\n3. Tekst.",
            None,
            [
                (0, "chapter", "IV", "Rozdział IV", "Zadania"),
                (0, "chapter", "5", "Rozdział 5", "Środki"),
                (0, "chapter", "VI", "Rozdział VI", "Ocena"),
            ],
            id="chapter-title-separators",
        ),
        pytest.param(
            "## Rozdział I\n\n### Cele programu\n\n§ 1. Tekst.\n\n### Tryb\n\nTekst.",
            None,
            [
                (0, "chapter", "I", "Rozdział I", "Cele programu"),
                (1, "paragraph", "1", "§ 1", None),
                (1, "part", None, "Tryb", None),
            ],
            id="chapter-title-from-next-heading",
        ),
        pytest.param(
            "**Rozdział I**\n**Postanowienia ogólne**\n\n§ 1. Tekst.",
            None,
            [
                (0, "chapter", "I", "Rozdział I", "Postanowienia ogólne"),
                (1, "paragraph", "1", "§ 1", None),
            ],
            id="bold-chapter-lines",
        ),
        pytest.param(
            "Rozdział I\nProgram obejmuje następujące zadania:\n1) zadanie.",
            None,
            [(0, "chapter", "I", "Rozdział I", None)],
            id="introductory-line-is-not-a-chapter-title",
        ),
        pytest.param(
            "## Rozdział I. Cele\n\n### § 5. Zakres przedmiotowy\n\nTekst.\n\n## Załącznik\n\n§ 1. Inny.",
            None,
            [
                (0, "chapter", "I", "Rozdział I", "Cele"),
                (1, "paragraph", "5", "§ 5", "Zakres przedmiotowy"),
                (0, "part", None, "Załącznik", None),
                (0, "paragraph", "1", "§ 1", None),
            ],
            id="unit-heading-and-same-level-heading-ends-the-chapter",
        ),
    ],
)
def test_sections(source: str, title: str | None, sections: list[tuple]) -> None:
    draft = parse_markdown(source)

    assert draft.title == title
    assert sections_of(draft) == sections


def test_heading_unit_text_is_numbered_per_section() -> None:
    draft = parse_markdown("### § 5. Zakres\n\nPierwszy.\n\nDrugi.")

    assert [p.label for _s, p in draft.iter_paragraphs()] == ["§ 5 akapit 1", "§ 5 akapit 2"]


def test_same_label_in_two_units_of_the_same_number_is_made_unique() -> None:
    draft = parse_markdown("§ 1. Uchwała.\n\n## Załącznik\n\nTekst.\n\n§ 1. Program.")

    assert [p.label for _s, p in draft.iter_paragraphs()] == ["§ 1", "Załącznik akapit 1", "§ 1 (2)"]


# --------------------------------------------------------------------------- docx helpers


def docx_bytes(build: Callable[[WordDocument], None]) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_lines(document: WordDocument, *lines: str, style: str | None = None) -> Paragraph:
    """One Word paragraph whose lines are separated by soft breaks (Shift+Enter)."""
    paragraph = document.add_paragraph(lines[0], style=style)
    for line in lines[1:]:
        paragraph.add_run().add_break()
        paragraph.add_run(line)
    return paragraph


def add_num(document: WordDocument, abstract_id: str, start_override: int | None = None) -> int:
    """A new list instance (w:num) of an abstract list, as Word's "Restart numbering" makes."""
    numbering = document.part.numbering_part.element
    num_id = max(int(n) for n in numbering.xpath("w:num/@w:numId")) + 1
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
        if start_override is not None
        else ""
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
    )
    return num_id


def abstract_of_style(document: WordDocument, style: str) -> str:
    num_id = document.styles[style].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    return numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val")[0]


def set_numbering(paragraph: Paragraph, num_id: int, ilvl: int | None = None) -> None:
    """Give the paragraph its own w:numPr, as Word does for direct list formatting."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def build_sample(document: WordDocument) -> None:
    """SAMPLE as a Word user would write it: styles, typed and automatic numbering."""
    document.add_paragraph(TITLE, style="Title")
    document.add_heading("Preambuła", level=2)
    add_lines(
        document,
        "Gmina Miejska Kraków, kierując się zasadą pomocniczości,",
        "uznaje organizacje pozarządowe za ważnego partnera.",
    )
    document.add_paragraph("Program jest wyrazem woli współdziałania mieszkańców.")

    document.add_heading("Rozdział I. Postanowienia ogólne", level=2)
    # § 1: numbers typed by hand.
    for text in [
        "§ 1. Ilekroć w Programie jest mowa o:",
        "1) ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego;",
        "2) organizacjach – należy przez to rozumieć:",
        "a) organizacje pozarządowe,",
        "b)\tpodmioty wymienione w art. 3 ust. 3 ustawy;",
        "3) Gminie – należy przez to rozumieć Gminę Miejską Kraków.",
    ]:
        document.add_paragraph(text)
    document.add_paragraph("")
    # § 2: automatic numbering from the built-in list styles.
    document.add_paragraph("§\u00a02.")
    document.add_paragraph("Program określa cele, zasady i formy współpracy.", style="List Number")
    document.add_paragraph("Współpraca obejmuje w szczególności:", style="List Number")
    add_lines(
        document,
        "zlecanie realizacji zadań publicznych,",
        "w formie wspierania lub powierzania;",
        style="List Number 2",
    )
    document.add_paragraph("konsultowanie projektów aktów prawa miejscowego:", style="List Number 2")
    document.add_paragraph("w dziedzinach dotyczących działalności statutowej organizacji,", style="List Bullet")
    document.add_paragraph("w sprawach rocznego programu współpracy;", style="List Bullet")
    document.add_paragraph("Źródłem finansowania są środki budżetu Gminy.", style="List Number")

    document.add_paragraph("Rozdział II")
    document.add_paragraph("Cele programu")
    # § 3: ust. 1 typed on the § line, the list goes on from 2 ("Set numbering value").
    document.add_paragraph("§ 3. 1. Celem głównym jest budowanie partnerstwa.")
    restarted = add_num(document, abstract_of_style(document, "List Number"), start_override=2)
    set_numbering(document.add_paragraph("Cele szczegółowe:", style="List Number"), restarted)
    document.add_paragraph("zwiększanie udziału mieszkańców w życiu społecznym;", style="List Number 2")
    document.add_paragraph("wzmacnianie potencjału organizacji.", style="List Number 2")

    document.add_heading("Zadania priorytetowe", level=3)
    document.add_paragraph("Zadania priorytetowe określa załącznik.")


# --------------------------------------------------------------------------- docx


def test_docx_gives_the_same_tree_as_markdown() -> None:
    draft = parse_docx(docx_bytes(build_sample))

    assert draft.title == TITLE
    assert sections_of(draft) == SAMPLE_SECTIONS
    assert paragraphs_of(draft) == SAMPLE_PARAGRAPHS
    assert draft == parse_markdown(SAMPLE)


def test_docx_list_continues_across_units_like_word() -> None:
    def build(document: WordDocument) -> None:
        document.add_paragraph("§ 1.")
        document.add_paragraph("pierwszy", style="List Number")
        document.add_paragraph("drugi", style="List Number")
        document.add_paragraph("§ 2.")
        # Same list, not restarted: Word shows "3.", and that is what people comment on.
        document.add_paragraph("trzeci", style="List Number")
        document.add_paragraph("litera", style="List Number 3")

    assert paragraphs_of(parse_docx(docx_bytes(build))) == [
        ("§ 1 ust. 1", "1.", 0, "pierwszy"),
        ("§ 1 ust. 2", "2.", 0, "drugi"),
        ("§ 2 ust. 3", "3.", 0, "trzeci"),
        ("§ 2 ust. 3 lit. a", "a)", 2, "litera"),
    ]


MULTILEVEL_LIST = f"""\
<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2)"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%4."/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
</w:abstractNum>"""


def test_docx_multilevel_list_uses_ilvl() -> None:
    def build(document: WordDocument) -> None:
        numbering = document.part.numbering_part.element
        numbering.xpath("w:num")[0].addprevious(parse_xml(MULTILEVEL_LIST))
        num_id = add_num(document, "90")
        document.add_paragraph("§ 4. Gmina:")
        for ilvl, text in [
            (0, "ust"),
            (1, "pkt"),
            (2, "lit"),
            (2, "lit"),
            (3, "głębiej"),
            (4, "punktor"),
            (0, "ust"),
            (1, "pkt od nowa"),
        ]:
            set_numbering(document.add_paragraph(text, style="List Paragraph"), num_id, ilvl)
        # numId 0 switches the style's automatic numbering off.
        set_numbering(document.add_paragraph("2) wpisany ręcznie", style="List Number"), 0)
        # Text inside a table is not dropped.
        document.add_table(rows=1, cols=1).cell(0, 0).text = "Tekst w tabeli."

    assert paragraphs_of(parse_docx(docx_bytes(build))) == [
        ("§ 4", None, 0, "Gmina:"),
        ("§ 4 ust. 1", "1.", 0, "ust"),
        ("§ 4 ust. 1 pkt 1", "1)", 1, "pkt"),
        ("§ 4 ust. 1 pkt 1 lit. a", "a)", 2, "lit"),
        ("§ 4 ust. 1 pkt 1 lit. b", "b)", 2, "lit"),
        ("§ 4 ust. 1 pkt 1 lit. b tiret 1", "–", 3, "głębiej"),
        ("§ 4 ust. 1 pkt 1 lit. b tiret 2", "–", 3, "punktor"),
        ("§ 4 ust. 2", "2.", 0, "ust"),
        ("§ 4 ust. 2 pkt 1", "1)", 1, "pkt od nowa"),
        ("§ 4 ust. 2 pkt 2", "2)", 1, "wpisany ręcznie"),
        ("§ 4 akapit 2", None, 0, "Tekst w tabeli."),
    ]


TEXT_BOX_RUN = f"""\
<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>PROJEKT</w:t></w:r></w:p></w:txbxContent></mc:Choice>
    <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>PROJEKT</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def test_docx_text_box_is_read_once() -> None:
    def build(document: WordDocument) -> None:
        document.add_paragraph("Uchwała")._p.append(parse_xml(TEXT_BOX_RUN))
        document.add_paragraph("§ 1. Tekst.")

    assert parse_docx(docx_bytes(build)).outline() == [
        "Preambuła akapit 1\tUchwała",
        "Preambuła akapit 2\tPROJEKT",
        "§ 1\tTekst.",
    ]


def test_docx_empty_numbered_paragraph_still_counts() -> None:
    def build(document: WordDocument) -> None:
        document.add_paragraph("§ 1.")
        document.add_paragraph("pierwszy", style="List Number")
        document.add_paragraph("", style="List Number")
        document.add_paragraph("trzeci", style="List Number")

    numbers = [p.number for _s, p in parse_docx(docx_bytes(build)).iter_paragraphs()]

    assert numbers == ["1.", "3."]


def test_docx_title_over_several_paragraphs_and_polish_heading_style() -> None:
    def build(document: WordDocument) -> None:
        document.add_paragraph("UCHWAŁA NR XII/345/25", style="Title")
        document.add_paragraph("RADY MIASTA KRAKOWA", style="Title")
        document.styles.add_style("Nagłówek 2", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("Rozdział I. Cele", style="Nagłówek 2")
        document.add_paragraph("§ 1. Tekst.")

    draft = parse_docx(docx_bytes(build))

    assert draft.title == "UCHWAŁA NR XII/345/25 RADY MIASTA KRAKOWA"
    assert sections_of(draft) == [
        (0, "chapter", "I", "Rozdział I", "Cele"),
        (1, "paragraph", "1", "§ 1", None),
    ]


def rezip(data: bytes, part: str, edit: Callable[[bytes], bytes | None]) -> bytes:
    """The package with one part edited (or dropped when ``edit`` returns None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            content = edit(content) if name == part else content
            if content is not None:
                archive.writestr(name, content)
    return buffer.getvalue()


def replacing(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(content: bytes) -> bytes:
        assert old in content, "the edit must change the part"
        return content.replace(old, new)

    return edit


def test_docx_without_numbering_part() -> None:
    def build(document: WordDocument) -> None:
        document.add_paragraph("§ 1.")
        document.add_paragraph("1. wpisany ręcznie")
        document.add_paragraph("styl listy bez definicji listy", style="List Number")

    data = docx_bytes(build)
    data = rezip(data, "word/numbering.xml", lambda content: None)
    data = rezip(
        data,
        "word/_rels/document.xml.rels",
        lambda content: re.sub(rb"<Relationship [^>]*numbering\.xml\"/>", b"", content),
    )
    assert b"numbering" not in zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels")

    assert paragraphs_of(parse_docx(data)) == [
        ("§ 1 ust. 1", "1.", 0, "wpisany ręcznie"),
        ("§ 1 akapit 1", None, 0, "styl listy bez definicji listy"),
    ]


def two_level_list(document: WordDocument) -> None:
    document.add_paragraph("§ 1.")
    document.add_paragraph("pierwszy", style="List Number")
    num_id = document.styles["List Number"].element.pPr.numPr.numId.val
    set_numbering(document.add_paragraph("drugi"), num_id, ilvl=1)


@pytest.mark.parametrize(
    ("part", "old", "new", "numbers"),
    [
        pytest.param("word/document.xml", b"", b"", ["1.", "1)"], id="unchanged"),
        pytest.param(
            "word/document.xml",
            b'<w:ilvl w:val="1"/>',
            b'<w:ilvl w:val="-1"/>',
            ["1.", "2."],
            id="negative-ilvl",
        ),
        pytest.param(
            "word/document.xml",
            b'<w:numId w:val="5"/>',
            b'<w:numId w:val="x"/>',
            ["1.", None],
            id="bad-numId-is-no-list",
        ),
        pytest.param(
            "word/numbering.xml",
            b'<w:start w:val="1"/>',
            b'<w:start w:val="x"/>',
            ["1.", "1)"],
            id="bad-start",
        ),
        pytest.param(
            "word/styles.xml",
            b'<w:name w:val="Normal"/>',
            b'<w:name w:val="Normal"/><w:basedOn w:val="ListNumber"/>',
            ["1.", "2.", "1)"],  # Normal now inherits the list, so "§ 1." is numbered too
            id="styles-based-on-each-other",
        ),
        pytest.param(
            "word/numbering.xml",
            b'<w:abstractNumId w:val="7"/>',
            b'<w:abstractNumId w:val="7&apos;"/>',
            ["1.", "1)"],
            id="undefined-abstract-list",
        ),
    ],
)
def test_docx_malformed_numbering_is_tolerated(part: str, old: bytes, new: bytes, numbers: list) -> None:
    data = rezip(docx_bytes(two_level_list), part, replacing(old, new))

    assert [p.number for _s, p in parse_docx(data).iter_paragraphs()] == numbers


def test_docx_malformed_style_found_only_when_read_is_invalid() -> None:
    # python-docx opens the package fine and fails when it reads the style type.
    data = rezip(
        docx_bytes(two_level_list),
        "word/styles.xml",
        replacing(b'w:type="paragraph" w:default="1"', b'w:type="paragraf" w:default="1"'),
    )

    with pytest.raises(DraftImportError, match=r"\.docx"):
        parse_docx(data)


# --------------------------------------------------------------------------- parse_file


@pytest.mark.parametrize("filename", ["projekt.md", "PROJEKT.MD", "projekt.markdown", "projekt.txt"])
def test_parse_file_reads_text_formats(filename: str) -> None:
    assert parse_file(filename, SAMPLE.encode()) == parse_markdown(SAMPLE)


def test_parse_file_accepts_utf8_with_bom() -> None:
    assert parse_file("projekt.txt", b"\xef\xbb\xbf" + SAMPLE.encode()) == parse_markdown(SAMPLE)


def test_parse_file_reads_docx() -> None:
    assert parse_file("Projekt.DOCX", docx_bytes(build_sample)) == parse_markdown(SAMPLE)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def only_headings(document: WordDocument) -> None:
    document.add_heading("Rozdział I", level=2)
    document.add_heading("Cele", level=3)


@pytest.mark.parametrize(
    ("filename", "data", "word"),
    [
        pytest.param("projekt.md", b"", "empty", id="empty-file"),
        pytest.param("projekt.docx", b"", "empty", id="empty-docx"),
        pytest.param("projekt.txt", b" \n\t\r\n ", "empty", id="only-whitespace"),
        pytest.param("projekt.md", b"\xef\xbb\xbf", "empty", id="only-bom"),
        pytest.param("projekt.md", b"a" * (MAX_FILE_BYTES + 1), "5 MB", id="too-large"),
        pytest.param("projekt.pdf", b"%PDF-1.7", ".docx", id="unknown-extension"),
        pytest.param("projekt", b"tekst", ".md", id="no-extension"),
        pytest.param("projekt.txt", "Zażółć gęślą jaźń".encode("cp1250"), "UTF-8", id="cp1250"),
        pytest.param("projekt.txt", "Tekst".encode("utf-16"), "UTF-8", id="utf-16"),
        pytest.param("projekt.md", b"tekst\x00\x01\x02", "binary", id="binary"),
        pytest.param("projekt.docx", b"To nie jest zip.", ".docx", id="docx-not-zip"),
        pytest.param("projekt.docx", zip_bytes({"a.txt": b"x"}), ".docx", id="zip-not-docx"),
        pytest.param("projekt.docx", docx_bytes(lambda d: None), "no text", id="docx-no-text"),
        pytest.param("projekt.docx", docx_bytes(lambda d: d.add_paragraph("  ")), "no text", id="docx-blank"),
        pytest.param("projekt.docx", docx_bytes(only_headings), "No paragraphs", id="docx-no-structure"),
        pytest.param(
            "projekt.md",
            "# Tytuł\n\n## Rozdział I\n\n### Cele\n".encode(),
            "No paragraphs",
            id="markdown-no-structure",
        ),
    ],
)
def test_bad_input(filename: str, data: bytes, word: str) -> None:
    with pytest.raises(DraftImportError) as raised:
        parse_file(filename, data)

    assert word in raised.value.message


def test_unknown_extension_names_all_allowed_types() -> None:
    with pytest.raises(DraftImportError) as raised:
        parse_file("projekt.doc", b"x")

    assert ".md, .markdown, .txt, .docx" in raised.value.message
    assert "projekt.doc" in raised.value.message


def test_docx_unpacking_to_more_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = docx_bytes(build_sample)
    monkeypatch.setattr(importers, "MAX_DOCX_UNPACKED_BYTES", 1000)

    with pytest.raises(DraftImportError) as raised:
        parse_file("projekt.docx", data)

    assert "unpacked" in raised.value.message


def test_parse_markdown_rejects_blank_text() -> None:
    with pytest.raises(DraftImportError, match="empty"):
        parse_markdown("\n   \n")
