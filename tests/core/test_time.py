from datetime import UTC, datetime

import pytest

from consult.consultations.models import Consultation
from consult.core.time import from_local, to_local


@pytest.mark.parametrize(
    ("local", "expected_utc"),
    [
        (datetime(2026, 1, 15, 12, 0), datetime(2026, 1, 15, 11, 0, tzinfo=UTC)),  # winter, +01:00
        (datetime(2026, 7, 15, 12, 0), datetime(2026, 7, 15, 10, 0, tzinfo=UTC)),  # summer, +02:00
        (datetime(2026, 3, 29, 1, 59), datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),  # just before the switch
        (datetime(2026, 3, 29, 3, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # just after
        (datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # the first 02:30
        (datetime(2026, 11, 30, 23, 59), datetime(2026, 11, 30, 22, 59, tzinfo=UTC)),
    ],
)
def test_kraków_wall_clock_converts_to_utc_across_daylight_saving(local, expected_utc):
    assert from_local(local) == expected_utc
    assert to_local(expected_utc).replace(tzinfo=None) == local


def test_times_come_back_from_the_database_aware_and_in_utc(db, create_consultation):
    closes = from_local(datetime(2026, 11, 30, 23, 59))
    consultation = create_consultation("open", closes_at=closes, opens_at=from_local(datetime(2026, 11, 1, 8, 0)))
    db.session.expire_all()
    loaded = db.session.get(Consultation, consultation.id)
    assert loaded.closes_at.tzinfo is not None
    assert loaded.closes_at == closes
    assert loaded.closes_at.utcoffset().total_seconds() == 0


def test_a_naive_datetime_is_refused_rather_than_guessed(db, create_consultation):
    consultation = create_consultation("open")
    consultation.closes_at = datetime(2030, 1, 1)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()
