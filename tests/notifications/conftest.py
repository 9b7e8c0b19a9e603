"""A real SMTP server on loopback (aiosmtpd), and the app pointed at it."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest


@dataclass
class SmtpServer:
    """What an SMTP server on 127.0.0.1 received; ``refuse_with`` makes it answer DATA with an error."""

    host: str
    port: int
    received: list = field(default_factory=list)
    refuse_with: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_with:
            return self.refuse_with
        with self.lock:
            self.received.append(
                (envelope.rcpt_tos, email.message_from_bytes(envelope.original_content, policy=email.policy.default))
            )
        return "250 Message accepted for delivery"

    def messages_to(self, address: str) -> list:
        return [message for recipients, message in self.received if address in recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_server(app, monkeypatch):
    """An aiosmtpd server for this test; the app sends to it over SMTP (jobs run at once)."""
    from aiosmtpd.controller import Controller

    server = SmtpServer("127.0.0.1", free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    for name, value in {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": server.host,
        "MAIL_PORT": server.port,
        "MAIL_USE_TLS": False,
        "MAIL_TIMEOUT": 5,
        "MAIL_DEFAULT_SENDER": "Konsultacje <konsultacje@krakow.example>",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    yield server
    controller.stop()
