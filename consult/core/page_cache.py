"""The public page of a consultation (and its open-data JSON), kept rendered until the consultation changes.

A consultation read by a crowd is rendered once per change instead of once per reader. An entry
is valid while the consultation's *stamp* is the one it was rendered under, in the same minute
(the page says how much time is left) and the same language. The stamp moves after every commit
that wrote a row the page shows (the consultation, its versions and provisions, its comments,
documents and meetings): the session events below note what a flush or an ORM statement wrote,
and the stamps move once the transaction has committed (a rolled-back one moves nothing).
Rows that cannot be traced to one consultation move every stamp.

Only what everyone sees the same is kept: a visitor who is not signed in, without a query
other than ``?lang=``, with no message waiting to be flashed, not within a minute of the
opening or the deadline. Entries and stamps live in Redis with ``REDIS_URL`` (every worker
shares them), otherwise in this process; an entry expires after ``TTL`` seconds in any case,
so a stamp lost with Redis cannot keep a page stale for longer.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import chain

import sqlalchemy as sa
from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.orm import Session

TTL = 300
# Tables the consultation page shows whose rows do not name their consultation: a change moves
# every stamp (they change seldom: an import, a registration for a meeting, a renamed organisation).
UNTRACEABLE_TABLES = {"sections", "paragraphs", "meeting_registrations", "organisations"}
# Tables whose rows name their consultation (``consultation_id``).
TRACEABLE_TABLES = {"comments", "draft_versions", "attachments", "meetings", "letters"}
EVERYTHING = 0  # the stamp that every page's key includes
_CHANGED = "consult_page_cache_changed"


# --- the cache -----------------------------------------------------------------------------------


class _MemoryStore:
    """This process's memory: for a single worker without Redis."""

    def __init__(self, size: int = 64):
        self.lock = threading.Lock()
        self.stamps: dict[int, int] = {}
        self.pages: OrderedDict[tuple[int, str], tuple[str, float, str]] = OrderedDict()
        self.size = size

    def read(self, consultation_id: int, lang: str) -> tuple[str, str | None]:
        with self.lock:
            stamp = f"{self.stamps.get(EVERYTHING, 0)}.{self.stamps.get(consultation_id, 0)}"
            entry = self.pages.get((consultation_id, lang))
            if entry is None or entry[1] < _clock():
                return stamp, None
            return stamp, entry[0] + "\n" + entry[2]

    def write(self, consultation_id: int, lang: str, key: str, html: str) -> None:
        with self.lock:
            self.pages[(consultation_id, lang)] = (key, _clock() + TTL, html)
            self.pages.move_to_end((consultation_id, lang))
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def bump(self, consultation_ids: set[int]) -> None:
        with self.lock:
            for consultation_id in consultation_ids:
                self.stamps[consultation_id] = self.stamps.get(consultation_id, 0) + 1


class _RedisStore:
    STAMP = "consult:page-stamp:{}"
    PAGE = "consult:page:{}:{}"

    def __init__(self, url: str):
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def read(self, consultation_id: int, lang: str) -> tuple[str, str | None]:
        pipe = self.redis.pipeline(transaction=False)
        pipe.mget(self.STAMP.format(EVERYTHING), self.STAMP.format(consultation_id))
        pipe.get(self.PAGE.format(consultation_id, lang))
        (everything, own), page = pipe.execute()
        stamp = f"{int(everything or 0)}.{int(own or 0)}"
        return stamp, page.decode() if page is not None else None

    def write(self, consultation_id: int, lang: str, key: str, html: str) -> None:
        self.redis.set(self.PAGE.format(consultation_id, lang), key + "\n" + html, ex=TTL)

    def bump(self, consultation_ids: set[int]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for consultation_id in consultation_ids:
            pipe.incr(self.STAMP.format(consultation_id))
        pipe.execute()


def _clock() -> float:
    import time

    return time.monotonic()


def _store(app=None):
    app = app or current_app
    store = app.extensions.get("consult.page_cache")
    if store is None:
        url = app.config.get("REDIS_URL")
        store = _RedisStore(url) if url else _MemoryStore()
        app.extensions["consult.page_cache"] = store
    return store


def _cacheable(opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    if not current_app.config.get("PAGE_CACHE", True) or request.method != "GET":
        return False
    if set(request.args) - {"lang"} or "_flashes" in session or not current_user.is_anonymous:
        return False
    margin = timedelta(minutes=1)
    return all(abs(now - moment) > margin for moment in (opens_at, closes_at) if moment is not None)


def cached_page(consultation, now: datetime, render: Callable[[], str], *, variant: str | None = None) -> str:
    """The page ``render()`` makes, from the cache while the consultation has not changed.

    ``variant`` names a rendering that does not depend on the language (the open-data JSON of
    the same consultation); without it, each language has its own entry."""
    if not _cacheable(consultation.opens_at, consultation.closes_at, now):
        return render()
    lang = variant or str(get_locale())
    minute = int(now.timestamp() // 60)
    try:
        stamp, entry = _store().read(consultation.id, lang)
    except Exception:  # Redis away: the page is made as if there were no cache
        current_app.logger.warning("Page cache unavailable", exc_info=True)
        return render()
    # The consultation was read before its stamp: its own last change in the key keeps a page
    # rendered from a copy older than the stamp from being taken for the current one.
    updated = consultation.updated_at.timestamp() if consultation.updated_at else 0
    key = f"{stamp}:{minute}:{updated}"
    if entry is not None:
        entry_key, _, html = entry.partition("\n")
        if entry_key == key:
            return html
    html = render()
    try:
        _store().write(consultation.id, lang, key, html)
    except Exception:
        current_app.logger.warning("Page cache unavailable", exc_info=True)
    return html


# --- what a transaction changed ------------------------------------------------------------------


def _consultation_of(obj) -> int | None:
    """The consultation a written row belongs to; EVERYTHING if it cannot say; None if no page shows it."""
    table = getattr(type(obj), "__tablename__", None)
    if table == "consultations":
        return obj.id
    if table in UNTRACEABLE_TABLES:
        return EVERYTHING
    if table in TRACEABLE_TABLES:
        return getattr(obj, "consultation_id", None) or EVERYTHING
    return None


def changed(session: Session, consultation_id: int) -> None:
    """Note that this transaction changed what the consultation's page shows (for writes the
    session events cannot see, such as an INSERT statement of an operation)."""
    session.info.setdefault(_CHANGED, set()).add(consultation_id)


@sa.event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    noted = session.info.setdefault(_CHANGED, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        consultation_id = _consultation_of(obj)
        if consultation_id is not None:
            noted.add(consultation_id)


@sa.event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    """INSERT/UPDATE/DELETE statements on the page's tables (bulk writes) move every stamp,
    unless the operation named its consultation with ``changed()``."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = mapper.local_table.name if mapper is not None else None
    if table in UNTRACEABLE_TABLES or table in TRACEABLE_TABLES:
        if not state.execution_options.get("page_cache_noted"):
            state.session.info.setdefault(_CHANGED, set()).add(EVERYTHING)


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_CHANGED, None)


@sa.event.listens_for(Session, "after_commit")
def _move_stamps(session: Session) -> None:
    noted = session.info.pop(_CHANGED, None)
    if not noted:
        return
    try:
        _store().bump(noted)
    except RuntimeError:  # no application (a script outside one): nothing is cached there either
        return
    except Exception:  # Redis away: the entries expire after TTL
        current_app.logger.warning("Page cache: stamps not moved", exc_info=True)
