"""Throttling sign-in attempts without handing anyone a way to lock others out.

Failed attempts (a wrong password, a wrong two-factor code) are counted twice:

* per account *and* the address they come from (``LOGIN_LIMIT_PER_ADDRESS``, 10 per
  15 minutes): someone guessing from one network stops there, and the owner, signing
  in from their own network, is not affected by it;
* per account alone, with a much higher ceiling (``LOGIN_LIMIT_PER_ACCOUNT``, 100 per
  hour): guessing spread over many addresses still ends, at the price of the owner
  waiting too, which a password reset undoes.

Only failures count, and a throttled attempt does not even check the password. A
successful password reset lifts the account's throttle: it clears the per-account
count and starts a new epoch for the pair counts (the epoch is part of their keys, so
every address's count starts again without listing them).

The counts live in the rate limiter's storage (Redis when ``REDIS_URL`` is set, so
every worker sees the same count) and follow ``RATELIMIT_ENABLED``.
"""

import math
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import ngettext
from limits import parse

from consult.accounts.addresses import address_key
from consult.extensions import limiter

_EPOCH_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class Wait:
    """How long until another attempt is allowed."""

    seconds: int

    def in_words(self) -> str:
        return wait_in_words(self.seconds)


def wait_in_words(seconds: int) -> str:
    """ "in 14 minutes" ("za 14 minut"): seconds under a minute, whole minutes (rounded up) above."""
    if seconds < 60:
        seconds = max(1, seconds)
        return ngettext("in %(num)d second", "in %(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("in %(num)d minute", "in %(num)d minutes", minutes)


def _enabled() -> bool:
    # The app's own setting first: tests run apps with and without limits side by side.
    return bool(current_app.config.get("RATELIMIT_ENABLED", True) and limiter.enabled)


def _limits():
    config = current_app.config
    return (
        parse(config.get("LOGIN_LIMIT_PER_ADDRESS", "10 per 15 minutes")),
        parse(config.get("LOGIN_LIMIT_PER_ACCOUNT", "100 per hour")),
    )


def _epoch(account: str) -> int:
    return int(limiter.storage.get(f"signin-epoch/{account}") or 0)


def _keys(email: str, address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    account = address_key(email)
    pair = ("signin-pair", account, str(_epoch(account)), address or "-")
    return pair, ("signin-account", account)


def wait_before_attempt(email: str, address: str) -> Wait | None:
    """None if an attempt may go ahead; otherwise how long to wait."""
    if not _enabled():
        return None
    pair_limit, account_limit = _limits()
    pair, account = _keys(email, address)
    now = time.time()
    # Never longer than the window: Redis stamps hits with its own clock, which may run a
    # little ahead of ours, and "in 16 minutes" for a 15-minute window would be wrong.
    waits = [
        min(limiter.limiter.get_window_stats(item, *key).reset_time - now, item.get_expiry())
        for item, key in ((pair_limit, pair), (account_limit, account))
        if not limiter.limiter.test(item, *key)
    ]
    return Wait(math.ceil(max(waits))) if waits else None


def record_failure(email: str, address: str) -> None:
    if not _enabled():
        return
    pair_limit, account_limit = _limits()
    pair, account = _keys(email, address)
    limiter.limiter.hit(pair_limit, *pair)
    limiter.limiter.hit(account_limit, *account)


def lift(email: str) -> None:
    """After a successful password reset: the owner is back, whoever else was guessing."""
    if not _enabled():
        return
    account = address_key(email)
    _pair_limit, account_limit = _limits()
    limiter.limiter.clear(account_limit, "signin-account", account)
    limiter.storage.incr(f"signin-epoch/{account}", _EPOCH_TTL)
