"""When a request arrived: the moment that decides whether it met a deadline.

Under load a request can wait seconds in gunicorn's queue (or a proxy's) before a
worker reads the clock, so "now" inside a view is too late to judge a comment sent
just before the consultation closed. :class:`ArrivalStamp` wraps the whole WSGI
application and writes the arrival into the WSGI environ before anything else runs:

* behind trusted proxies (``TRUSTED_PROXIES`` > 0) the proxy's own stamp,
  ``X-Request-Start: t=<seconds since the epoch>`` (nginx:
  ``proxy_set_header X-Request-Start "t=${msec}";``), when it is plausible;
* otherwise, or when the stamp is missing or absurd, the moment the request reached
  the application.

:func:`arrival_time` gives it back in a view (and the clock outside a request, so
the CLI and jobs can call the same function).
"""

import logging
import math
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from flask import has_request_context, request

from consult.core import time as clock

ENVIRON_KEY = "consult.arrived_at"
# A proxy's stamp older than this is not a queue wait but a wrong clock (or a replay).
DEFAULT_MAX_WAIT = 120.0
# A proxy clock a little ahead of ours is ordinary skew; the arrival is then our own entry.
MAX_CLOCK_SKEW = 5.0

logger = logging.getLogger(__name__)


def parse_request_start(value: str | None) -> float | None:
    """Seconds since the epoch from an ``X-Request-Start`` value, or ``None``.

    nginx's ``t=${msec}`` gives seconds with milliseconds (``t=1764000000.123``);
    other proxies send milliseconds or microseconds as an integer. The unit is told
    apart by size.
    """
    if not value:
        return None
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    if not text or len(text) > 32:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    if number > 1e14:  # microseconds
        return number / 1e6
    if number > 1e11:  # milliseconds
        return number / 1e3
    return number


def choose_arrival(stamp: float | None, entered: float, max_wait: float = DEFAULT_MAX_WAIT) -> float:
    """The arrival: the proxy's stamp when it is plausible, the application's entry otherwise."""
    if stamp is None:
        return entered
    if stamp > entered + MAX_CLOCK_SKEW or stamp < entered - max_wait:
        logger.warning(
            "Ignoring X-Request-Start %.3f: %.3f s from this server's clock (check the proxy's clock)",
            stamp,
            stamp - entered,
        )
        return entered
    return min(stamp, entered)


class ArrivalStamp:
    """WSGI middleware, outermost: records when each request arrived (see the module)."""

    def __init__(self, app: Callable, *, trust_proxy_stamp: bool, max_wait: float = DEFAULT_MAX_WAIT) -> None:
        self.app = app
        self.trust_proxy_stamp = trust_proxy_stamp
        self.max_wait = max_wait

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        entered = clock.utcnow().timestamp()  # the one clock of the application (tests set it)
        stamp = parse_request_start(environ.get("HTTP_X_REQUEST_START")) if self.trust_proxy_stamp else None
        arrived = choose_arrival(stamp, entered, self.max_wait)
        environ[ENVIRON_KEY] = datetime.fromtimestamp(arrived, UTC)
        environ["consult.entered"] = entered
        environ["consult.entered_perf"] = time.perf_counter()  # for durations, whatever the wall clock does
        return self.app(environ, start_response)


def arrival_time() -> datetime:
    """When the current request arrived (UTC); the clock when there is no request."""
    if has_request_context():
        arrived = request.environ.get(ENVIRON_KEY)
        if arrived is not None:
            return arrived
    return clock.utcnow()
