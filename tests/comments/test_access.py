"""Every comment action over HTTP: role × consultation status → what the user gets.

Roles: anonymous, a member of an unverified organisation, a member of another
(verified) organisation, a representative of the commenting organisation, an official.
"""

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, UserRole
from consult.comments.models import Comment, CommentKind, CommentStatus, Support
from consult.drafts.queries import current_version

ROLES = ["anonymous", "unverified", "other", "author", "official"]
STATUSES = ["draft", "open", "closed"]
SIGN_IN = 302  # login_required sends the anonymous visitor to sign in


@pytest.fixture()
def world(db, create_user, create_organisation, create_consultation):
    users = {
        "unverified": create_user(),
        "other": create_user(),
        "author": create_user(),
        "official": create_user(UserRole.OFFICIAL),
    }
    organisations = {
        "unverified": create_organisation(
            "Nowe Koło", status=OrganisationStatus.PENDING, members=[users["unverified"]]
        ),
        "other": create_organisation("Inna Fundacja", members=[users["other"]]),
        "author": create_organisation("Fundacja Autorska", members=[users["author"]]),
    }
    consultations = {}
    for status in STATUSES:
        consultation = create_consultation(status)
        version = current_version(consultation.id) or consultation.versions[-1]
        for number, comment_status in ((1, CommentStatus.PUBLISHED), (2, CommentStatus.PENDING)):
            db.session.add(
                Comment(
                    consultation=consultation,
                    version=version,
                    organisation=organisations["author"],
                    author_id=users["author"].id,
                    number=number,
                    kind=CommentKind.GENERAL,
                    justification=f"Uwaga {number}.",
                    status=comment_status,
                )
            )
        consultations[status] = consultation
    db.session.commit()
    return users, organisations, consultations


def _act(client, action, consultation, organisation):
    base = f"/consultations/{consultation.slug}"
    if action == "send":
        return client.post(
            f"{base}/comment?paragraph=par-1-pkt-1",
            data={
                "organisation": organisation.id,
                "kind": "delete",
                "justification": "Zbędny przepis.",
                "action": "send",
            },
        )
    if action == "edit":
        return client.post(
            f"{base}/comments/1/edit", data={"kind": "general", "justification": "Zmieniona uwaga.", "action": "send"}
        )
    if action == "withdraw":
        return client.post(f"{base}/comments/1/withdraw")
    if action == "support":
        return client.post(f"{base}/comments/1/support", data={"organisation": organisation.id})
    if action == "read_pending":
        return client.get(f"{base}/comments/2")
    raise AssertionError(action)


# (action, status) -> {role: status code}; side effects are checked below.
EXPECTED = {
    ("send", "draft"): dict(anonymous=404, unverified=404, other=404, author=404, official=403),
    ("send", "open"): dict(anonymous=403, unverified=403, other=302, author=302, official=403),
    ("send", "closed"): dict(anonymous=403, unverified=403, other=409, author=409, official=403),
    ("edit", "draft"): dict(anonymous=SIGN_IN, unverified=404, other=404, author=404, official=403),
    ("edit", "open"): dict(anonymous=SIGN_IN, unverified=403, other=403, author=302, official=403),
    ("edit", "closed"): dict(anonymous=SIGN_IN, unverified=403, other=403, author=409, official=403),
    ("withdraw", "draft"): dict(anonymous=SIGN_IN, unverified=404, other=404, author=404, official=403),
    ("withdraw", "open"): dict(anonymous=SIGN_IN, unverified=403, other=403, author=302, official=403),
    ("withdraw", "closed"): dict(anonymous=SIGN_IN, unverified=403, other=403, author=409, official=403),
    ("support", "draft"): dict(anonymous=SIGN_IN, unverified=404, other=404, author=404, official=403),
    ("support", "open"): dict(anonymous=SIGN_IN, unverified=403, other=302, author=403, official=403),
    ("support", "closed"): dict(anonymous=SIGN_IN, unverified=403, other=302, author=403, official=403),
    ("read_pending", "draft"): dict(anonymous=404, unverified=404, other=404, author=404, official=200),
    ("read_pending", "open"): dict(anonymous=404, unverified=404, other=404, author=200, official=200),
    ("read_pending", "closed"): dict(anonymous=404, unverified=404, other=404, author=200, official=200),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["send", "edit", "withdraw", "support", "read_pending"])
def test_access_matrix(client, db, login, world, action, status, role):
    users, organisations, consultations = world
    consultation = consultations[status]
    if role != "anonymous":
        login(users[role])
    organisation = organisations.get(role, organisations["author"])
    response = _act(client, action, consultation, organisation)
    expected = EXPECTED[action, status][role]
    assert response.status_code == expected, response.get_data(as_text=True)[:500]

    db.session.expire_all()
    comments = db.session.scalars(
        sa.select(Comment).where(Comment.consultation_id == consultation.id).order_by(Comment.number)
    ).all()
    succeeded = (action, status, role) in {
        ("send", "open", "other"),
        ("send", "open", "author"),
        ("edit", "open", "author"),
        ("withdraw", "open", "author"),
        ("support", "open", "other"),
    }
    assert (len(comments) == 3) == (succeeded and action == "send")
    assert (comments[0].justification == "Zmieniona uwaga.") == (succeeded and action == "edit")
    assert (comments[0].status == CommentStatus.WITHDRAWN) == (succeeded and action == "withdraw")
    supports = db.session.scalar(sa.select(sa.func.count()).select_from(Support))
    assert (supports == 1) == (succeeded and action == "support")
    if expected == 409:
        assert "Konsultacje zakończyły się" in response.get_data(as_text=True)
    if action == "read_pending" and expected == 200:
        assert "Uwaga 2." in response.get_data(as_text=True)
