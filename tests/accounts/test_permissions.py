"""The account and organisation predicates as a matrix: role × action."""

import pytest
from flask_login import AnonymousUserMixin

from consult.accounts import permissions
from consult.accounts.models import OrganisationStatus, UserRole

ACTIONS = {
    # action: (predicate, needs organisation)
    "view_pending_organisation": (permissions.can_view_organisation, True),
    "edit_organisation": (permissions.can_edit_organisation, True),
    "manage_members": (permissions.can_manage_members, True),
    "ask_to_join": (permissions.can_ask_to_join, True),
    "create_organisation": (permissions.can_create_organisation, False),
    "verify_organisations": (permissions.can_verify_organisations, False),
    "manage_staff": (permissions.can_manage_staff, False),
}

#            anonymous, member of it, member elsewhere, unconfirmed, official, admin
EXPECTED = {
    "view_pending_organisation": (False, True, False, False, True, True),
    "edit_organisation": (False, True, False, False, False, False),
    "manage_members": (False, True, False, False, False, False),
    "ask_to_join": (False, False, True, False, True, True),
    "create_organisation": (False, True, True, False, True, True),
    "verify_organisations": (False, False, False, False, True, True),
    "manage_staff": (False, False, False, False, False, True),
}
ROLES = ("anonymous", "member", "other_member", "unconfirmed", "official", "admin")


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_permission_matrix(db, create_user, create_organisation, action):
    users = {
        "anonymous": AnonymousUserMixin(),
        "member": create_user(UserRole.MEMBER),
        "other_member": create_user(UserRole.MEMBER),
        "unconfirmed": create_user(UserRole.MEMBER, email_confirmed_at=None),
        "official": create_user(UserRole.OFFICIAL),
        "admin": create_user(UserRole.ADMIN),
    }
    organisation = create_organisation("Czekająca", status=OrganisationStatus.PENDING, members=[users["member"]])
    create_organisation("Inna", members=[users["other_member"]])
    predicate, with_organisation = ACTIONS[action]
    answers = tuple(
        predicate(users[role], organisation) if with_organisation else predicate(users[role]) for role in ROLES
    )
    assert answers == EXPECTED[action]
