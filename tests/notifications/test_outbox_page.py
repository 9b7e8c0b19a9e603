"""Admins see the outbox: what failed and why, and can send it again."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.core.models import AuditEntry, MailStatus, OutboxMessage
from consult.core.time import utcnow


@pytest.fixture()
def add_message(db):
    counter = iter(range(1, 100_000))

    def factory(status=MailStatus.SENT, error=None, attempts=1, **kwargs):
        n = next(counter)
        row = OutboxMessage(
            kind="accounts.confirmation",
            to_address=kwargs.pop("to", f"osoba{n}@example.org"),
            subject=kwargs.pop("subject", f"Wiadomość {n}"),
            text_body="Tajny link: http://localhost/reset-password/SEKRET",
            message_id=f"<{n}@test>",
            status=status,
            attempts=attempts,
            last_error=error,
            next_attempt_at=utcnow() + timedelta(minutes=5),
            sent_at=utcnow() if status == MailStatus.SENT else None,
            **kwargs,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return factory


@pytest.mark.parametrize(
    ("role", "page", "action"), [(None, 302, 302), ("member", 403, 403), ("official", 403, 403), ("admin", 200, 302)]
)
def test_only_admins_see_the_outbox(client, db, create_user, login, add_message, role, page, action):
    if role:
        login(create_user(UserRole(role)))
    failed = add_message(MailStatus.FAILED, "boom")
    assert client.get("/admin/outbox").status_code == page
    assert client.post(f"/admin/outbox/{failed.id}/resend").status_code == action
    assert client.post("/admin/outbox/resend-failed").status_code == action
    db.session.expire_all()
    assert (failed.status == MailStatus.SENT) == (role == "admin")


def test_the_page_shows_failures_with_their_error_but_never_the_text(client, db, create_user, login, add_message):
    login(create_user(UserRole.ADMIN))
    add_message()
    add_message(MailStatus.FAILED, "550 5.1.1 <zly@example.org>: No such mailbox", to="zly@example.org", attempts=5)
    add_message(MailStatus.QUEUED, "451 4.3.0 Try again later", to="czeka@example.org", attempts=2)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "zly@example.org" in page and "550 5.1.1 &lt;zly@example.org&gt;: No such mailbox" in page
    assert "następna próba" in page  # the waiting one says when it is tried again
    assert "SEKRET" not in page  # the text may hold a sign-in link
    failed_only = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "zly@example.org" in failed_only and "czeka@example.org" not in failed_only
    assert "Wyślij ponownie wszystkie nieudane" in failed_only


@pytest.mark.parametrize("query", ["?page=99999999999999999999", "?page=-3", "?page=x", "?status=nonsense", "?page=0"])
def test_odd_addresses_of_the_page_answer_normally(client, db, create_user, login, add_message, query):
    login(create_user(UserRole.ADMIN))
    add_message(MailStatus.FAILED, "boom")
    assert client.get(f"/admin/outbox{query}").status_code == 200


def test_the_page_runs_a_fixed_number_of_statements(client, db, create_user, login, add_message, count_queries):
    login(create_user(UserRole.ADMIN))
    add_message(MailStatus.FAILED, "boom")
    with count_queries() as few:
        assert client.get("/admin/outbox").status_code == 200
    for n in range(70):
        add_message(MailStatus.FAILED if n % 2 else MailStatus.SENT, "boom" if n % 2 else None)
    with count_queries() as many:
        page = client.get("/admin/outbox")
    assert page.status_code == 200 and "Starsze wiadomości" in page.get_data(as_text=True)
    assert many.count == few.count <= 4


def test_an_admin_resends_a_failed_message_once_and_it_is_recorded(
    client, db, create_user, login, add_message, mail_outbox
):
    admin = create_user(UserRole.ADMIN)
    login(admin)
    failed = add_message(MailStatus.FAILED, "550 No such mailbox", to="wrocil@example.org", attempts=5)
    response = client.post(f"/admin/outbox/{failed.id}/resend?status=failed")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/outbox?status=failed"
    assert [m.to for m in mail_outbox] == ["wrocil@example.org"]
    db.session.expire_all()
    assert failed.status == MailStatus.SENT and failed.attempts == 1
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "mail.resend"))
    assert entry.actor_id == admin.id and entry.object_id == failed.id and entry.before["status"] == "failed"

    again = client.post(f"/admin/outbox/{failed.id}/resend", follow_redirects=True)
    assert "Nie ma czego wysłać ponownie" in again.get_data(as_text=True)
    assert len(mail_outbox) == 1
    assert client.post("/admin/outbox/999999/resend").status_code == 404


def test_resend_all_failed(client, db, create_user, login, add_message, mail_outbox):
    login(create_user(UserRole.ADMIN))
    for n in range(3):
        add_message(MailStatus.FAILED, "boom", to=f"f{n}@example.org")
    add_message(to="wyslana@example.org")
    page = client.post("/admin/outbox/resend-failed", follow_redirects=True).get_data(as_text=True)
    assert "3 wiadomości" in page
    assert sorted(m.to for m in mail_outbox) == ["f0@example.org", "f1@example.org", "f2@example.org"]
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert set(statuses) == {MailStatus.SENT}
