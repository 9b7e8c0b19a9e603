"""Time: stored and compared in UTC, entered and shown in Europe/Warsaw."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

LOCAL_TZ = ZoneInfo("Europe/Warsaw")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def from_local(naive_local: datetime) -> datetime:
    """A wall-clock time typed in Kraków (naive) as an aware UTC datetime.

    ``fold=0`` picks the first of the two 02:30s at the end of summer time; a time
    that does not exist at its start (02:30 on the last Sunday of March) moves on by
    the gap, which is what a clock on the wall does.
    """
    if naive_local.tzinfo is not None:
        return naive_local.astimezone(UTC)
    return naive_local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """``DateTime(timezone=True)`` that always gives back an aware UTC datetime.

    SQLite stores no offset and returns naive values; PostgreSQL returns them in the
    session's zone. Both come back here as UTC so comparisons never mix the two.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use utcnow() or from_local()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
