"""Sending e-mail: SMTP when MAIL_SERVER is set, the log otherwise.

Operations never send mail themselves (a rolled-back request must not have told
anyone anything): they return what happened, and the view calls :func:`send_mail`
after the commit. Under TESTING, messages are kept in ``outbox()`` for assertions.
"""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app


@dataclass(frozen=True)
class SentMessage:
    to: str
    subject: str
    body: str


def outbox() -> list[SentMessage]:
    return current_app.extensions.setdefault("consult_outbox", [])


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = SentMessage(to=to, subject=subject, body=body)
    if current_app.testing:
        outbox().append(message)
        return
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("E-mail (no MAIL_SERVER set, not sent)\nTo: %s\nSubject: %s\n\n%s", to, subject, body)
        return
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)  # plain text: nothing a user typed can become markup in a mail client
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException):
        # The user's action has already succeeded; a lost notification is logged, not shown as an error.
        current_app.logger.exception("Could not send e-mail to %s", to)
