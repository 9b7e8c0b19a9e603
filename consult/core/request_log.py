"""Request ids, and with ``LOG_FORMAT=json`` one JSON line per request.

Every response carries ``X-Request-ID`` (the proxy's, when it is trusted and sent
one, so nginx's access log and ours share it; a new one otherwise). With
``LOG_FORMAT=json`` the ``consult.requests`` logger writes, when the response has
been sent in full::

    {"time": "...", "level": "INFO", "logger": "consult.requests", "request_id": "...",
     "method": "POST", "path": "/login", "route": "/login", "status": 302,
     "duration_ms": 41.2, "wait_ms": 3.0, "user_id": 7, "client": "203.0.113.9"}

``wait_ms`` is the time between the proxy's stamp and the application's entry (the
queue in front of the workers); ``duration_ms`` runs from entry to the last byte.
Application log records become JSON lines of the same shape. Tokens in paths
(confirmation, reset and invitation links) are never written.
"""

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_request_context, request

from consult.core.request_time import ENVIRON_KEY

REQUEST_LOGGER = "consult.requests"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id() -> str | None:
    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "") if current_app.config.get("TRUSTED_PROXIES") else ""
        g.request_id = given if _VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the fields a request record carries are kept as they are."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
            entry["request_id"] = request_id()
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).strip()
        return json.dumps(entry, ensure_ascii=False, default=str)


def _safe_path() -> str:
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(value, f"<{name}>")
    return path


def _log_request(response: Response) -> Response:
    environ = request.environ
    entered = environ.get("consult.entered")
    entered_perf = environ.get("consult.entered_perf")
    arrived = environ.get(ENVIRON_KEY)
    user = g.get("_login_user")
    fields = {
        "request_id": request_id(),
        "method": request.method,
        "path": _safe_path(),
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "user_id": user.id if user is not None and user.is_authenticated else None,
        "client": request.remote_addr,
    }
    if entered is not None and arrived is not None:
        fields["wait_ms"] = round(max(entered - arrived.timestamp(), 0.0) * 1000, 1)
    logger = logging.getLogger(REQUEST_LOGGER)

    def write() -> None:
        if entered_perf is not None:
            fields["duration_ms"] = round((time.perf_counter() - entered_perf) * 1000, 1)
        logger.info("request", extra={"fields": fields})

    response.call_on_close(write)  # after the last byte: streamed downloads count in full
    return response


def _add_request_id(response: Response) -> Response:
    response.headers.setdefault("X-Request-ID", request_id())
    return response


def register_request_log(app: Flask) -> None:
    app.after_request(_add_request_id)
    if app.config.get("LOG_FORMAT") != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    app.logger.handlers[:] = [handler]
    app.after_request(_log_request)
