"""Each member chooses what they hear about; reminders and digests go out exactly once;
every notice can be turned off with one click."""

import os
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import CommentStatus
from consult.consultations.models import ModerationMode
from consult.core.models import OutboxMessage
from consult.core.time import LOCAL_TZ, from_local, utcnow
from consult.extensions import db as _db
from consult.notices import operations as notices
from consult.notices.models import DigestItem, Kind, NotificationLog, NotificationSettings
from consult.notifications import operations
from consult.notifications.queries import reminder_recipients


def _link(message, path: str) -> str:
    match = re.search(rf"http://localhost({path}\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture()
def members(db, areas, create_user, create_organisation):
    anna = create_user(email="anna@example.org")
    bartek = create_user(email="bartek@example.org")
    a = create_organisation("Fundacja A", members=[anna], areas=[areas[0]])
    b = create_organisation("Fundacja B", members=[bartek], areas=[areas[0]])
    return {"anna": anna, "bartek": bartek, "a": a, "b": b, "areas": areas}


# --- unsubscribing ------------------------------------------------------------------------------


def test_one_click_unsubscribe_turns_off_that_kind_only(app, client, db, members, mail_outbox, monkeypatch):
    anna = members["anna"]
    with app.test_request_context():
        link = notices.notice_mail(anna, "deadline_reminder", "Przypomnienie", "Treść").headers["List-Unsubscribe"]
    path = re.search(r"http://localhost(/unsubscribe/\S+)>", link).group(1)

    page = client.get(path)  # a link checker's visit changes nothing
    assert page.status_code == 200 and "anna@example.org" in page.get_data(as_text=True)
    assert db.session.get(NotificationSettings, anna.id) is None

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # a mail program posts without a token
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "nie będzie już dostawać" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(NotificationSettings, anna.id).muted == ["deadline_reminder"]

    again = client.post(path)
    assert again.status_code == 200 and "Już wcześniej" in again.get_data(as_text=True)


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_every_kind_has_its_own_one_click_unsubscribe_in_the_text_and_the_headers(
    app, client, db, members, create_user, kind
):
    person = create_user(UserRole.OFFICIAL) if kind == "new_comments" else members["anna"]
    with app.test_request_context():
        message = notices.notice_mail(person, kind, "Temat", "Treść")
    header = message.headers["List-Unsubscribe"]
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = re.search(r"^<http://localhost(/unsubscribe/\S+)>$", header).group(1)
    assert f"http://localhost{path}" in message.text  # the same link in the footer, for a person
    assert client.post(path).status_code == 200
    db.session.expire_all()
    assert db.session.get(NotificationSettings, person.id).muted == [kind]
    again = client.post(path)
    assert again.status_code == 200 and "Już wcześniej" in again.get_data(as_text=True)


@pytest.mark.parametrize("mangle", [lambda t: t[:-3], lambda t: "x" + t[1:], lambda t: "a" * 5000])
def test_a_tampered_unsubscribe_link_is_refused_clearly(app, client, db, members, mangle):
    token = notices.unsubscribe_token(members["anna"], "deadline_reminder")
    response = client.post(f"/unsubscribe/{mangle(token)}")
    assert response.status_code == 400
    assert "Ten link do wypisania się jest nieprawidłowy" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSettings)) == 0


def test_a_link_with_a_control_character_is_no_address_at_all(client, db):
    # Every path part refuses control characters (core/inputs): 404, as for any unknown address.
    assert client.post("/unsubscribe/%00").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSettings)) == 0


def test_a_link_for_a_kind_that_does_not_exist_is_refused(app, client, db, members):
    token = notices.unsubscribe_token(members["anna"], "everything-forever")
    assert client.get(f"/unsubscribe/{token}").status_code == 400


# --- settings and the daily digest -----------------------------------------------------------------


def test_a_member_chooses_kinds_and_a_daily_digest(client, db, login, members):
    login(members["anna"])
    page = client.get("/account/notifications").get_data(as_text=True)
    assert page.count('type="checkbox"') == 8  # seven kinds and the digest
    assert "new_comments" not in page  # the officials' digest is not offered to members
    response = client.post(
        "/account/notifications", data={"kinds": ["new_consultation", "deadline_reminder"], "daily_digest": "y"}
    )
    assert response.status_code == 302
    settings = db.session.get(NotificationSettings, members["anna"].id)
    assert settings.daily_digest and "position_published" in settings.muted and "new_consultation" not in settings.muted
    tampered = client.post("/account/notifications", data={"kinds": ["new_comments"]})
    assert tampered.status_code == 422


def test_digest_notices_are_kept_and_sent_once_a_day(app, client, db, login, members, mail_outbox, create_consultation):
    db.session.add(NotificationSettings(user_id=members["anna"].id, daily_digest=True, muted=[]))
    db.session.commit()
    consultation = create_consultation("draft", areas=[members["areas"][0]])
    consultation.state = consultation.state.__class__.PUBLISHED
    db.session.commit()
    operations.announce(consultation.id)
    assert [m.to for m in mail_outbox] == ["bartek@example.org"]  # Anna's waits for her digest
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DigestItem)) == 1

    before_seven = from_local(datetime(2027, 3, 2, 6, 30))
    assert operations.send_digests(before_seven) == 0
    morning = from_local(datetime(2027, 3, 2, 7, 5))
    assert operations.send_digests(morning) == 1
    assert operations.send_digests(morning + timedelta(hours=3)) == 0
    digest = mail_outbox[-1]
    assert digest.to == "anna@example.org" and "Nowe konsultacje" in digest.body
    assert digest.headers["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")


# --- deadline reminders, exactly once ----------------------------------------------------------------


@pytest.fixture()
def closing(members, create_consultation):
    now = utcnow()
    return create_consultation(
        "open", areas=[members["areas"][0]], opens_at=now - timedelta(days=18), closes_at=now + timedelta(hours=60)
    )


def test_reminders_go_3_days_and_1_morning_utc_to_organisations_without_a_comment(
    db, members, closing, create_comment, mail_outbox
):
    create_comment(closing, members["b"], author=members["bartek"])
    now = utcnow()
    assert operations.send_reminders(now) == 1
    assert operations.send_reminders(now + timedelta(minutes=15)) == 0  # the next cron run
    [three] = mail_outbox
    assert three.to == "anna@example.org" and "Zostały 3 dni" in three.subject
    assert operations.send_reminders(now + timedelta(hours=40)) == 1
    assert operations.send_reminders(now + timedelta(hours=41)) == 0
    assert "Ostatni dzień" in mail_outbox[-1].subject
    assert operations.send_reminders(now + timedelta(hours=61)) == 0  # closed: nothing more


def test_an_extended_deadline_is_reminded_again_once(db, members, closing, create_user, mail_outbox):
    from consult.consultations.operations import extend_consultation

    now = utcnow()
    assert operations.send_reminders(now) == 2
    extend_consultation(closing, create_user(UserRole.OFFICIAL), closing.closes_at + timedelta(days=7), "Prośba NGO.")
    db.session.commit()
    assert operations.send_reminders(now + timedelta(hours=1)) == 0  # the new deadline is 9 days away
    new_mark = closing.closes_at - timedelta(days=3) + timedelta(minutes=1)
    assert operations.send_reminders(new_mark) == 2
    assert operations.send_reminders(new_mark + timedelta(minutes=15)) == 0
    assert len(mail_outbox) == 4
    assert "Zostały 3 dni" in mail_outbox[-1].subject


def test_reminders_go_to_organisations_without_a_standing_comment_or_with_unfinished_work(
    db, members, closing, create_user, create_organisation, create_comment, count_queries, mail_outbox
):
    """Withdrawn comments count as none; a comment hidden by the moderator is work to finish;
    a published or pending one means the organisation has commented. One e-mail per person."""
    area = members["areas"][0]
    celina, dorota, ela = (create_user(email=f"{name}@example.org") for name in ("celina", "dorota", "ela"))
    commented = create_organisation("Fundacja C", members=[celina, dorota], areas=[area])
    waiting = create_organisation("Fundacja E", members=[ela], areas=[area])
    create_organisation("Fundacja D", members=[dorota], areas=[area])  # Dorota also acts for D, silent
    create_comment(closing, members["a"], author=members["anna"], status=CommentStatus.WITHDRAWN)
    hidden = create_comment(closing, members["b"], author=members["bartek"], status=CommentStatus.HIDDEN)
    create_comment(closing, members["b"], author=members["bartek"])
    create_comment(closing, commented, author=celina)
    create_comment(closing, waiting, author=ela, status=CommentStatus.PENDING)
    with count_queries() as counted:
        assert len(reminder_recipients(closing)) == 3
    assert operations.send_reminders(utcnow()) == 3
    by_person = {m.to: m for m in mail_outbox}
    assert sorted(by_person) == ["anna@example.org", "bartek@example.org", "dorota@example.org"]
    assert (
        "Organizacja Fundacja A nie zgłosiła jeszcze uwag w tych konsultacjach." in by_person["anna@example.org"].body
    )
    bartek = by_person["bartek@example.org"].body
    assert f"Moderator ukrył 1 uwagę organizacji Fundacja B (KONS/{hidden.number:04d})" in bartek
    assert "nie zgłosiła jeszcze" not in bartek
    dorota = by_person["dorota@example.org"].body
    assert "Organizacja Fundacja D nie zgłosiła jeszcze uwag" in dorota and "Fundacja C" not in dorota
    assert all("Zostały 3 dni" in m.subject for m in mail_outbox)
    # who is reminded is found in as many statements however many organisations and people there are
    for n in range(5):
        create_organisation(f"Milcząca {n}", members=[create_user()], areas=[area])
    with count_queries() as more:
        assert len(reminder_recipients(closing)) == 8
    assert more.count == counted.count
    assert operations.send_reminders(utcnow() + timedelta(hours=40)) == 8  # the day-before one


def test_the_send_due_command_is_idempotent(app, db, members, closing, mail_outbox):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notifications", "send-due"])
    assert first.exit_code == 0 and "Reminders: 2;" in first.output
    second = runner.invoke(args=["notifications", "send-due"])
    assert "Reminders: 0;" in second.output
    assert sorted(m.to for m in mail_outbox) == ["anna@example.org", "bartek@example.org"]


def test_the_documented_schedules_run_send_due_every_15_minutes(app):
    """README and docs/deploy.md: cron and a systemd timer, the same command, every 15 minutes."""
    root = Path(__file__).resolve().parents[2]
    readme, deploy = (root / "README.md").read_text(), (root / "docs" / "deploy.md").read_text()
    for text in (readme, deploy):
        cron = [line for line in text.splitlines() if "notifications send-due" in line and line[:1] in "*0123456789"]
        assert cron and all(line.startswith("*/15 * * * * ") for line in cron), cron
    assert "OnCalendar=*:0/15" in deploy and "Type=oneshot" in deploy
    assert "ExecStart=/srv/consult/.venv/bin/flask --app wsgi notifications send-due" in deploy
    assert "SEND_DUE_EVERY" in deploy and "jobs worker" in deploy
    result = app.test_cli_runner().invoke(args=["notifications", "send-due", "--help"])
    assert result.exit_code == 0 and "every 15 minutes" in result.output


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_with_redis_the_workers_queue_send_due_once_a_period_and_run_it(
    app, db, members, closing, mail_outbox, monkeypatch
):
    """`flask --app wsgi jobs worker` runs send-due every SEND_DUE_EVERY seconds: two workers, one job."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    from consult.core import jobs

    monkeypatch.setitem(app.config, "REDIS_URL", os.environ["TEST_REDIS_URL"])
    queue = Queue(jobs.MAIL_QUEUE, connection=Redis.from_url(os.environ["TEST_REDIS_URL"]))
    queue.empty()
    lock = jobs.PERIODIC_LOCK.format(name=operations.send_due_job.__name__)
    queue.connection.delete(lock)
    stop = threading.Event()
    workers = [
        threading.Thread(target=jobs.periodic, args=(app, operations.send_due_job, timedelta(minutes=15), stop, 0.02))
        for _ in range(2)
    ]
    try:
        for worker in workers:
            worker.start()
        threading.Event().wait(0.5)  # some twenty looks by each worker
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert [job.func_name for job in queue.get_jobs()] == ["consult.notifications.operations.send_due_job"]
    assert 0 < queue.connection.ttl(lock) <= 15 * 60
    queue.connection.delete(lock)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert sorted(m.to for m in mail_outbox) == ["anna@example.org", "bartek@example.org"]
    assert "Zostały 3 dni" in mail_outbox[0].subject


def test_two_runs_at_once_send_each_reminder_exactly_once(
    app, db, areas, create_user, create_organisation, create_consultation, smtp_server
):
    """Two cron runs of send-due at the same moment, then the next one: each member gets one
    reminder over SMTP. On PostgreSQL (TEST_DATABASE_URL, as CI runs it) the two runs really
    overlap: the claim is one INSERT … ON CONFLICT DO NOTHING, and the second waits for the
    first's commit, then finds every row taken; SQLite lets one writer in at a time."""
    users = [create_user(email=f"czlonek{n}@example.org") for n in range(40)]
    for n, user in enumerate(users):
        create_organisation(f"Organizacja {n}", members=[user], areas=[areas[2]])
    now = utcnow()
    create_consultation("open", areas=[areas[2]], opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=2))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                results.append(operations.send_due(now))
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(r.reminders for r in results) == 40
    assert operations.send_due(now + timedelta(minutes=15)).reminders == 0  # the next run
    delivered = sorted(to for recipients, _m in smtp_server.received for to in recipients)
    assert delivered == sorted(u.email for u in users)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationLog)) == 40
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 40


# --- what moderation and comments tell ----------------------------------------------------------------


def test_an_approved_and_a_restored_comment_are_told_to_the_organisation(
    client, db, login, members, create_user, create_consultation, create_comment, mail_outbox
):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[official], moderation_mode=ModerationMode.PRE)
    comment = create_comment(consultation, members["a"], author=members["anna"], status=CommentStatus.PENDING)
    login(official)
    base = f"/manage/consultations/{consultation.slug}/comments/{comment.number}"
    client.post(f"{base}/approve")
    assert mail_outbox[-1].to == "anna@example.org" and "opublikowana" in mail_outbox[-1].subject
    client.post(f"{base}/hide", data={"hide-reason": "spam", "hide-note": ""})
    client.post(f"{base}/restore", data={"restore-note": "Autor usunął dane osobowe."})
    assert "przywrócona" in mail_outbox[-1].subject and "Autor usunął dane osobowe." in mail_outbox[-1].body
    client.post(f"{base}/approve")  # approving a published comment dismisses reports: nothing to tell
    assert len(mail_outbox) == 3


@pytest.mark.parametrize(
    ("action", "subject"),
    [
        ("edit", "Popierana przez Was uwaga została zmieniona"),
        ("withdraw", "Popierana przez Was uwaga została wycofana"),
    ],
)
def test_supporters_hear_that_a_comment_they_supported_was_changed_or_withdrawn(
    client, db, login, members, create_consultation, create_comment, create_support, mail_outbox, action, subject
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, members["a"], author=members["anna"])
    create_support(comment, members["b"], user=members["bartek"])
    login(members["anna"])
    url = f"/consultations/{consultation.slug}/comments/{comment.number}"
    if action == "edit":
        response = client.post(
            f"{url}/edit",
            data={
                "kind": "change",
                "proposed_text": "Zupełnie inne brzmienie.",
                "justification": "Zmieniliśmy zdanie.",
                "row_version": str(comment.row_version),
                "action": "send",
            },
        )
    else:
        response = client.post(f"{url}/withdraw")
    assert response.status_code == 302
    told = [m for m in mail_outbox if m.to == "bartek@example.org"]
    assert len(told) == 1 and told[0].subject.startswith(subject), [m.subject for m in told]
    assert f"/consultations/{consultation.slug}/comments/{comment.number}" in told[0].body
    assert told[0].headers["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    # the organisation's own representative gets the receipt, not the supporters' notice
    assert all("Popierana" not in m.subject for m in mail_outbox if m.to == "anna@example.org")


def test_a_new_version_is_news_for_the_organisations_that_commented(
    client, db, login, members, create_user, create_consultation, create_comment, mail_outbox
):
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft
    from tests.conftest import SMALL_DRAFT

    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[official])
    create_comment(consultation, members["a"], author=members["anna"])
    version = import_draft(consultation, parse_markdown(SMALL_DRAFT + "\n§ 3. Nowy paragraf.\n"), official)
    db.session.commit()
    login(official)
    # comments are open: publishing asks to confirm that they stay on the wording they were made on
    client.post(
        f"/manage/consultations/{consultation.slug}/versions/{version.number}/publish",
        data={"comments_open_confirmed": "y"},
    )
    assert [m.to for m in mail_outbox] == ["anna@example.org"]
    assert "Nowa wersja projektu" in mail_outbox[0].subject and "wersję 2" in mail_outbox[0].body


def test_officials_get_one_count_of_new_comments_a_day(
    db, members, create_user, create_consultation, create_comment, mail_outbox
):
    official = create_user(UserRole.OFFICIAL, email="urzednik@krakow.example")
    outsider = create_user(UserRole.OFFICIAL, email="inny@krakow.example")
    consultation = create_consultation("open", officials=[official], title="Program 2027")
    local = utcnow().astimezone(LOCAL_TZ)
    morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += timedelta(days=1)  # the next 8:00 in Kraków
    # the comments are placed against that morning, not against the clock: two within its day, one before
    morning_utc = morning.astimezone(UTC)
    create_comment(consultation, members["a"], author=members["anna"], submitted_at=morning_utc - timedelta(hours=20))
    create_comment(consultation, members["b"], author=members["bartek"], label=None, submitted_at=morning_utc)
    create_comment(consultation, members["b"], author=members["bartek"], submitted_at=morning_utc - timedelta(days=3))
    assert operations.send_digests(morning + timedelta(minutes=1)) == 1
    assert operations.send_digests(morning + timedelta(minutes=20)) == 0
    [digest] = mail_outbox
    assert digest.to == "urzednik@krakow.example" and "Nowe uwagi w Twoich konsultacjach: 2" == digest.subject
    assert f"/manage/consultations/{consultation.slug}/moderation" in digest.body
    assert outsider.email not in [m.to for m in mail_outbox]
