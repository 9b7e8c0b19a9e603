"""E-mail through an outbox: stored with the change that caused it, sent after the commit.

Each module composes its messages in ``notifications.py`` (:func:`compose` gives the
text and HTML parts) and the operation or view hands them to :func:`queue` before it
commits. The rows go into ``mail_outbox`` in the same transaction; when it commits,
the job queue (:mod:`consult.core.jobs`) delivers them, and a rolled-back request
has told nobody anything. A failed attempt is retried later with the error kept;
after the last one the message waits as failed for an admin (``/admin/outbox``).
``flask --app wsgi notifications send-due`` (cron) sends whatever is due, so a
restart or a lost job delays a message but never loses it.

Backends (``MAIL_BACKEND``, chosen from ``MAIL_SERVER`` when unset):

* ``smtp``: ``MAIL_SERVER``/``MAIL_PORT``/``MAIL_USE_TLS``/``MAIL_USERNAME``/``MAIL_PASSWORD``;
* ``file``: each message as an ``.eml`` under ``instance/mail/`` and one line on the
  console, the development default (production must ask for it explicitly);
* ``memory``: kept in :func:`outbox` for assertions, the default under TESTING.
"""

import re
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click
import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from consult.core import jobs
from consult.core.models import MailStatus, OutboxMessage
from consult.core.text import one_line
from consult.core.time import utcnow
from consult.extensions import db

if TYPE_CHECKING:  # core imports nothing above it at run time
    from consult.accounts.models import User

# Waits before the 2nd, 3rd, 4th and 5th attempt; after the 5th the message is failed.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
STALE_AFTER = timedelta(minutes=10)  # "sending" for this long: the job died, try again
BATCH_SIZE = 50  # messages per job, sent over one SMTP connection


# --- composing ------------------------------------------------------------------------------


_URL = re.compile(r"https?://[^\s<>\"']+")


def text_to_html(text: str) -> Markup:
    """The text part as HTML: escaped, paragraphs and line breaks kept, web addresses as links."""

    # Plain strings joined around escape(): what Markup's own format and join make, without their
    # formatter (every message of the outbox passes through here).
    def line_html(line: str) -> str:
        parts: list[str] = []
        position = 0
        for match in _URL.finditer(line):
            url = match.group(0).rstrip(".,;:!?)")
            link = escape(url)
            parts.append(escape(line[position : match.start()]))
            parts.append(f'<a href="{link}">{link}</a>')
            position = match.start() + len(url)
        parts.append(escape(line[position:]))
        return "".join(parts)

    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return Markup(
        "\n".join(
            "<p>" + "<br>\n".join(line_html(line) for line in paragraph.split("\n")) + "</p>"
            for paragraph in paragraphs
        )
    )


@dataclass(frozen=True)
class Mail:
    """A composed message, not yet queued."""

    to: str
    subject: str
    text: str
    html: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    kind: str = ""


def compose(to: str, subject: str, text: str, *, kind: str, headers: Mapping[str, str] | None = None) -> Mail:
    """A message with a plain text part and an HTML part made from it (nothing a user typed becomes markup).

    Call it in the recipient's language (``force_locale``) when that is not the page's.
    """
    html = render_template("mail/message.html", subject=subject, body=text_to_html(text))
    return Mail(to=to, subject=subject, text=text, html=html, headers=dict(headers or {}), kind=kind)


def recipient_locale(user: "User") -> str:
    """The language to write to ``user`` in: theirs when they chose one, else the default (Polish)."""
    config = current_app.config
    locale = getattr(user, "locale", None)
    return locale if locale in config["SUPPORTED_LOCALES"] else config["BABEL_DEFAULT_LOCALE"]


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message, also from a command or a job with no request.

    ``PUBLIC_URL`` (the address people use) wins when set; otherwise the request's
    host, ``SERVER_NAME``, or the development server's address.
    """
    app = current_app
    public = app.config.get("PUBLIC_URL")
    if not public and (has_request_context() or app.config.get("SERVER_NAME")):
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(public or "http://127.0.0.1:5000")
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


# --- queueing -------------------------------------------------------------------------------


def queue(*mails: Mail) -> list[OutboxMessage]:
    """Add the messages to the outbox in the current transaction; they go out after it commits."""
    now = utcnow()
    domain = _sender_domain()
    rows = [
        OutboxMessage(
            kind=mail.kind[:60],
            to_address=one_line(mail.to, 320),
            subject=one_line(mail.subject, 400),
            text_body=mail.text,
            html_body=mail.html,
            headers={one_line(k, 60): one_line(v, 2000) for k, v in mail.headers.items()},
            message_id=make_msgid("consult", domain=domain),
            status=MailStatus.QUEUED,
            attempts=0,
            next_attempt_at=now,
        )
        for mail in mails
    ]
    db.session.add_all(rows)
    return rows


def resend(messages: Iterable[OutboxMessage]) -> int:
    """Queue failed (or waiting) messages again at once; they go out after the commit."""
    now = utcnow()
    ids = []
    for message in messages:
        if message.status in (MailStatus.FAILED, MailStatus.QUEUED):
            message.status, message.attempts, message.next_attempt_at = MailStatus.QUEUED, 0, now
            ids.append(message.id)
    if ids:
        _send_after_commit(db.session, ids)
    return len(ids)


def _sender_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "localhost"
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def _send_after_commit(session: Session, ids: list[int]) -> None:
    """The messages go to the job queue with the transaction's other jobs when it commits, in
    batches (a rolled-back transaction has told nobody anything)."""
    jobs.after_commit_in_batches(
        session, deliver, ids, size=BATCH_SIZE, queue=jobs.MAIL_QUEUE, setting="MAIL_JOBS", job_timeout=600
    )


@sa.event.listens_for(Session, "after_flush")
def _note_new_messages(session: Session, _flush_context) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        _send_after_commit(session, ids)


def dispatch(ids: list[int], delay: timedelta | None = None) -> None:
    """Hand committed messages to the job queue, in batches."""
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            jobs.enqueue(deliver, batch, queue=jobs.MAIL_QUEUE, setting="MAIL_JOBS", delay=delay, job_timeout=600)
        except Exception:  # Redis away: the rows are committed, and send-due will find them
            current_app.logger.exception("Could not queue e-mails %s; they wait for the next send-due", batch)


# --- sending --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentMessage:
    """A message as the memory backend keeps it (tests read ``to``, ``subject``, ``body``)."""

    to: str
    subject: str
    body: str
    html: str | None
    email: EmailMessage

    @property
    def headers(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.email.items()}


def outbox() -> list[SentMessage]:
    """What the memory backend has sent (under TESTING)."""
    return current_app.extensions.setdefault("consult_outbox", [])


class PermanentFailure(Exception):
    """The message cannot be sent as it is (bad address, refused by the server): no retry."""


def build_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = _recipient(message.to_address)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def _recipient(address: str) -> Address:
    """Exactly one plain address, or ValueError (never a list, a display name or a header of its own)."""
    parsed = Address(addr_spec=address)
    if not parsed.username or not parsed.domain:
        raise ValueError(f"not an e-mail address: {address!r}")
    return parsed


def backend_name() -> str:
    config = current_app.config
    if config.get("MAIL_BACKEND"):
        return config["MAIL_BACKEND"]
    if config.get("MAIL_SERVER"):
        return "smtp"
    return "memory" if current_app.testing else "file"


class _Smtp:
    """One connection for a batch, opened at the first message."""

    def __init__(self) -> None:
        self.connection: smtplib.SMTP | None = None

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        config = current_app.config
        if self.connection is None:
            connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
            try:
                if config.get("MAIL_USE_TLS"):
                    connection.starttls()
                if config.get("MAIL_USERNAME"):
                    connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            except BaseException:
                connection.close()
                raise
            self.connection = connection
        try:
            self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(_smtp_error_text(error)) from error
            raise
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            if error.smtp_code >= 500:
                raise PermanentFailure(_smtp_error_text(error)) from error
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


def _smtp_error_text(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{to}: {code} {_decode(text)}" for to, (code, text) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_decode(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


class _Files:
    """Development: an .eml file per message and one line on the console."""

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        folder = Path(current_app.config.get("MAIL_FILE_DIR") or Path(current_app.instance_path) / "mail")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.created_at:%Y%m%d-%H%M%S}-{message.id:06d}.eml"
        path.write_bytes(bytes(email))
        link = _URL.search(message.text_body)
        click.echo(
            f"E-mail “{message.subject}” to {message.to_address}: {path}"
            + (f" — {link.group(0).rstrip('.,;:!?)')}" if link else ""),
            err=True,
        )

    def close(self) -> None:
        pass


class _Memory:
    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        outbox().append(
            SentMessage(
                to=message.to_address,
                subject=message.subject,
                body=message.text_body,
                html=message.html_body,
                email=email,
            )
        )

    def close(self) -> None:
        pass


def _backend():
    name = backend_name()
    if name == "smtp":
        return _Smtp()
    if name == "file":
        return _Files()
    if name == "memory":
        return _Memory()
    raise RuntimeError(f"Unknown MAIL_BACKEND {name!r}: use smtp, file or memory")


def deliver(message_ids: list[int]) -> None:
    """The job: send these messages (those still due), in an app context of its own."""
    app = jobs.job_app()
    with app.app_context():
        try:
            deliver_now(message_ids)
        finally:
            db.session.remove()


def deliver_due(now: datetime | None = None, limit: int = 1000) -> int:
    """Send what waits: first attempts a job never made, retries that are due, stale claims."""
    now = now or utcnow()
    ids = db.session.scalars(sa.select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(limit)).all()
    db.session.commit()
    return deliver_now(list(ids), now=now)


def _due(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.locked_at < now - STALE_AFTER),
    )


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Take the message for this job, or None when it is not due or another job has it.

    One conditional UPDATE: of two jobs (or two send-due runs) racing for the same
    row, exactly one changes it.
    """
    taken = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(status=MailStatus.SENDING, attempts=OutboxMessage.attempts + 1, locked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if taken != 1:
        return None
    return db.session.get(OutboxMessage, message_id)


def deliver_now(message_ids: list[int], now: datetime | None = None) -> int:
    """Send each message that is due; returns how many went out."""
    now = now or utcnow()
    backend = _backend()
    sent = 0
    retry: dict[timedelta, list[int]] = {}
    connection_error: str | None = None  # the server is unreachable: do not knock again for each message
    try:
        for message_id in message_ids:
            message = _claim(message_id, now)
            if message is None:
                continue
            if connection_error is not None:
                _failed(message, connection_error, permanent=False, now=now, retry=retry)
                continue
            try:
                backend.send(build_email(message), message)
            except PermanentFailure as error:
                _failed(message, str(error), permanent=True, now=now, retry=retry)
            except (ValueError, TypeError, UnicodeError) as error:  # a header or address that cannot be sent
                _failed(message, f"{type(error).__name__}: {error}", permanent=True, now=now, retry=retry)
            except (OSError, smtplib.SMTPException) as error:
                text = _smtp_error_text(error)
                _failed(message, text, permanent=False, now=now, retry=retry)
                backend.close()
                if isinstance(error, (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)):
                    connection_error = text
            else:
                message.status, message.sent_at, message.locked_at = MailStatus.SENT, utcnow(), None
                db.session.commit()
                sent += 1
    finally:
        backend.close()
    for delay, ids in retry.items():
        dispatch(ids, delay=delay)
    return sent


def _failed(message: OutboxMessage, error: str, *, permanent: bool, now: datetime, retry: dict) -> None:
    message.last_error = error[:2000]
    message.locked_at = None
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = MailStatus.FAILED
        current_app.logger.error("E-mail %s to %s failed for good: %s", message.id, message.to_address, error)
    else:
        delay = RETRY_DELAYS[message.attempts - 1]
        message.status, message.next_attempt_at = MailStatus.QUEUED, now + delay
        retry.setdefault(delay, []).append(message.id)
        current_app.logger.warning(
            "E-mail %s to %s not sent, retry in %s: %s", message.id, message.to_address, delay, error
        )
    db.session.commit()


def purge_sent(now: datetime | None = None) -> int:
    """Forget sent messages after ``MAIL_KEEP_SENT_DAYS`` (they hold addresses and personal text)."""
    before = (now or utcnow()) - timedelta(days=current_app.config.get("MAIL_KEEP_SENT_DAYS", 30))
    deleted = db.session.execute(
        sa.delete(OutboxMessage).where(OutboxMessage.status == MailStatus.SENT, OutboxMessage.sent_at < before)
    ).rowcount
    db.session.commit()
    return deleted
