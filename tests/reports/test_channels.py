"""Comments received another way in the report: counted per channel and marked in every format."""

import csv
import io
import json
from datetime import timedelta

import openpyxl
import pytest
from docx import Document as DocxDocument

from consult.comments.models import Channel, CommentKind
from consult.comments.operations import CommentData, LetterComment, LetterData, enter_letter
from consult.core.time import to_local, utcnow
from consult.extensions import db as _db


@pytest.fixture()
def report_with_a_letter(client, db, closed_consultation, create_organisation, create_comment, official, publish):
    """A closed consultation with one comment sent online and two entered from a paper letter."""
    closed_consultation.officials.append(official)
    db.session.commit()
    online = create_organisation("Fundacja Sieciowa")
    by_post = create_organisation("Koło Listowne")
    create_comment(closed_consultation, online, "§ 1 pkt 1")
    received_on = to_local(closed_consultation.closes_at - timedelta(days=2)).date()
    enter_letter(
        closed_consultation,
        official,
        LetterData(channel=Channel.PAPER, received_on=received_on, organisation=by_post),
        [
            LetterComment(0, None, CommentData(CommentKind.GENERAL, justification="Uwagi z listu.")),
            LetterComment(1, None, CommentData(CommentKind.GENERAL, justification="Druga uwaga z listu.")),
        ],
        now=utcnow(),
    )
    _db.session.commit()
    publish(closed_consultation, official)
    return closed_consultation, received_on


def test_the_report_counts_comments_per_channel_and_marks_the_entered_ones(client, report_with_a_letter):
    consultation, received_on = report_with_a_letter
    data = json.loads(client.get(f"/consultations/{consultation.slug}/report.json").get_data())["report"]
    assert {i["key"]: i["count"] for i in data["statistics"]["by_channel"]} == {
        "online": 1,
        "paper": 2,
        "email": 0,
        "epuap": 0,
        "meeting": 0,
    }
    rows = [row for group in data["sections"] for row in group["rows"]]
    assert sorted((r["channel"], r["received_on"]) for r in rows) == [
        ("online", ""),
        ("paper", received_on.isoformat()),
        ("paper", received_on.isoformat()),
    ]

    page = client.get(f"/consultations/{consultation.slug}/report?lang=en").get_data(as_text=True)
    assert "Comments received per channel" in page
    assert page.count("Entered by the office from a letter received on") == 2


def test_every_export_has_the_channel(client, report_with_a_letter):
    consultation, received_on = report_with_a_letter
    text = client.get(f"/consultations/{consultation.slug}/report.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    channel = rows[0].index("Sposób złożenia")
    received = rows[0].index("Data wpływu do urzędu")
    assert sorted((r[channel], r[received]) for r in rows[1:]) == [
        ("na platformie", ""),
        ("pismo papierowe", received_on.isoformat()),
        ("pismo papierowe", received_on.isoformat()),
    ]

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/consultations/{consultation.slug}/report.xlsx").data))
    values = [[c.value for c in row] for row in sheet["Uwagi"].iter_rows()]
    column = values[0].index("Sposób złożenia")
    assert sorted(row[column] for row in values[1:]) == ["na platformie", "pismo papierowe", "pismo papierowe"]

    document = DocxDocument(io.BytesIO(client.get(f"/consultations/{consultation.slug}/report.docx").data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    marked = [text for text in cells if "Wprowadzona przez urząd z pisma otrzymanego" in text]
    assert len(marked) == 2 and all(text.startswith("Koło Listowne") for text in marked)
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Uwagi według sposobu złożenia" in paragraphs
