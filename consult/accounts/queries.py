"""Reading accounts and organisations."""

from functools import lru_cache

import sqlalchemy as sa
from flask import session

from consult.accounts.models import Membership, MembershipStatus, Organisation, OrganisationStatus, User
from consult.accounts.validators import digits_only
from consult.core.text import fold_for_search, like_pattern
from consult.extensions import db

MAX_QUERY = 200  # characters of a search read; an organisation's name has at most 300


def organisations_of(user: User) -> list[Organisation]:
    """The organisations a user currently acts for (active memberships), by name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(_organisations_of_query(), {"user_id": user.id}))


def acting_memberships(user_id) -> sa.ColumnElement[bool]:
    """The memberships through which a user acts for an organisation: the active ones (one rule
    for :func:`organisations_of` and for queries that join them, such as the comment form's)."""
    return sa.and_(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)


@lru_cache(maxsize=1)
def _organisations_of_query() -> sa.Select:
    """Built once, the user bound at execution: most signed-in pages ask it."""
    return (
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(acting_memberships(sa.bindparam("user_id")))
        .order_by(Organisation.name)
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


def search_verified_organisations(query: str, limit: int = 200) -> list[Organisation]:
    """Verified organisations whose name contains the query (case and Polish letters folded, the
    same on SQLite and PostgreSQL), or whose KRS number it is; all of them for an empty query."""
    statement = sa.select(Organisation).where(Organisation.status == OrganisationStatus.VERIFIED)
    folded = fold_for_search(query[:MAX_QUERY])
    if folded:
        matches = Organisation.search_name.like(like_pattern(folded), escape="\\")
        krs = digits_only(folded)
        if len(krs) == 10 and krs.isascii() and krs.isdigit():
            matches = sa.or_(matches, Organisation.krs == krs)
        statement = statement.where(matches)
    return list(db.session.scalars(statement.order_by(Organisation.search_name, Organisation.id).limit(limit)))
