"""Files are built once per version and format, in the background when large, with a
visible progress indicator; RQ when Redis is configured, a thread otherwise."""

import os
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.core.time import utcnow
from consult.reports.models import ExportStatus, ReportExport


@pytest.fixture()
def report(filled_consultation, official, publish):
    return publish(filled_consultation, official)


def _export(db, fmt):
    db.session.expire_all()
    return db.session.scalars(sa.select(ReportExport).where(ReportExport.format == fmt)).one()


def test_a_file_is_built_once_and_served_again_without_rebuilding(client, db, report, filled_consultation, monkeypatch):
    url = f"/consultations/{filled_consultation.slug}/report.docx"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Content-Disposition"] == f"attachment; filename=raport-{filled_consultation.slug}-v1.docx"
    built_at = _export(db, "docx").finished_at

    def must_not_run(*args, **kwargs):
        raise AssertionError("rebuilt")

    monkeypatch.setattr("consult.reports.exporters.docx.export", must_not_run)
    second = client.get(url)
    assert second.status_code == 200 and second.get_data() == first.get_data()
    assert _export(db, "docx").finished_at == built_at
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportExport)) == 1


def test_a_file_being_built_shows_its_progress(client, db, report, filled_consultation):
    db.session.add(ReportExport(report_id=report.id, format="pdf", status=ExportStatus.RUNNING, progress=40))
    db.session.commit()
    response = client.get(f"/consultations/{filled_consultation.slug}/report.pdf")
    assert response.status_code == 202
    page = response.get_data(as_text=True)
    assert '<progress id="export-progress" max="100" value="40">' in page
    assert 'aria-live="polite"' in page and "Gotowe w 40%." in page
    assert "Plik jest przygotowywany" in page
    status = client.get(f"/consultations/{filled_consultation.slug}/report/v1.pdf/status").get_json()
    assert status == {
        "status": "running",
        "progress": 40,
        "url": f"/consultations/{filled_consultation.slug}/report/v1.pdf",
    }


def test_a_large_report_is_built_in_a_background_thread(app, client, db, report, filled_consultation, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_INLINE_MAX_ROWS", 0)
    monkeypatch.setitem(app.config, "REPORT_JOBS", "thread")
    url = f"/consultations/{filled_consultation.slug}/report.odt"
    first = client.get(url)
    assert first.status_code in (200, 202)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/consultations/{filled_consultation.slug}/report/v1.odt/status").get_json()
        if status["status"] == "done":
            break
        time.sleep(0.2)
    assert status["status"] == "done" and status["progress"] == 100
    response = client.get(url)
    assert response.status_code == 200 and response.get_data()[:2] == b"PK"


def test_a_failed_build_says_so_and_the_next_request_tries_again(client, db, report, filled_consultation, monkeypatch):
    import consult.reports.exporters.xlsx as xlsx

    working = xlsx.export

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(xlsx, "export", broken)
    url = f"/consultations/{filled_consultation.slug}/report.xlsx"
    response = client.get(url)
    assert response.status_code == 503
    assert "Nie udało się przygotować pliku" in response.get_data(as_text=True)
    assert _export(db, "xlsx").status == ExportStatus.FAILED
    assert "disk full" in _export(db, "xlsx").error
    monkeypatch.setattr(xlsx, "export", working)
    assert client.get(url).status_code == 200


def test_a_job_silent_for_too_long_is_started_again(client, db, report, filled_consultation):
    db.session.add(
        ReportExport(
            report_id=report.id,
            format="csv",
            status=ExportStatus.RUNNING,
            progress=10,
            created_at=utcnow() - timedelta(hours=2),
        )
    )
    db.session.commit()
    response = client.get(f"/consultations/{filled_consultation.slug}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_with_redis_the_file_is_built_by_an_rq_worker(app, client, db, report, filled_consultation, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from consult.reports.jobs import QUEUE_NAME

    monkeypatch.setitem(app.config, "REDIS_URL", os.environ["TEST_REDIS_URL"])
    monkeypatch.setitem(app.config, "REPORT_INLINE_MAX_ROWS", 0)
    connection = Redis.from_url(os.environ["TEST_REDIS_URL"])
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()
    url = f"/consultations/{filled_consultation.slug}/report.pdf"
    assert client.get(url).status_code == 202
    assert _export(db, "pdf").status == ExportStatus.QUEUED
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    response = client.get(url)
    assert response.status_code == 200 and response.get_data()[:5] == b"%PDF-"
