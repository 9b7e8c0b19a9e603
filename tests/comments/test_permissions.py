"""Who may do what with comments: role × consultation status, as pure predicates."""

import pytest

from consult.accounts.models import OrganisationStatus, UserRole
from consult.comments.models import Comment, CommentKind, CommentStatus
from consult.comments.permissions import (
    can_change_comment,
    can_comment_as,
    can_find_comment,
    can_read_comment,
    can_support_comment,
    can_view_revisions,
)
from consult.consultations.models import Participation
from consult.drafts.queries import current_version

ROLES = ["anonymous", "unverified", "other", "author", "official"]
STATUSES = ["draft", "open", "closed"]


@pytest.fixture()
def world(db, create_user, create_organisation, create_consultation):
    """One consultation per status, each with a published and a pending comment by the author's organisation."""
    users = {
        "unverified": create_user(),
        "other": create_user(),
        "author": create_user(),
        "official": create_user(UserRole.OFFICIAL),
    }
    organisations = {
        "unverified": create_organisation(
            "Nowe Stowarzyszenie", status=OrganisationStatus.PENDING, members=[users["unverified"]]
        ),
        "other": create_organisation("Inna Fundacja", members=[users["other"]]),
        "author": create_organisation("Fundacja Autorska", members=[users["author"]]),
    }
    consultations, comments = {}, {}
    for status in STATUSES:
        consultation = create_consultation(status)
        version = current_version(consultation.id) or consultation.versions[-1]
        for number, comment_status in enumerate([CommentStatus.PUBLISHED, CommentStatus.PENDING], start=1):
            comment = Comment(
                consultation=consultation,
                version=version,
                organisation=organisations["author"],
                author_id=users["author"].id,
                number=number,
                kind=CommentKind.GENERAL,
                justification="Uwaga.",
                status=comment_status,
            )
            db.session.add(comment)
            comments[status, comment_status] = comment
        consultations[status] = consultation
    db.session.commit()
    users["anonymous"] = None
    return users, organisations, consultations, comments


def _organisation_of(role, organisations):
    # Anonymous users and officials act for no organisation: ask about the author's.
    return organisations.get(role, organisations["author"])


def _expected(table, role, status):
    return (role, status) in table


CAN_COMMENT = {("other", "open"), ("author", "open")}
CAN_CHANGE = {("author", "open")}
CAN_SUPPORT = {("other", "open")}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, status):
    users, organisations, consultations, comments = world
    user, consultation = users[role], consultations[status]
    published, pending = comments[status, CommentStatus.PUBLISHED], comments[status, CommentStatus.PENDING]
    organisation = _organisation_of(role, organisations)

    assert can_comment_as(user, organisation, consultation) == _expected(CAN_COMMENT, role, status)
    assert can_change_comment(user, published) == _expected(CAN_CHANGE, role, status)
    assert can_change_comment(user, pending) == _expected(CAN_CHANGE, role, status)
    assert can_support_comment(user, published, organisation) == _expected(CAN_SUPPORT, role, status)
    assert can_support_comment(user, pending, organisation) is False  # only published comments
    assert can_read_comment(user, published) is True
    assert can_read_comment(user, pending) == (role in ("author", "official"))
    assert can_find_comment(user, pending) == (role in ("author", "official"))
    assert can_view_revisions(user, published) == (role == "official")


def test_unverified_organisations_comment_where_everyone_may_take_part(world, db):
    users, organisations, consultations, _ = world
    consultation = consultations["open"]
    consultation.participation = Participation.ALL_ORGANISATIONS
    db.session.commit()
    assert can_comment_as(users["unverified"], organisations["unverified"], consultation)
    organisations["unverified"].status = OrganisationStatus.REJECTED
    db.session.commit()
    assert not can_comment_as(users["unverified"], organisations["unverified"], consultation)


def test_a_withdrawn_comment_can_no_longer_be_changed(world, db):
    users, _, _, comments = world
    comment = comments["open", CommentStatus.PUBLISHED]
    comment.status = CommentStatus.WITHDRAWN
    db.session.commit()
    assert not can_change_comment(users["author"], comment)
    assert not can_read_comment(users["other"], comment)
    assert can_find_comment(users["other"], comment)  # a placeholder stays public
