"""A long report's PDF is typeset in parts and joined: the joined file must be the same
document as one typeset whole, tagged the same, with page numbers that run on."""

import collections
import io

import pikepdf
import pytest
from pypdf import PdfReader

from consult.reports.builder import report_from_json
from consult.reports.exporters import pdf
from consult.reports.exporters.outline import Table
from tests.reports.test_exports import _pdf_text, _squash


@pytest.fixture()
def whole_and_joined(app, filled_consultation, official, publish, monkeypatch):
    published = publish(filled_consultation, official)
    report = report_from_json(published.data)
    calls = []
    child = pdf._child

    def counting(command, *arguments):
        calls.append(command)
        return child(command, *arguments)

    monkeypatch.setattr(pdf, "_child", counting)
    files = {}
    with app.test_request_context():
        for name, rows in (("whole", pdf.PART_ROWS), ("joined", 2)):
            monkeypatch.setattr(pdf, "PART_ROWS", rows)
            calls.clear()
            stream = io.BytesIO()
            pdf.export(report, stream, sha256=published.sha256)
            files[name] = stream.getvalue()
            files[f"{name} children"] = list(calls)
    return files


def _structure(data: bytes) -> tuple[collections.Counter, list[pikepdf.Dictionary], pikepdf.Pdf]:
    document = pikepdf.open(io.BytesIO(data))
    kinds: collections.Counter = collections.Counter()
    elements = []
    stack = [document.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                kinds[str(kid.S)] += 1
                elements.append(kid)
                stack.append(kid)
    return kinds, elements, document


def test_the_report_is_typeset_in_parts_only_when_it_is_long(whole_and_joined):
    assert whole_and_joined["whole children"] == ["typeset"]
    # Three sections of one to three rows, two rows a part: three parts, the frames, the join.
    assert whole_and_joined["joined children"] == ["typeset"] * 4 + ["join"]


def test_the_joined_pdf_has_the_same_structure_as_the_whole_one(whole_and_joined):
    whole, _, _ = _structure(whole_and_joined["whole"])
    joined, elements, document = _structure(whole_and_joined["joined"])
    assert joined == whole
    assert joined["/TR"] > 6 and joined["/H1"] == 1

    # Every page's marked content leads back to elements of this file, on this page.
    tree = document.Root.StructTreeRoot
    numbers = tree.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    assert int(tree.ParentTreeNextKey) > max(parents)
    for page in document.pages:
        entry = parents[int(page.obj.StructParents)]
        for element in entry if isinstance(entry, pikepdf.Array) else [entry]:
            if element is not None and "/Pg" in element:
                assert element.Pg.objgen == page.obj.objgen

    # Table cells name header cells that exist, once each, across all the parts.
    ids = [str(element.ID) for element in elements if "/ID" in element]
    assert len(ids) == len(set(ids))
    named = tree.IDTree.Names
    id_tree = {str(named[i]) for i in range(0, len(named), 2)}
    assert set(ids) <= id_tree
    for element in elements:
        attributes = element.get("/A")
        for owner in attributes if isinstance(attributes, pikepdf.Array) else [attributes] if attributes else []:
            for header in owner.get("/Headers", []):
                assert str(header) in id_tree


def test_the_joined_pdf_reads_like_the_whole_one(whole_and_joined, filled_consultation, expected_rows):
    reader = PdfReader(io.BytesIO(whole_and_joined["joined"]))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and str(root["/Lang"]).startswith("pl")
    with pikepdf.open(io.BytesIO(whole_and_joined["joined"])) as document:
        assert str(document.open_metadata().get("pdfuaid:part")) == "1"  # identifies itself as PDF/UA-1

    text = _pdf_text(whole_and_joined["joined"])
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == len(reader.pages)
    for number, page in enumerate(pages, start=1):
        assert f"Strona {number} z {len(pages)}" in page
        assert "Program współpracy na rok 2027" in page.splitlines()[0]  # the running title
    squashed = _squash(text)
    positions = [
        squashed.index(_squash(row["justification"].splitlines()[0])) for row in expected_rows(filled_consultation)
    ]
    assert positions == sorted(positions)
    for heading in ("1.Przebiegkonsultacji", "3.Uwagiistanowiskaorganizatora", "4.Moderacja", "Zatwierdzenie"):
        assert heading in squashed

    def titles(data):
        with pikepdf.open(io.BytesIO(data)) as document, document.open_outline() as outline:
            found, stack = [], list(outline.root)
            while stack:
                item = stack.pop(0)
                found.append(item.title)
                stack[:0] = item.children
            return found

    assert titles(whole_and_joined["joined"]) == titles(whole_and_joined["whole"])


def test_parts_are_cut_between_tables_and_keep_what_comes_before_and_after():
    def table(rows):
        return {"type": "table", "rows": [{}] * rows}

    heading = {"type": "heading", "level": 1, "text": "3."}
    document = {
        "runs": [
            {"landscape": False, "blocks": [{"type": "text"}]},
            {"landscape": True, "blocks": [heading, table(3), table(2), table(5), table(1)]},
            {"landscape": False, "blocks": [{"type": "heading"}]},
        ]
    }
    parts = pdf.parts(document, rows=5)
    sizes = [[len(b["rows"]) for run in part["runs"] for b in run["blocks"] if b["type"] == "table"] for part in parts]
    assert sizes == [[3, 2], [5], [1]]
    assert parts[0]["runs"][0]["blocks"] == [{"type": "text"}] and parts[0]["runs"][1]["blocks"][0] == heading
    assert parts[-1]["runs"][-1]["blocks"] == [{"type": "heading"}]


def test_a_heading_goes_with_the_first_wide_table_onto_its_landscape_page():
    from consult.reports.exporters.outline import Heading, Text

    wide = Table("Rozdział I", ["Lp."], [], wide=True)
    runs = pdf.runs([Text("Wstęp."), Heading(1, "3. Uwagi"), Text("Uwagi w kolejności", note=True), wide])
    assert [(run["landscape"], [b["type"] for b in run["blocks"]]) for run in runs] == [
        (False, ["text"]),
        (True, ["heading", "text", "table"]),
    ]


def test_markup_typed_by_users_is_printed_as_it_is(
    client, closed_consultation, create_organisation, create_comment, official, publish
):
    typed = "#strong[x] $x^2$ *gwiazdki* _podkreślenie_ <etykieta> @odwołanie \\ ukośnik // komentarz"
    create_comment(
        closed_consultation, create_organisation("Fundacja #set text(red)"), "§ 2 ust. 1", justification=typed
    )
    publish(closed_consultation, official)
    text = _squash(_pdf_text(client.get(f"/consultations/{closed_consultation.slug}/report.pdf").get_data()))
    assert _squash(typed) in text and "Fundacja#settext(red)" in text
