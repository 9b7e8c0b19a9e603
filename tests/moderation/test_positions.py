import html
import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import CommentStatus
from consult.core.models import AuditEntry
from consult.moderation.models import Position, PositionState, PositionStatus
from tests.conftest import PASSWORD


@pytest.fixture()
def setting(db, create_user, create_organisation, create_consultation, create_comment):
    author = create_user(email="autor@example.org")
    organisation = create_organisation("Fundacja Autorska", members=[author])
    other_org = create_organisation("Stowarzyszenie Drugie", members=[create_user(email="drugi@example.org")])
    official = create_user(UserRole.OFFICIAL, display_name="Urzędniczka")
    consultation = create_consultation("closed", officials=[official])
    comments = [
        create_comment(consultation, organisation, author=author),
        create_comment(consultation, other_org, label="§ 2 ust. 1"),
        create_comment(consultation, organisation, label=None, proposed_text=""),
    ]
    return {"official": official, "consultation": consultation, "comments": comments}


def _position_url(setting, comment):
    return f"/manage/consultations/{setting['consultation'].slug}/comments/{comment.number}/position"


def test_a_position_needs_a_reason_and_is_saved_as_a_draft(client, db, login, setting):
    login(setting["official"])
    comment = setting["comments"][0]
    empty = client.post(
        _position_url(setting, comment),
        data={"position-status": "accepted", "position-reason": "  ", "position-row_version": ""},
    )
    assert empty.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0
    ok = client.post(
        _position_url(setting, comment),
        data={
            "position-status": "partly_accepted",
            "position-reason": "Uwzględniono w części dotyczącej terminów.",
            "position-row_version": "",
        },
    )
    assert ok.status_code == 302
    position = db.session.scalar(sa.select(Position))
    assert (position.status, position.state) == (PositionStatus.PARTLY_ACCEPTED, PositionState.DRAFT)
    public = client.get("/api/v1/consultations/" + setting["consultation"].slug + "/comments").get_json()
    assert all(item["position"] is None for item in public)  # drafts are not public


def test_the_second_of_two_officials_saving_the_same_position_is_refused_and_sees_the_first_text(
    app, client, db, login, setting, create_user
):
    colleague = create_user(UserRole.OFFICIAL)
    setting["consultation"].officials.append(colleague)
    db.session.commit()
    comment = setting["comments"][0]
    login(setting["official"])
    client.post(
        _position_url(setting, comment),
        data={"position-status": "accepted", "position-reason": "Pierwsza wersja.", "position-row_version": ""},
    )
    version = db.session.scalar(sa.select(Position.row_version))

    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": PASSWORD})
    # Both opened the form at `version`; the colleague saves first.
    assert (
        other.post(
            _position_url(setting, comment),
            data={
                "position-status": "rejected",
                "position-reason": "Tekst kolegi.",
                "position-row_version": str(version),
            },
        ).status_code
        == 302
    )
    late = client.post(
        _position_url(setting, comment),
        data={"position-status": "accepted", "position-reason": "Mój tekst.", "position-row_version": str(version)},
    )
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Tekst kolegi." in page and "Mój tekst." in page  # theirs shown, mine kept
    db.session.expire_all()
    assert db.session.scalar(sa.select(Position.reason)) == "Tekst kolegi."


def _form_fields(page: str) -> dict:
    """The position form's values as the browser would send them again."""
    version = re.search(
        r'name="position-row_version"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="position-row_version"', page
    )
    reason = re.search(r'<textarea[^>]*name="position-reason"[^>]*>\s*([^<]*)</textarea>', page)
    status = re.search(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', page)
    return {
        "position-row_version": version.group(1) or version.group(2) or "",
        "position-reason": html.unescape(reason.group(1)).strip(),
        "position-status": status.group(1) or status.group(2),
    }


@pytest.mark.parametrize("first_existed", [True, False])
def test_the_losing_official_saves_again_from_the_conflict_page_with_their_text(
    app, client, db, login, setting, create_user, first_existed
):
    colleague = create_user(UserRole.OFFICIAL)
    setting["consultation"].officials.append(colleague)
    db.session.commit()
    comment = setting["comments"][0]
    login(setting["official"])
    version = ""
    if first_existed:
        client.post(
            _position_url(setting, comment),
            data={"position-status": "accepted", "position-reason": "Pierwsza.", "position-row_version": ""},
        )
        version = str(db.session.scalar(sa.select(Position.row_version)))
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": PASSWORD})
    theirs = {"position-status": "rejected", "position-reason": "Tekst kolegi.", "position-row_version": version}
    assert other.post(_position_url(setting, comment), data=theirs).status_code == 302

    mine = {
        "position-status": "partly_accepted",
        "position-reason": "Mój tekst & <uwagi>.",
        "position-row_version": version,
    }
    late = client.post(_position_url(setting, comment), data=mine)
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    again = _form_fields(page)
    # My text and choice are kept; the version is the one the colleague saved, which I have now seen.
    assert again["position-reason"] == "Mój tekst & <uwagi>." and again["position-status"] == "partly_accepted"
    db.session.expire_all()
    assert again["position-row_version"] == str(db.session.scalar(sa.select(Position.row_version)))
    assert "Tekst kolegi." in page

    assert client.post(_position_url(setting, comment), data=again).status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(sa.select(Position))
    assert (saved.reason, saved.status) == ("Mój tekst & <uwagi>.", PositionStatus.PARTLY_ACCEPTED)
    # The old version sent again (a second tab) is still refused: nothing is overwritten unseen.
    assert client.post(_position_url(setting, comment), data=mine).status_code == 409


def test_one_answer_for_several_comments_makes_a_row_each(client, db, login, setting):
    login(setting["official"])
    numbers = [c.number for c in setting["comments"][:2]]
    response = client.post(
        f"/manage/consultations/{setting['consultation'].slug}/bulk",
        data={
            "action": "answer",
            "comments": numbers,
            "status": "noted",
            "reason": "Uwagi wykraczają poza zakres programu.",
        },
    )
    assert response.status_code == 302
    rows = db.session.scalars(sa.select(Position).order_by(Position.comment_id)).all()
    assert len(rows) == 2 and {r.reason for r in rows} == {"Uwagi wykraczają poza zakres programu."}
    assert len({r.id for r in rows}) == 2


def test_publishing_positions_tells_the_organisations_and_shows_them(client, db, login, setting, mail_outbox):
    login(setting["official"])
    slug = setting["consultation"].slug
    for comment, status in zip(setting["comments"], ["accepted", "rejected", "noted"], strict=True):
        client.post(
            _position_url(setting, comment),
            data={"position-status": status, "position-reason": f"Uzasadnienie {status}.", "position-row_version": ""},
        )
    page = client.get(f"/manage/consultations/{slug}/positions").get_data(as_text=True)
    assert "Uzasadnienie rejected." in page
    assert client.post(f"/manage/consultations/{slug}/positions/publish").status_code == 302
    states = db.session.scalars(sa.select(Position.state)).all()
    assert states == [PositionState.PUBLISHED] * 3
    recipients = sorted(m.to for m in mail_outbox)
    assert recipients == ["autor@example.org", "drugi@example.org"]
    author_mail = next(m for m in mail_outbox if m.to == "autor@example.org")
    assert "Uzasadnienie accepted." in author_mail.body and "Uzasadnienie noted." in author_mail.body
    api = client.get(f"/api/v1/consultations/{slug}/comments").get_json()
    assert {item["position"]["status"] for item in api} == {"accepted", "rejected", "noted"}
    audit = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "position.publish")).all()
    assert len(audit) == 3


def test_publishing_only_the_ticked_positions(client, db, login, setting):
    login(setting["official"])
    for comment in setting["comments"][:2]:
        client.post(
            _position_url(setting, comment),
            data={"position-status": "accepted", "position-reason": "Tak.", "position-row_version": ""},
        )
    first = db.session.scalar(sa.select(Position).order_by(Position.id))
    client.post(
        f"/manage/consultations/{setting['consultation'].slug}/positions/publish", data={"positions": [first.id]}
    )
    states = db.session.scalars(sa.select(Position.state).order_by(Position.id)).all()
    assert states == [PositionState.PUBLISHED, PositionState.DRAFT]


def test_correcting_a_published_position_makes_it_a_draft_again(client, db, login, setting):
    login(setting["official"])
    comment = setting["comments"][0]
    client.post(
        _position_url(setting, comment),
        data={"position-status": "accepted", "position-reason": "Tak.", "position-row_version": ""},
    )
    client.post(f"/manage/consultations/{setting['consultation'].slug}/positions/publish")
    version = db.session.scalar(sa.select(Position.row_version))
    client.post(
        _position_url(setting, comment),
        data={
            "position-status": "partly_accepted",
            "position-reason": "Jednak w części.",
            "position-row_version": str(version),
        },
    )
    db.session.expire_all()
    position = db.session.scalar(sa.select(Position))
    assert position.state == PositionState.DRAFT and position.published_at is None


def test_withdrawn_comments_get_no_position(client, db, login, setting):
    comment = setting["comments"][0]
    comment.status = CommentStatus.WITHDRAWN
    db.session.commit()
    login(setting["official"])
    response = client.post(
        _position_url(setting, comment),
        data={"position-status": "accepted", "position-reason": "x", "position-row_version": ""},
    )
    assert response.status_code == 422


def test_progress_counts_comments_without_a_published_position(client, db, login, setting):
    login(setting["official"])
    client.post(
        _position_url(setting, setting["comments"][0]),
        data={"position-status": "accepted", "position-reason": "Tak.", "position-row_version": ""},
    )
    page = client.get(f"/manage/consultations/{setting['consultation'].slug}/progress").get_data(as_text=True)
    assert re.search(r"3 uwagi nie mają jeszcze opublikowanego stanowiska", page)
    assert "Rozdział I" in page and "Projekt jako całość" in page and "Nieprzydzielone" in page


def test_my_comments_and_the_comment_page_show_only_published_positions(app, client, db, login, setting):
    login(setting["official"])
    first, second = setting["comments"][:2]
    client.post(
        _position_url(setting, first),
        data={"position-status": "accepted", "position-reason": "Przyjęta w całości.", "position-row_version": ""},
    )
    client.post(f"/manage/consultations/{setting['consultation'].slug}/positions/publish")
    client.post(
        _position_url(setting, second),
        data={"position-status": "rejected", "position-reason": "Projekt odpowiedzi.", "position-row_version": ""},
    )
    author = app.test_client()
    author.post("/login", data={"email": "autor@example.org", "password": PASSWORD})
    mine = author.get("/my/comments").get_data(as_text=True)
    assert "Stanowisko organizatora:" in mine and "Przyjęta w całości." in mine
    visitor = app.test_client()
    slug = setting["consultation"].slug
    assert "Przyjęta w całości." in visitor.get(f"/consultations/{slug}/comments/{first.number}").get_data(as_text=True)
    assert "Przyjęta w całości." in visitor.get(f"/consultations/{slug}/comments").get_data(as_text=True)
    assert "Projekt odpowiedzi." not in visitor.get(f"/consultations/{slug}/comments/{second.number}").get_data(
        as_text=True
    )


def test_the_team_page_saves_the_chosen_officials(client, db, login, setting, create_user):
    colleague = create_user(UserRole.OFFICIAL, display_name="Kolega z Wydziału")
    login(setting["official"])
    url = f"/manage/consultations/{setting['consultation'].slug}/team"
    assert "Kolega z Wydziału" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"officials": [setting["official"].id, colleague.id]}, follow_redirects=True)
    assert "Zespół został zapisany." in response.get_data(as_text=True)
    db.session.expire_all()
    assert {o.id for o in setting["consultation"].officials} == {setting["official"].id, colleague.id}
    # An official who is not one of the choices is refused by the form, and nothing changes.
    refused = client.post(url, data={"officials": [99_999]})
    assert refused.status_code == 422
    db.session.expire_all()
    assert len(setting["consultation"].officials) == 2


def test_assigning_in_bulk_without_comments_is_refused_with_a_message(client, db, login, setting):
    login(setting["official"])
    response = client.post(
        f"/manage/consultations/{setting['consultation'].slug}/bulk",
        data={"action": "assign", "assignee": str(setting["official"].id), "status": "noted"},
        follow_redirects=True,
    )
    assert "Zaznacz uwagi do przydzielenia." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "comment.assign")) == 0


def test_a_refused_moderation_action_is_flashed_and_changes_nothing(client, db, login, setting):
    login(setting["official"])
    comment = setting["comments"][0]
    response = client.post(
        f"/manage/consultations/{setting['consultation'].slug}/comments/{comment.number}/restore",
        data={"restore-note": "Pomyłka."},
        follow_redirects=True,
    )
    assert "Przywrócić można tylko ukrytą uwagę." in response.get_data(as_text=True)
    db.session.expire_all()
    assert comment.status == CommentStatus.PUBLISHED
