"""The arrival stamp: how a proxy's X-Request-Start is read, and when it is not believed."""

import pytest

from consult.core import time as clock
from consult.core.request_time import DEFAULT_MAX_WAIT, ArrivalStamp, choose_arrival, parse_request_start


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("t=1764000000.123", 1764000000.123),  # nginx: t=${msec}
        ("1764000000.5", 1764000000.5),
        ("t=1764000000123", 1764000000.123),  # milliseconds
        ("1764000000123456", 1764000000.123456),  # microseconds
        (" t=1764000000 ", 1764000000.0),
        ("", None),
        (None, None),
        ("t=", None),
        ("t=abc", None),
        ("t=-5", None),
        ("0", None),
        ("nan", None),
        ("t=inf", None),
        ("1" * 400, None),
        ("t=1e400", None),
        ("t=1764000000.123\x00", None),
    ],
)
def test_the_proxy_stamp_is_read_in_seconds_milliseconds_or_microseconds(header, seconds):
    parsed = parse_request_start(header)
    if seconds is None:
        assert parsed is None
    else:
        assert parsed == pytest.approx(seconds, abs=1e-6)


@pytest.mark.parametrize(
    ("offset", "used"),
    [
        (-3.0, "stamp"),  # waited 3 s in the queue
        (-(DEFAULT_MAX_WAIT - 1), "stamp"),
        (-(DEFAULT_MAX_WAIT + 1), "entry"),  # a proxy clock minutes behind: not believed
        (-86400 * 365, "entry"),
        (2.0, "entry"),  # a proxy clock a little ahead: never later than our own entry
        (3600.0, "entry"),  # an hour ahead: absurd
    ],
)
def test_an_absurd_stamp_is_ignored_and_the_entry_time_used(offset, used):
    entered = 1_764_000_000.0
    assert choose_arrival(entered + offset, entered) == (entered + offset if used == "stamp" else entered)
    assert choose_arrival(None, entered) == entered


def test_the_entry_stamp_is_taken_with_the_application_clock(app):
    """Tests (and the CLI) set the one clock; the stamp follows it."""
    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        start_response("204 No Content", [])
        return [b""]

    stamp = ArrivalStamp(inner, trust_proxy_stamp=False)
    before = clock.utcnow()
    list(stamp({"REQUEST_METHOD": "GET"}, lambda *args: None))
    assert before <= seen["consult.arrived_at"] <= clock.utcnow()
