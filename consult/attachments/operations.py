"""Adding and taking off files. The content decides what a file is (consult.attachments.files);
a refused file leaves nothing behind: no row, and in the database nothing at all."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.attachments.files import DOCUMENT_TYPES, LETTER_TYPES, checksum, inspect_file, safe_filename, store_bytes
from consult.attachments.models import CONSULTATION_DOCUMENT_KINDS, Attachment, AttachmentKind
from consult.attachments.permissions import can_attach_to_comment, can_manage_documents
from consult.comments.models import Comment, Letter
from consult.comments.operations import clean_text, deadline_message
from consult.consultations.models import Consultation
from consult.core import time as clock
from consult.core.audit import record
from consult.core.errors import ConsultationClosed, Forbidden, InvalidInput
from consult.extensions import db

MAX_PAPERS_PER_COMMENT = 5
MAX_TITLE = 300


@dataclass(frozen=True)
class Upload:
    """A file as it came: the name the sender's computer gave it, and its bytes."""

    filename: str
    data: bytes


def _new_attachment(
    consultation: Consultation, actor: User, upload: Upload, allowed: tuple[str, ...], **fields
) -> Attachment:
    file_type = inspect_file(upload.data, upload.filename, allowed)
    sha256 = checksum(upload.data)
    attachment = Attachment(
        consultation_id=consultation.id,
        filename=safe_filename(upload.filename, file_type),
        content_type=file_type.content_type,
        size=len(upload.data),
        sha256=sha256,
        data=store_bytes(upload.data, sha256),
        uploaded_by_id=actor.id,
        **fields,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


# --- position papers ------------------------------------------------------------------------------


def attach_position_paper(comment: Comment, actor: User, upload: Upload, *, now: datetime | None = None) -> Attachment:
    """A position paper (PDF, DOCX, ODT) with a comment; on a comment on the whole draft, it stands for the draft."""
    now = now or clock.utcnow()
    message = deadline_message(comment.consultation, now)
    if message:
        raise ConsultationClosed(message)
    if not can_attach_to_comment(actor, comment, now):
        raise Forbidden(_("Only representatives of the organisation that sent a comment can attach files to it."))
    count = db.session.scalar(
        sa.select(sa.func.count(Attachment.id)).where(
            Attachment.comment_id == comment.id,
            Attachment.kind == AttachmentKind.POSITION_PAPER,
            Attachment.removed_at.is_(None),
        )
    )
    if count >= MAX_PAPERS_PER_COMMENT:
        raise InvalidInput(_("A comment can carry at most %(max)d files.", max=MAX_PAPERS_PER_COMMENT), field="file")
    return _new_attachment(
        comment.consultation,
        actor,
        upload,
        DOCUMENT_TYPES,
        kind=AttachmentKind.POSITION_PAPER,
        comment_id=comment.id,
        organisation_id=comment.organisation_id,
        created_at=now,
    )


def remove_position_paper(attachment: Attachment, actor: User, *, now: datetime | None = None) -> Attachment:
    """Taken off the comment by its organisation while the comment may change; the row stays."""
    now = now or clock.utcnow()
    comment = attachment.comment
    if attachment.kind != AttachmentKind.POSITION_PAPER or comment is None:
        raise InvalidInput(_("This file is not a comment's position paper."))
    message = deadline_message(comment.consultation, now)
    if message:
        raise ConsultationClosed(message)
    if not can_attach_to_comment(actor, comment, now):
        raise Forbidden(_("Only representatives of the organisation that sent a comment can take its files off."))
    if attachment.removed_at is None:
        attachment.removed_at = now
        attachment.removed_by_id = actor.id
        db.session.flush()
    return attachment


# --- letters ---------------------------------------------------------------------------------------


def attach_letter_file(letter: Letter, actor: User, upload: Upload) -> Attachment:
    """The scan of a letter or the e-mail itself, kept with the comments entered from it (officials only)."""
    attachment = _new_attachment(
        letter.consultation,
        actor,
        upload,
        LETTER_TYPES,
        kind=AttachmentKind.LETTER,
        letter_id=letter.id,
        organisation_id=letter.organisation_id,
    )
    record(
        actor,
        "letter.file_attached",
        attachment,
        consultation_id=letter.consultation_id,
        after={"letter_id": letter.id, "filename": attachment.filename, "size": attachment.size},
    )
    return attachment


# --- the consultation's documents ------------------------------------------------------------------


def add_document(
    consultation: Consultation, actor: User, kind: AttachmentKind, title: str, upload: Upload
) -> Attachment:
    if not can_manage_documents(actor, consultation):
        raise Forbidden(_("Only the consultation's team can publish its documents, until the report is published."))
    if kind not in CONSULTATION_DOCUMENT_KINDS:
        raise InvalidInput(_("Choose what the document is."), field="kind")
    title = " ".join(clean_text(title).split())
    if not title:
        raise InvalidInput(_("Give the document a title."), field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(_("The title may have at most %(max)d characters.", max=MAX_TITLE), field="title")
    attachment = _new_attachment(consultation, actor, upload, DOCUMENT_TYPES, kind=kind, title=title)
    record(
        actor,
        "consultation.document_added",
        attachment,
        consultation_id=consultation.id,
        after={"title": title, "kind": kind.value, "filename": attachment.filename, "size": attachment.size},
    )
    return attachment


def remove_document(attachment: Attachment, actor: User, *, now: datetime | None = None) -> Attachment:
    """Off the consultation's page; kept on record (officials can still open it)."""
    if not attachment.is_document:
        raise InvalidInput(_("This file is not one of the consultation's documents."))
    if not can_manage_documents(actor, attachment.consultation):
        raise Forbidden(_("Only the consultation's team can publish its documents, until the report is published."))
    if attachment.removed_at is None:
        attachment.removed_at = now or clock.utcnow()
        attachment.removed_by_id = actor.id
        record(actor, "consultation.document_removed", attachment, consultation_id=attachment.consultation_id)
        db.session.flush()
    return attachment


def attach_minutes(consultation: Consultation, actor: User, upload: Upload) -> Attachment:
    """The minutes of a meeting as a file (PDF, DOCX, ODT), public like the consultation's documents.

    Who may add it is the meetings module's rule; this only checks and keeps the file.
    """
    return _new_attachment(consultation, actor, upload, DOCUMENT_TYPES, kind=AttachmentKind.MINUTES)
