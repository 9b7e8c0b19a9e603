"""Reading the mail outbox (admins' page): a fixed number of statements per page."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from consult.core.models import MailStatus, OutboxMessage
from consult.extensions import db

PAGE_SIZE = 50
MAX_PAGE = 100_000  # a page number from the address bar must not overflow OFFSET


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int  # of the chosen status
    counts: dict[MailStatus, int]  # of every status
    status: MailStatus | None
    page: int

    @property
    def failed(self) -> int:
        return self.counts[MailStatus.FAILED]

    @property
    def has_next(self) -> bool:
        return self.page * PAGE_SIZE < self.total


def outbox_page(status: MailStatus | None, page: int) -> OutboxPage:
    """Newest first; three statements whatever the number of messages."""
    page = min(max(1, page), MAX_PAGE)
    counts = dict.fromkeys(MailStatus, 0)
    counts.update(
        db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all()
    )
    statement = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    messages = db.session.scalars(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    total = counts[status] if status is not None else sum(counts.values())
    return OutboxPage(messages=list(messages), total=total, counts=counts, status=status, page=page)


def retry_at(message: OutboxMessage) -> datetime | None:
    """When a message that failed before will be tried again (None for a first attempt or a final state)."""
    if message.status == MailStatus.QUEUED and message.attempts:
        return message.next_attempt_at
    return None


def message_by_id(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def failed_messages() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == MailStatus.FAILED)))
