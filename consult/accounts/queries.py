"""Reading accounts and organisations."""

import sqlalchemy as sa
from flask import session

from consult.accounts.models import Membership, MembershipStatus, Organisation, User
from consult.extensions import db


def organisations_of(user: User) -> list[Organisation]:
    """The organisations a user currently acts for (active memberships), by name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(Organisation.name)
        )
    )


# The session remembers on whose behalf a representative of several organisations acts.
ACTING_ORGANISATION_KEY = "acting_organisation_id"


def acting_organisation(user: User) -> Organisation | None:
    """The organisation chosen on "My organisations", or the first one the user represents."""
    organisations = organisations_of(user)
    chosen = session.get(ACTING_ORGANISATION_KEY)
    for organisation in organisations:
        if organisation.id == chosen:
            return organisation
    return organisations[0] if organisations else None
