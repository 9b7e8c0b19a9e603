import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import CommentFlag, CommentStatus, HideReason
from consult.consultations.models import ModerationMode
from consult.core.models import AuditEntry
from consult.moderation.models import ModerationAction, ModerationEvent
from tests.conftest import PASSWORD


@pytest.fixture()
def setting(db, create_user, create_organisation, create_consultation, create_comment):
    author = create_user(email="autor@example.org")
    organisation = create_organisation("Fundacja Autorska", members=[author])
    official = create_user(UserRole.OFFICIAL, display_name="Urzędniczka Zespołu")
    consultation = create_consultation("open", officials=[official], moderation_mode=ModerationMode.PRE)
    comment = create_comment(
        consultation,
        organisation,
        status=CommentStatus.PENDING,
        author=author,
        proposed_text="Tekst z danymi Jana Kowalskiego, tel. 600 100 200.",
    )
    return {
        "author": author,
        "organisation": organisation,
        "official": official,
        "consultation": consultation,
        "comment": comment,
    }


def _url(setting, action=""):
    base = f"/manage/consultations/{setting['consultation'].slug}/comments/{setting['comment'].number}"
    return base + (f"/{action}" if action else "")


def test_pre_moderation_approval_publishes_the_comment(client, db, login, setting):
    login(setting["official"])
    assert client.post(_url(setting, "approve")).status_code == 302
    db.session.expire_all()
    assert setting["comment"].status == CommentStatus.PUBLISHED
    event = db.session.scalar(sa.select(ModerationEvent))
    assert event.action == ModerationAction.APPROVE and event.actor_id == setting["official"].id
    assert (
        db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action.like("comment.%"))) == "comment.approve"
    )


def test_hiding_leaves_a_public_placeholder_tells_the_author_and_can_be_reviewed_and_restored(
    app, client, db, login, setting, mail_outbox
):
    login(setting["official"])
    client.post(_url(setting, "approve"))
    response = client.post(
        _url(setting, "hide"), data={"hide-reason": "personal_data", "hide-note": "Numer telefonu osoby."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    comment = setting["comment"]
    assert comment.status == CommentStatus.HIDDEN and comment.hidden_reason == HideReason.PERSONAL_DATA
    assert mail_outbox[-1].to == "autor@example.org"
    assert "dane osobowe" in mail_outbox[-1].body and "/review" in mail_outbox[-1].body

    slug = setting["consultation"].slug
    log = client.get(f"/consultations/{slug}/moderation-log").get_data(as_text=True)
    assert "dane osobowe" in log and "Numer telefonu osoby." in log
    assert "600 100 200" not in log
    public = app.test_client().get(f"/consultations/{slug}/comments/{comment.number}").get_data(as_text=True)
    assert "600 100 200" not in public

    author_client = app.test_client()
    author_client.post("/login", data={"email": "autor@example.org", "password": PASSWORD})
    empty = author_client.post(f"/consultations/{slug}/comments/{comment.number}/review", data={"message": ""})
    assert empty.status_code == 422
    assert (
        author_client.post(
            f"/consultations/{slug}/comments/{comment.number}/review",
            data={"message": "Usunęliśmy numer, prosimy o przywrócenie."},
        ).status_code
        == 302
    )
    queue = client.get(f"/manage/consultations/{slug}/moderation?status=review").get_data(as_text=True)
    assert f"/{comment.number:04d}" in queue

    client.post(_url(setting, "restore"), data={"restore-note": "Numer usunięty, treść zgodna z regulaminem."})
    db.session.expire_all()
    assert comment.status == CommentStatus.PUBLISHED and comment.hidden_reason is None
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action.like("comment.%")).order_by(AuditEntry.id)
    ).all()
    assert actions == ["comment.approve", "comment.hide", "comment.restore"]
    assert "Numer usunięty, treść zgodna z regulaminem." in mail_outbox[-1].body
    log = client.get(f"/consultations/{slug}/moderation-log").get_data(as_text=True)
    assert "Numer usunięty, treść zgodna z regulaminem." in log


def test_restoring_needs_a_reason_and_without_one_changes_nothing(client, db, login, setting, mail_outbox):
    login(setting["official"])
    client.post(_url(setting, "approve"))
    client.post(_url(setting, "hide"), data={"hide-reason": "personal_data"})
    sent = len(mail_outbox)
    page = client.post(_url(setting, "restore"), data={"restore-note": "   "}, follow_redirects=True)
    assert "Napisz, dlaczego uwaga jest znów widoczna." in page.get_data(as_text=True)
    db.session.expire_all()
    assert setting["comment"].status == CommentStatus.HIDDEN
    assert len(mail_outbox) == sent


def test_hiding_needs_a_reason_from_the_list(client, db, login, setting):
    login(setting["official"])
    client.post(_url(setting, "hide"), data={"hide-reason": "nie-ma-takiego", "hide-note": ""})
    db.session.expire_all()
    assert setting["comment"].status == CommentStatus.PENDING


def test_anyone_can_report_a_published_comment_and_it_lands_in_the_queue(app, client, db, login, setting):
    setting["comment"].status = CommentStatus.PUBLISHED
    db.session.commit()
    slug, number = setting["consultation"].slug, setting["comment"].number
    visitor = app.test_client()
    assert visitor.post(f"/consultations/{slug}/comments/{number}/report", data={"reason": ""}).status_code == 422
    assert (
        visitor.post(
            f"/consultations/{slug}/comments/{number}/report", data={"reason": "Zawiera numer telefonu."}
        ).status_code
        == 302
    )
    assert db.session.scalar(sa.select(CommentFlag.reason)) == "Zawiera numer telefonu."
    login(setting["official"])
    queue = client.get(f"/manage/consultations/{slug}/moderation?status=reported").get_data(as_text=True)
    assert f"/{number:04d}" in queue and "zgłoszenie" in queue
    client.post(_url(setting, "hide"), data={"hide-reason": "personal_data"})
    assert db.session.scalar(sa.select(CommentFlag.resolved_at)) is not None


def test_assign_and_filter_by_assignee(client, db, login, setting, create_user):
    colleague = create_user(UserRole.OFFICIAL, display_name="Kolega z Wydziału")
    login(setting["official"])
    client.post(_url(setting, "assign"), data={"assign-assignee": str(colleague.id), "assign-department": "WSS"})
    db.session.expire_all()
    assert setting["comment"].assignee_id == colleague.id
    slug = setting["consultation"].slug
    mine = client.get(f"/manage/consultations/{slug}/moderation?assignee={colleague.id}").get_data(as_text=True)
    nobody = client.get(f"/manage/consultations/{slug}/moderation?assignee=none").get_data(as_text=True)
    assert "Kolega z Wydziału" in mine and "0001" in mine
    assert "/0001" not in nobody


def test_the_public_placeholder_names_the_reason(app, client, db, login, setting):
    login(setting["official"])
    client.post(_url(setting, "hide"), data={"hide-reason": "personal_data"})
    slug = setting["consultation"].slug
    page = app.test_client().get(f"/consultations/{slug}/comments").get_data(as_text=True)
    assert "Ukryta przez moderatora: dane osobowe." in page
    assert "600 100 200" not in page


def test_the_audit_log_is_append_only(db, setting):
    entry = AuditEntry(action="test.entry", object_type="comments", object_id=1)
    db.session.add(entry)
    db.session.commit()
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(("note", "message"), [("Powód\x00", "znak sterujący"), ("x" * 2001, "2000 znaków")])
def test_a_refused_restore_shows_the_form_again_with_the_fields_own_message(client, db, login, setting, note, message):
    login(setting["official"])
    client.post(_url(setting, "approve"))
    client.post(_url(setting, "hide"), data={"hide-reason": "personal_data"})
    page = client.post(_url(setting, "restore"), data={"restore-note": note})
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    db.session.expire_all()
    assert setting["comment"].status == CommentStatus.HIDDEN
