"""The report with a confirmed group and an accepted theme: one row group, a chapter, a column."""

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from jsonschema import Draft202012Validator

from consult.analysis import operations
from consult.analysis.jobs import run_analysis
from consult.analysis.models import DuplicateGroup, RunKind
from consult.core.time import utcnow
from consult.moderation.models import Position, PositionStatus
from consult.moderation.operations import publish_positions
from consult.reports.builder import report_from_json
from consult.reports.operations import publish_report

SCHEMA = Path(__file__).resolve().parent.parent.parent / "docs" / "report.schema.json"


def _published(db, setting, campaign):
    consultation, official, _orgs = setting
    run = operations.request_run(None, consultation, RunKind.GROUPS)
    db.session.commit()
    run_analysis(run.id)
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    operations.confirm_group(official, group)
    operations.answer_group(official, group, PositionStatus.REJECTED, "Stawki określa zarządzenie.")
    theme = operations.define_theme(official, consultation, "Czynsze za lokale", "Stawki czynszu za lokale komunalne.")
    operations.edit_theme(official, theme, theme.name, theme.description, "Miasto przejrzy stawki czynszu w 2027 r.")
    run = operations.request_run(None, consultation, RunKind.GROUPS)
    db.session.commit()
    run_analysis(run.id)
    publish_positions(official, db.session.scalars(sa.select(Position)).all())
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    published = publish_report(consultation, official)
    db.session.commit()
    return consultation, published


def test_the_report_lists_a_group_together_and_has_a_chapter_of_themes(client, db, setting, campaign):
    consultation, published = _published(db, setting, campaign)
    report = report_from_json(published.data)
    rows = list(report.rows())
    grouped = [row for row in rows if row.group]
    # One after the other, where the first of them stands (no. 3, on the draft as a whole, comes first).
    assert [row.number for row in grouped] == [3, 1, 2]
    assert rows.index(grouped[2]) - rows.index(grouped[0]) == 2
    assert [row.group_size for row in grouped] == [3, 0, 0]
    assert {row.position for row in grouped} == {"rejected"}  # each answered on its own row
    assert [(t.name, t.count, t.answer) for t in report.themes] == [
        ("Czynsze za lokale", 3, "Miasto przejrzy stawki czynszu w 2027 r.")
    ]
    page = client.get(f"/consultations/{consultation.slug}/report").get_data(as_text=True)
    assert "3 organizacje złożyły zasadniczo tę samą uwagę:" in page
    assert "5. Główne wątki uwag" in page and "Miasto przejrzy stawki czynszu w 2027 r." in page


def test_exports_carry_the_themes_and_the_groups(client, db, setting, campaign):
    consultation, _published_report = _published(db, setting, campaign)
    text = client.get(f"/consultations/{consultation.slug}/report.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][-2:] == ["Wątki", "Grupa tych samych uwag"]
    assert [row[-2:] for row in rows[1:4]] == [["Czynsze za lokale", "1"]] * 3  # the group, together
    assert rows[4][-2:] == ["", ""]
    data = json.loads(client.get(f"/consultations/{consultation.slug}/report.json").get_data(as_text=True))
    errors = list(Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(data))
    assert errors == []
    assert data["report"]["themes"][0]["organisations"] == ["Fundacja 0", "Fundacja 1", "Fundacja 2"]


def test_a_report_published_before_themes_existed_still_reads(db, setting, campaign):
    _consultation, published = _published(db, setting, campaign)
    data = json.loads(published.data)
    del data["themes"]
    for section in data["sections"]:
        for row in section["rows"]:
            del row["group"], row["group_size"], row["themes"]
    report = report_from_json(json.dumps(data))
    assert report.themes == () and all(row.group is None and row.themes == () for row in report.rows())
