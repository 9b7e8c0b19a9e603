"""Who may act for an organisation: pure predicates for views and templates."""

from consult.accounts.models import MembershipStatus, Organisation


def is_member_of(user, organisation: Organisation) -> bool:
    """An active representative of the organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.user_id == user.id and m.status == MembershipStatus.ACTIVE for m in organisation.memberships
    )
