"""Every moderation action × who is asking: anonymous, member, official of this
consultation (team), another official, admin."""

import pytest

from consult.accounts.models import UserRole
from consult.comments.models import CommentStatus

WHO = ("anonymous", "member", "team_official", "other_official", "admin")

# action: (method, path template, form data, expected codes by WHO)
ACTIONS = {
    "queue": ("get", "/manage/consultations/{slug}/moderation", None, (302, 403, 200, 200, 200)),
    "progress": ("get", "/manage/consultations/{slug}/progress", None, (302, 403, 200, 200, 200)),
    "positions": ("get", "/manage/consultations/{slug}/positions", None, (302, 403, 200, 200, 200)),
    "comment": ("get", "/manage/consultations/{slug}/comments/{number}", None, (302, 403, 200, 200, 200)),
    "approve": ("post", "/manage/consultations/{slug}/comments/{number}/approve", {}, (302, 403, 302, 403, 302)),
    "hide": (
        "post",
        "/manage/consultations/{slug}/comments/{number}/hide",
        {"hide-reason": "spam"},
        (302, 403, 302, 403, 302),
    ),
    "assign": (
        "post",
        "/manage/consultations/{slug}/comments/{number}/assign",
        {"assign-assignee": "", "assign-department": "X"},
        (302, 403, 302, 403, 302),
    ),
    "position": (
        "post",
        "/manage/consultations/{slug}/comments/{number}/position",
        {"position-status": "accepted", "position-reason": "Tak.", "position-row_version": ""},
        (302, 403, 302, 403, 302),
    ),
    "publish": ("post", "/manage/consultations/{slug}/positions/publish", {}, (302, 403, 302, 403, 302)),
    "audit_log": ("get", "/admin/audit", None, (302, 403, 403, 403, 200)),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", WHO)
def test_moderation_permission_matrix(
    client, db, create_user, create_organisation, create_consultation, create_comment, login, action, who
):
    team_official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[team_official])
    comment = create_comment(consultation, create_organisation("Fundacja"), status=CommentStatus.PENDING)
    users = {
        "member": lambda: create_user(UserRole.MEMBER),
        "team_official": lambda: team_official,
        "other_official": lambda: create_user(UserRole.OFFICIAL),
        "admin": lambda: create_user(UserRole.ADMIN),
    }
    if who != "anonymous":
        login(users[who]())
    method, path, data, expected = ACTIONS[action]
    url = path.format(slug=consultation.slug, number=comment.number)
    response = client.get(url) if method == "get" else client.post(url, data=data)
    assert response.status_code == expected[WHO.index(who)]
    if who == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("who", "allowed"), [("anonymous", False), ("other_member", False), ("author_org", True), ("official", False)]
)
def test_only_the_authors_organisation_asks_for_a_review(
    client, db, create_user, create_organisation, create_consultation, create_comment, login, who, allowed
):
    author = create_user()
    consultation = create_consultation("open")
    comment = create_comment(
        consultation, create_organisation("Autorzy", members=[author]), status=CommentStatus.HIDDEN
    )
    users = {
        "other_member": lambda: create_user(),
        "author_org": lambda: author,
        "official": lambda: create_user(UserRole.OFFICIAL),
    }
    if who != "anonymous":
        login(users[who]())
    response = client.get(f"/consultations/{consultation.slug}/comments/{comment.number}/review")
    assert (response.status_code == 200) == allowed
