"""Who may do what with accounts and organisations: pure predicates.

Views and templates call the same functions; tests/accounts/test_permissions.py
checks them as a matrix (role × action).
"""

from consult.accounts.models import MembershipStatus, Organisation, OrganisationStatus, User
from consult.core.permissions import rule


def _signed_in(user: User) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_member_of(user: User, organisation: Organisation) -> bool:
    """An active representative of the organisation."""
    if not _signed_in(user):
        return False
    return any(m.user_id == user.id and m.status == MembershipStatus.ACTIVE for m in organisation.memberships)


@rule
def can_view_organisation(user: User, organisation: Organisation) -> bool:
    """Verified organisations are public; the others only to their people and officials."""
    return (
        organisation.status == OrganisationStatus.VERIFIED
        or is_member_of(user, organisation)
        or can_verify_organisations(user)
    )


@rule
def can_create_organisation(user: User) -> bool:
    return _signed_in(user) and user.email_confirmed_at is not None


@rule
def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    return is_member_of(user, organisation)


@rule
def can_manage_members(user: User, organisation: Organisation) -> bool:
    return is_member_of(user, organisation)


@rule
def can_ask_to_join(user: User, organisation: Organisation) -> bool:
    return (
        can_create_organisation(user)
        and not is_member_of(user, organisation)
        and organisation.status != OrganisationStatus.REJECTED
    )


@rule
def can_verify_organisations(user: User) -> bool:
    return _signed_in(user) and user.is_official


@rule
def can_manage_staff(user: User) -> bool:
    """Create officials and admins."""
    return _signed_in(user) and user.is_admin


@rule
def can_use_two_factor(user: User) -> bool:
    """Two-factor sign-in: for the people who can change what others see (officials, admins)."""
    return _signed_in(user) and user.is_official


@rule
def can_change_two_factor_policy(user: User) -> bool:
    return can_manage_staff(user)
