"""Files are built once per version and format, in the background when large, with a
visible progress indicator; RQ when Redis is configured, a thread otherwise."""

import os
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.core.models import AuditEntry
from consult.core.time import utcnow
from consult.extensions import db as db_module
from consult.reports import jobs
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


def test_a_failed_build_says_so_and_a_reload_starts_nothing(
    client, db, report, filled_consultation, monkeypatch, login, official
):
    import consult.reports.exporters.xlsx as xlsx

    working, calls = xlsx.export, []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(xlsx, "export", broken)
    url = f"/consultations/{filled_consultation.slug}/report.xlsx"
    for _reload in range(3):  # a visitor reloading: told each time, built once
        response = client.get(url)
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Plik jest niedostępny" in page and "Urząd prowadzący konsultacje" in page
        assert "disk full" not in page and "/retry" not in page  # the error and the button are the office's
        assert 'href="/consultations/program-2027/report/v1.pdf"' in page  # the other formats are offered
    assert len(calls) == 1
    assert _export(db, "xlsx").status == ExportStatus.FAILED and "disk full" in _export(db, "xlsx").error
    assert (
        client.get(f"/consultations/{filled_consultation.slug}/report/v1.xlsx/status").get_json()["status"] == "failed"
    )

    login(official)
    builder = client.get(f"/manage/consultations/{filled_consultation.slug}/report").get_data(as_text=True)
    assert "nie udało się przygotować" in builder and "disk full" in builder  # the office is told
    page = client.get(url).get_data(as_text=True)
    assert "disk full" in page and 'action="/consultations/program-2027/report/v1.xlsx/retry"' in page
    monkeypatch.setattr(xlsx, "export", working)
    retried = client.post(f"/consultations/{filled_consultation.slug}/report/v1.xlsx/retry")
    assert retried.status_code == 302 and retried.headers["Location"].endswith("/report/v1.xlsx")
    assert _export(db, "xlsx").status == ExportStatus.DONE
    assert client.get(url).status_code == 200
    audit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "report_export.retry")).one()
    assert audit.actor_id == official.id
    # Done: nothing to start again, and nothing is started.
    assert client.post(f"/consultations/{filled_consultation.slug}/report/v1.xlsx/retry").status_code == 302
    told = client.get(f"/consultations/{filled_consultation.slug}/report").get_data(as_text=True)
    assert "już przygotowywany ponownie albo jest gotowy" in told
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "report_export.retry")
        )
        == 1
    )


@pytest.mark.parametrize("who", ["anonymous", "member", "official_outside_the_team"])
def test_only_the_team_may_start_a_failed_file_again(client, db, report, filled_consultation, login, create_user, who):
    db.session.add(ReportExport(report_id=report.id, format="pdf", status=ExportStatus.FAILED, error="boom"))
    db.session.commit()
    if who != "anonymous":
        login(create_user(UserRole.OFFICIAL if who.startswith("official") else UserRole.MEMBER))
    response = client.post(f"/consultations/{filled_consultation.slug}/report/v1.pdf/retry")
    assert response.status_code == 403
    assert _export(db, "pdf").status == ExportStatus.FAILED


def test_a_build_silent_for_too_long_is_shown_as_failed_and_can_be_started_again(
    app, client, db, report, filled_consultation, login, official
):
    silent = utcnow() - timedelta(seconds=jobs.heartbeat_every(app) * jobs.MISSED_HEARTBEATS + 5)
    db.session.add(
        ReportExport(report_id=report.id, format="csv", status=ExportStatus.RUNNING, progress=10, heartbeat_at=silent)
    )
    db.session.commit()
    status = client.get(f"/consultations/{filled_consultation.slug}/report/v1.csv/status").get_json()
    assert status["status"] == "failed"  # the waiting page reloads and says so
    assert "no sign of life" in _export(db, "csv").error
    assert client.get(f"/consultations/{filled_consultation.slug}/report.csv").status_code == 503
    login(official)
    assert client.post(f"/consultations/{filled_consultation.slug}/report/v1.csv/retry").status_code == 302
    response = client.get(f"/consultations/{filled_consultation.slug}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"


def test_a_build_still_beating_is_left_alone(app, client, db, report, filled_consultation):
    recent = utcnow() - timedelta(seconds=jobs.heartbeat_every(app))
    db.session.add(
        ReportExport(report_id=report.id, format="pdf", status=ExportStatus.RUNNING, progress=10, heartbeat_at=recent)
    )
    db.session.add(
        ReportExport(
            report_id=report.id, format="odt", status=ExportStatus.QUEUED, heartbeat_at=utcnow() - timedelta(minutes=5)
        )
    )
    db.session.commit()
    assert client.get(f"/consultations/{filled_consultation.slug}/report.pdf").status_code == 202
    assert client.get(f"/consultations/{filled_consultation.slug}/report.odt").status_code == 202  # waiting its turn
    assert _export(db, "pdf").status == ExportStatus.RUNNING and _export(db, "odt").status == ExportStatus.QUEUED


def test_the_running_build_beats_and_a_second_job_for_the_same_file_does_nothing(app, db, report, monkeypatch):
    import consult.reports.exporters.json as json_exporter

    monkeypatch.setitem(app.config, "REPORT_HEARTBEAT_SECONDS", 0.05)
    working, seen = json_exporter.export, {}

    def slow(report_data, stream, progress, **kwargs):
        first = _heartbeat(app, report.id)
        jobs.build_export(report.id, "json")  # the same job started twice (two workers): the second leaves
        time.sleep(0.4)
        seen["beats"] = (first, _heartbeat(app, report.id))
        working(report_data, stream, progress, **kwargs)

    monkeypatch.setattr(json_exporter, "export", slow)
    db.session.add(ReportExport(report_id=report.id, format="json", status=ExportStatus.QUEUED))
    db.session.commit()
    jobs.build_export(report.id, "json")
    first, later = seen["beats"]
    assert later > first  # the heartbeat thread wrote while the exporter was busy
    export = _export(db, "json")
    assert export.status == ExportStatus.DONE and export.content


def _heartbeat(app, report_id):
    with app.app_context():
        try:
            return db_module.session.scalar(
                sa.select(ReportExport.heartbeat_at).where(ReportExport.report_id == report_id)
            )
        finally:
            db_module.session.remove()


def test_a_job_declared_dead_cannot_overwrite_the_build_that_replaced_it(app, db, report, monkeypatch):
    import consult.reports.exporters.csv as csv_exporter

    working = csv_exporter.export

    def overtaken(report_data, stream, progress, **kwargs):
        with app.app_context():  # meanwhile: declared dead, started again by an official
            db_module.session.execute(
                sa.update(ReportExport).values(status=ExportStatus.RUNNING, heartbeat_at=utcnow(), progress=50)
            )
            db_module.session.commit()
            db_module.session.remove()
        working(report_data, stream, progress, **kwargs)

    monkeypatch.setattr(csv_exporter, "export", overtaken)
    db.session.add(ReportExport(report_id=report.id, format="csv", status=ExportStatus.QUEUED))
    db.session.commit()
    jobs.build_export(report.id, "csv")
    export = _export(db, "csv")
    assert export.status == ExportStatus.RUNNING and export.content is None and export.progress == 50


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


def test_two_officials_pressing_try_again_at_once_queue_one_build(app, db, report, official):
    """Each in a transaction of its own, as two requests: the second waits for the first's
    row lock (PostgreSQL) or write lock (SQLite), then finds the file queued and is told so."""
    from consult.core.errors import Conflict
    from consult.reports.models import PublishedReport
    from consult.reports.operations import retry_export

    db.session.add(ReportExport(report_id=report.id, format="pdf", status=ExportStatus.FAILED, error="boom"))
    db.session.commit()
    report_id, official_id = report.id, official.id
    first_updated, release = threading.Event(), threading.Event()
    results = {}

    def press(name: str, before_commit=None) -> None:
        with app.app_context():
            try:
                from consult.accounts.models import User

                actor = db_module.session.get(User, official_id)
                retry_export(actor, db_module.session.get(PublishedReport, report_id), "pdf")
                if before_commit:
                    before_commit()
                db_module.session.commit()
                results[name] = "queued"
            except Conflict:
                db_module.session.rollback()
                results[name] = "refused"
            finally:
                db_module.session.remove()

    def hold() -> None:
        first_updated.set()
        release.wait(10)

    first = threading.Thread(target=press, args=("first", hold))
    first.start()
    assert first_updated.wait(10)
    second = threading.Thread(target=press, args=("second",))
    second.start()
    time.sleep(0.5)  # the second is now waiting for the first's lock
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"first": "queued", "second": "refused"}
    assert _export(db, "pdf").status == ExportStatus.QUEUED
    count = sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "report_export.retry")
    assert db.session.scalar(count) == 1


def test_two_first_requests_for_a_file_at_once_make_one_row_and_one_build(app, db, report):
    """The second insert waits for the first (its unique index entry), is refused inside a
    savepoint, and returns the first one's row without queueing anything."""
    from consult.reports.models import PublishedReport
    from consult.reports.operations import request_export

    report_id = report.id
    first_inserted, release = threading.Event(), threading.Event()
    results = {}

    def ask(name: str, before_commit=None) -> None:
        with app.app_context():
            try:
                export, queued = request_export(db_module.session.get(PublishedReport, report_id), "docx")
                if before_commit:
                    before_commit()
                db_module.session.commit()
                results[name] = (export.id, queued)
            finally:
                db_module.session.remove()

    def hold() -> None:
        first_inserted.set()
        release.wait(10)

    first = threading.Thread(target=ask, args=("first", hold))
    first.start()
    assert first_inserted.wait(10)
    second = threading.Thread(target=ask, args=("second",))
    second.start()
    time.sleep(0.5)  # the second is now waiting on the first's insert
    release.set()
    first.join(10)
    second.join(10)
    assert results["first"][1] is True and results["second"] == (results["first"][0], False)
    count = sa.select(sa.func.count()).select_from(ReportExport)
    assert db.session.scalar(count) == 1
