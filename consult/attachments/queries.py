"""Reading files' rows (never their bytes, except for a download), a fixed number of queries per page."""

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import undefer

from consult.attachments.models import CONSULTATION_DOCUMENT_KINDS, Attachment, AttachmentKind
from consult.extensions import db


def attachment_for_download(consultation_id: int, attachment_id: int) -> Attachment | None:
    return db.session.scalars(
        sa.select(Attachment)
        .where(Attachment.id == attachment_id, Attachment.consultation_id == consultation_id)
        .options(undefer(Attachment.data))
    ).first()


def attachment_of(consultation_id: int, attachment_id: int) -> Attachment | None:
    return db.session.scalars(
        sa.select(Attachment).where(Attachment.id == attachment_id, Attachment.consultation_id == consultation_id)
    ).first()


def documents_of(consultation_id: int) -> list[Attachment]:
    """The consultation's documents on its page, in the order they were added."""
    return db.session.scalars(
        sa.select(Attachment)
        .where(
            Attachment.consultation_id == consultation_id,
            Attachment.kind.in_(CONSULTATION_DOCUMENT_KINDS),
            Attachment.removed_at.is_(None),
        )
        .order_by(Attachment.id)
    ).all()


def position_papers_by_comment(consultation_id: int, comment_ids: list[int]) -> dict[int, list[Attachment]]:
    """Position papers of some of a consultation's comments, grouped by comment (one query)."""
    if not comment_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Attachment)
        .where(
            Attachment.consultation_id == consultation_id,
            Attachment.comment_id.in_(comment_ids),
            Attachment.kind == AttachmentKind.POSITION_PAPER,
            Attachment.removed_at.is_(None),
        )
        .order_by(Attachment.id)
    )
    grouped: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in rows:
        grouped[attachment.comment_id].append(attachment)
    return dict(grouped)


def papers_of_comment(comment_id: int) -> list[Attachment]:
    return db.session.scalars(
        sa.select(Attachment)
        .where(
            Attachment.comment_id == comment_id,
            Attachment.kind == AttachmentKind.POSITION_PAPER,
            Attachment.removed_at.is_(None),
        )
        .order_by(Attachment.id)
    ).all()


def letter_files(consultation_id: int) -> dict[int, list[Attachment]]:
    """Scans and e-mails of a consultation's letters, grouped by letter (one query)."""
    rows = db.session.scalars(
        sa.select(Attachment)
        .where(Attachment.consultation_id == consultation_id, Attachment.kind == AttachmentKind.LETTER)
        .order_by(Attachment.id)
    )
    grouped: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in rows:
        grouped[attachment.letter_id].append(attachment)
    return dict(grouped)


def uploads_of(user_id: int) -> list[Attachment]:
    return db.session.scalars(
        sa.select(Attachment).where(Attachment.uploaded_by_id == user_id).order_by(Attachment.id)
    ).all()
