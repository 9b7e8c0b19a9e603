"""Reading accounts and organisations."""

import sqlalchemy as sa

from consult.accounts.models import Membership, MembershipStatus, Organisation, User
from consult.extensions import db


def organisations_of(user: User) -> list[Organisation]:
    """The organisations a user currently acts for (active memberships), by name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Organisation.name)
    ))
