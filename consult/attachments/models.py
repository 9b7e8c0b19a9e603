"""Files: position papers, the letters comments were entered from, the consultation's documents.

A file's bytes are kept in the database (a deferred column, read only for a download) or,
when ``ATTACHMENTS_DIR`` is set, in that directory under their SHA-256; the row holds what
the download needs. A file is never deleted while its row lives: a document an official
takes off the page is marked removed.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from consult.accounts.models import Organisation, User
from consult.comments.models import Comment, Letter
from consult.consultations.models import Consultation
from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime
from consult.extensions import Model


class AttachmentKind(enum.Enum):
    POSITION_PAPER = "position_paper"  # an organisation's, attached to one of its comments
    LETTER = "letter"  # the scan or e-mail an official entered comments from (officials only)
    JUSTIFICATION = "justification"  # the consultation's documents: the draft's justification,
    ANNOUNCEMENT = "announcement"  # the announcement,
    FORM = "form"  # the form to fill in and send by post or e-mail,
    OTHER_DOCUMENT = "other_document"  # anything else the office publishes with it
    MINUTES = "minutes"  # the minutes of a consultation meeting, uploaded after it


# What the office publishes with a consultation.
CONSULTATION_DOCUMENT_KINDS = (
    AttachmentKind.JUSTIFICATION,
    AttachmentKind.ANNOUNCEMENT,
    AttachmentKind.FORM,
    AttachmentKind.OTHER_DOCUMENT,
)


class Attachment(CreatedAtMixin, Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AttachmentKind] = mapped_column(enum_type(AttachmentKind))
    comment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    # Whose paper it is (position papers and letters): named in the organisation's records.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300), default="")  # a document's title on the page
    filename: Mapped[str] = mapped_column(sa.String(255))  # safe, with the extension of its real type
    content_type: Mapped[str] = mapped_column(sa.String(120))  # found from the content, not the name
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # NULL when the bytes are in ATTACHMENTS_DIR.
    data: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship()
    comment: Mapped[Comment | None] = relationship()
    letter: Mapped[Letter | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])

    @property
    def is_public_document(self) -> bool:
        """Published by the office for everyone who may see the consultation."""
        return self.kind in CONSULTATION_DOCUMENT_KINDS or self.kind == AttachmentKind.MINUTES

    @property
    def is_document(self) -> bool:
        return self.kind in CONSULTATION_DOCUMENT_KINDS
