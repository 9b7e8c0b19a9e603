"""Mail that never vanishes: stored with the change, sent after the commit over real SMTP,
kept with its error when the server fails, sent exactly once by a later retry."""

import os
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, User, UserRole
from consult.core import mail
from consult.core.models import MailStatus, OutboxMessage
from consult.core.time import utcnow
from consult.extensions import db as _db
from tests.notifications.conftest import free_port

PASSWORD = "zielone-jabłko-na-wiośnie"


def _register(client, email="nowa@example.org", name="Ewa Nowak"):
    return client.post(
        "/register", data={"display_name": name, "email": email, "password": PASSWORD, "password_repeat": PASSWORD}
    )


def _rows(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}


def test_registration_mail_goes_over_smtp_with_both_parts_and_clean_headers(client, db, smtp_server):
    assert _register(client).status_code == 200
    [(recipients, message)] = smtp_server.received
    assert recipients == ["nowa@example.org"]
    assert message["To"] == "nowa@example.org"
    assert message["From"] == "Konsultacje <konsultacje@krakow.example>"
    assert message["Subject"] == "Potwierdź adres e-mail"
    assert message["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<.+@krakow\.example>", message["Message-ID"])
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    link = re.search(r"http://localhost/confirm/\S+", parts["text/plain"]).group(0)
    assert f'<a href="{link}">' in parts["text/html"]
    assert '<html lang="pl">' in parts["text/html"]
    [row] = _rows(db)
    assert (row.status, row.attempts, row.kind) == (MailStatus.SENT, 1, "accounts.confirmation")
    assert row.sent_at is not None and row.message_id == message["Message-ID"]


def test_a_failing_server_leaves_the_message_with_its_error_and_a_later_retry_sends_it_once(
    app, client, db, smtp_server
):
    smtp_server.refuse_with = "451 4.3.0 Mailbox temporarily unavailable"
    response = _register(client)
    assert response.status_code == 200  # the registration stands; the mail waits
    [row] = _rows(db)
    assert row.status == MailStatus.QUEUED and row.attempts == 1
    assert "451" in row.last_error and "temporarily unavailable" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert smtp_server.received == []

    assert mail.deliver_due() == 0  # not due yet: nothing is sent early
    smtp_server.refuse_with = None
    later = utcnow() + timedelta(minutes=2)
    assert mail.deliver_due(now=later) == 1
    assert mail.deliver_due(now=later + timedelta(hours=3)) == 0  # and never again
    assert len(smtp_server.messages_to("nowa@example.org")) == 1
    [row] = _rows(db)
    assert row.status == MailStatus.SENT and row.attempts == 2
    assert "451" in row.last_error  # what went wrong stays visible


def test_an_unreachable_server_is_retried_until_the_last_attempt_then_waits_for_an_admin(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    _register(client)
    moment = utcnow()
    for attempt in range(2, mail.MAX_ATTEMPTS + 1):
        moment += timedelta(hours=3)
        mail.deliver_due(now=moment)
        [row] = _rows(db)
        assert row.attempts == attempt
    assert row.status == MailStatus.FAILED
    assert "Connection refused" in row.last_error or "ConnectionRefusedError" in row.last_error
    assert mail.deliver_due(now=moment + timedelta(days=1)) == 0


def test_a_permanent_refusal_fails_at_once(client, db, smtp_server):
    smtp_server.refuse_with = "550 5.1.1 No such mailbox"
    _register(client)
    [row] = _rows(db)
    assert row.status == MailStatus.FAILED and row.attempts == 1 and "550" in row.last_error


def test_nothing_is_queued_or_sent_for_a_change_that_was_rolled_back(app, client, db, smtp_server):
    mail.queue(mail.Mail(to="ktos@example.org", subject="Nie wyślę", text="…"))
    db.session.flush()
    db.session.rollback()
    assert _rows(db) == []
    weak = client.post(
        "/register",
        data={"display_name": "Ewa", "email": "ewa@example.org", "password": "abc", "password_repeat": "abc"},
    )
    assert weak.status_code == 422
    assert _rows(db) == [] and smtp_server.received == []


def test_two_senders_at_once_send_each_message_exactly_once(app, db, smtp_server):
    """Two send-due runs (or a job and a run) racing: the conditional claim lets one of them send."""
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    mail.queue(*(mail.Mail(to=f"org{n}@example.org", subject=f"Wiadomość {n}", text="Treść") for n in range(30)))
    db.session.commit()
    assert {(row.status, row.attempts) for row in _rows(db)} == {(MailStatus.QUEUED, 1)}
    smtp_server.refuse_with = None
    later = utcnow() + timedelta(minutes=2)
    barrier = threading.Barrier(2)
    counts = []

    def run():
        with app.app_context():
            barrier.wait()
            counts.append(mail.deliver_due(now=later))
            _db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 30
    assert sorted(to[0] for to, _m in smtp_server.received) == sorted(f"org{n}@example.org" for n in range(30))
    assert {row.status for row in _rows(db)} == {MailStatus.SENT}


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028", "\x0b"])
def test_line_breaks_in_names_and_titles_never_break_the_headers(
    client, db, create_user, create_organisation, login, smtp_server, line_break
):
    representative = create_user(email="rep@example.org")
    organisation = create_organisation(
        f"Fundacja{line_break}Bcc: ofiara@example.org", status=OrganisationStatus.PENDING, members=[representative]
    )
    login(create_user(UserRole.OFFICIAL))
    response = client.post(f"/manage/organisations/{organisation.id}/verify")
    assert response.status_code == 302
    [(recipients, message)] = smtp_server.received
    assert recipients == ["rep@example.org"]
    assert message["Subject"] == "Fundacja Bcc: ofiara@example.org – organizacja zweryfikowana"
    assert message["Bcc"] is None
    [row] = _rows(db)
    assert row.status == MailStatus.SENT


def test_line_breaks_in_a_title_or_name_never_break_invitations_or_published_positions(
    client, db, create_user, create_organisation, create_consultation, create_comment, login, smtp_server
):
    representative = create_user(email="rep@example.org")
    organisation = create_organisation("Fundacja\r\nBcc: ofiara@example.org\x0b", members=[representative])
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", officials=[official], title="Program\r\nBcc: ofiara@example.org")
    comment = create_comment(consultation, organisation, author=representative)
    login(representative)
    invited = client.post(f"/organisations/{organisation.id}/members", data={"email": "nowy@example.org"})
    assert invited.status_code == 302
    client.post("/logout")
    login(official)
    position_url = f"/manage/consultations/{consultation.slug}/comments/{comment.number}/position"
    data = {"position-status": "accepted", "position-reason": "Zasadna.", "position-row_version": ""}
    assert client.post(position_url, data=data).status_code == 302
    assert client.post(f"/manage/consultations/{consultation.slug}/positions/publish").status_code == 302
    assert sorted(to[0] for to, _m in smtp_server.received) == ["nowy@example.org", "rep@example.org"]
    for _to, message in smtp_server.received:
        assert message["Bcc"] is None and "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert {row.status for row in _rows(db)} == {MailStatus.SENT}


def test_an_address_that_cannot_be_a_header_fails_that_message_only(app, db, smtp_server):
    mail.queue(
        mail.Mail(to="zly adres <<@>>", subject="Pierwsza", text="…"),
        mail.Mail(to="dobry@example.org", subject="Druga", text="…"),
    )
    db.session.commit()
    first, second = _rows(db)
    assert first.status == MailStatus.FAILED and first.last_error
    assert second.status == MailStatus.SENT
    assert [to for to, _m in smtp_server.received] == [["dobry@example.org"]]


def test_development_writes_an_eml_file_and_prints_one_line(app, client, db, monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    _register(client)
    [path] = tmp_path.glob("*.eml")
    import email
    import email.policy

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "nowa@example.org"
    link = re.search(r"http://localhost/confirm/\S+", _parts(message)["text/plain"]).group(0)
    [line] = [line for line in capsys.readouterr().err.splitlines() if "nowa@example.org" in line]
    assert "Potwierdź adres e-mail" in line and str(path) in line and link in line
    assert _rows(db)[0].status == MailStatus.SENT


def test_in_a_thread_the_request_returns_and_the_mail_follows(app, client, db, monkeypatch, smtp_server):
    monkeypatch.setitem(app.config, "MAIL_JOBS", "thread")
    assert _register(client).status_code == 200
    for _ in range(100):
        if smtp_server.received:
            break
        threading.Event().wait(0.05)
    assert len(smtp_server.received) == 1


def test_with_redis_away_the_change_is_saved_and_send_due_sends_the_mail_later(
    app, client, db, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    assert _register(client).status_code == 200
    [row] = _rows(db)
    assert row.status == MailStatus.QUEUED and row.attempts == 0 and smtp_server.received == []
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    old = OutboxMessage(
        to_address="b@example.org",
        subject="Dawno",
        text_body="…",
        message_id="<old@x>",
        status=MailStatus.SENT,
        sent_at=utcnow() - timedelta(days=40),
    )
    db.session.add(old)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send-due"])
    assert result.exit_code == 0, result.output
    assert "e-mail sent: 1; old sent messages removed: 1." in result.output
    assert [m["Subject"] for _to, m in smtp_server.received] == ["Potwierdź adres e-mail"]
    assert [row.subject for row in _rows(db)] == ["Potwierdź adres e-mail"]


def test_registration_does_the_same_work_for_a_known_and_a_new_address(client, db, create_user, monkeypatch):
    """Same page, one password hash and one queued message either way (the timing is in bench/)."""
    import consult.accounts.operations as operations

    create_user(email="zajety@example.org")
    hashes = []
    real_hash = operations.hash_password
    monkeypatch.setattr(operations, "hash_password", lambda pw: hashes.append(pw) or real_hash(pw))
    for address in ("wolny@example.org", "zajety@example.org"):
        hashes.clear()
        before = len(_rows(db))
        assert _register(client, email=address).status_code == 200
        assert len(hashes) == 1
        assert len(_rows(db)) == before + 1
    kinds = [row.kind for row in _rows(db)]
    assert kinds == ["accounts.confirmation", "accounts.already_registered"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_with_redis_an_rq_worker_sends_the_mail(app, client, db, smtp_server, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from consult.core.jobs import MAIL_QUEUE

    monkeypatch.setitem(app.config, "REDIS_URL", os.environ["TEST_REDIS_URL"])
    queue = Queue(MAIL_QUEUE, connection=Redis.from_url(os.environ["TEST_REDIS_URL"]))
    queue.empty()
    assert _register(client).status_code == 200
    assert queue.count == 1 and smtp_server.received == []
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert len(smtp_server.messages_to("nowa@example.org")) == 1
    assert _rows(db)[0].status == MailStatus.SENT


def test_only_the_outbox_talks_to_the_mail_server():
    """One way to send: modules compose (notifications.py) and queue; core/mail.py alone speaks SMTP
    or writes files, and no view calls the sender (it runs after the commit, from the job queue)."""
    root = Path(__file__).resolve().parents[2] / "consult"
    sending = re.compile(r"\bsmtplib\b|\bflask_mail\b|\.sendmail\(|\.send_message\(|\bdeliver(_due)?\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.relative_to(root).as_posix() not in {"core/mail.py", "notifications/operations.py"}
        and sending.search(path.read_text())
    ]
    assert offenders == []
    views = [p for p in root.rglob("*views.py")]
    assert views and not [str(p) for p in views if re.search(r"mail\.(deliver|send)\w*\(", p.read_text())]


def test_the_html_part_escapes_the_text_and_links_its_addresses():
    text = (
        "Uwaga <b>nr 1</b> & \"cytat\" 'x'\nhttps://konsultacje.example/a?b=1&c=<2>. Dalej\n\n\n  Drugi akapit {0} %s\n"
    )
    assert mail.text_to_html(text) == (
        "<p>Uwaga &lt;b&gt;nr 1&lt;/b&gt; &amp; &#34;cytat&#34; &#39;x&#39;<br>\n"
        '<a href="https://konsultacje.example/a?b=1&amp;c=">https://konsultacje.example/a?b=1&amp;c=</a>'
        "&lt;2&gt;. Dalej</p>\n"
        "<p>  Drugi akapit {0} %s</p>"
    )
    assert mail.text_to_html("") == ""
