"""Comments on paragraphs, their revisions, supports and reports by readers.

Nothing a user wrote is deleted: a comment is withdrawn or hidden, an edit keeps the
earlier text as a revision, and a comment outlives the paragraph and the account.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Organisation, User
from consult.comments import counters
from consult.consultations.models import Consultation
from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime, utcnow
from consult.drafts.models import DraftVersion, Paragraph
from consult.extensions import Model

# Limits on the text of a comment, stated on the form and enforced by the operations.
MAX_PROPOSED_TEXT = 5000
MAX_JUSTIFICATION = 5000


class CommentKind(enum.Enum):
    CHANGE = "change"  # new wording for the paragraph
    DELETE = "delete"  # remove the paragraph
    ADD = "add"  # a new provision after the paragraph
    GENERAL = "general"  # a remark without proposed wording


class CommentStatus(enum.Enum):
    PENDING = "pending"  # waiting for pre-moderation
    PUBLISHED = "published"
    HIDDEN = "hidden"  # by a moderator, with a reason; a placeholder stays public
    WITHDRAWN = "withdrawn"  # by its author; stays on record


class HideReason(enum.Enum):
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    SPAM = "spam"
    DUPLICATE = "duplicate"


class Channel(enum.Enum):
    """How a comment reached the organiser."""

    ONLINE = "online"  # sent on the platform by the organisation itself
    PAPER = "paper"  # a letter (by post or brought to the office)
    EMAIL = "email"
    EPUAP = "epuap"  # the public administration's electronic inbox
    MEETING = "meeting"  # said at a consultation meeting


# The channels an official enters comments from (everything but the platform itself).
OFFICE_CHANNELS = (Channel.PAPER, Channel.EMAIL, Channel.EPUAP, Channel.MEETING)


class Letter(CreatedAtMixin, Model):
    """Comments received another way: a letter, an e-mail, an ePUAP message or a meeting's record.

    An official enters it with the comments it carries; each of them gets a number and a
    receipt like a comment sent on the platform, and says where it came from.
    """

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    # The day it reached the office (for a letter sent by post, the postmark), in Kraków:
    # it decides whether the comments came in time.
    received_on: Mapped[date] = mapped_column(sa.Date)
    reference: Mapped[str] = mapped_column(sa.String(200), default="")  # the sender's reference or subject
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The consultation meeting the comments were made at (channel "meeting"); the meetings
    # module, above this one, owns that table.
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship()
    organisation: Mapped[Organisation] = relationship()
    entered_by: Mapped[User | None] = relationship()
    comments: Mapped[list["Comment"]] = relationship(back_populates="letter", order_by="Comment.number")


class Comment(CreatedAtMixin, Model):
    __tablename__ = "comments"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "number"),
        sa.Index("ix_comments_consultation_status", "consultation_id", "status"),
        # Covers a provision's list of comments (the counts per provision are in comment_counts).
        sa.Index(
            "ix_comments_consultation_paragraph_status", "consultation_id", "paragraph_id", "status", "version_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="RESTRICT"))
    # NULL for a comment on the draft as a whole. RESTRICT: a paragraph with
    # comments cannot be deleted from under them.
    paragraph_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="RESTRICT"), index=True)
    paragraph_key: Mapped[str | None] = mapped_column(sa.String(120))
    # The provision as it read when the comment was made, stored: later versions
    # renumber and reword it, and the comment must still show what it answered.
    paragraph_label: Mapped[str | None] = mapped_column(sa.String(300))
    paragraph_text: Mapped[str | None] = mapped_column(sa.Text)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    # NULL once the author deletes their account: the comment stays, the name goes.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    number: Mapped[int]  # unique within the consultation; the receipt shows it
    kind: Mapped[CommentKind] = mapped_column(enum_type(CommentKind))
    proposed_text: Mapped[str] = mapped_column(sa.Text, default="")
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[CommentStatus] = mapped_column(enum_type(CommentStatus))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[HideReason | None] = mapped_column(enum_type(HideReason))
    hidden_note: Mapped[str | None] = mapped_column(sa.Text)
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    assigned_department: Mapped[str | None] = mapped_column(sa.String(200))
    # A token from the form: the same form sent twice creates one comment.
    submission_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    row_version: Mapped[int] = mapped_column(default=1)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.ONLINE, server_default="online")
    # The letter (e-mail, ePUAP message, meeting) an official entered it from; NULL when sent online.
    letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id", ondelete="RESTRICT"), index=True)

    consultation: Mapped[Consultation] = relationship()
    version: Mapped[DraftVersion] = relationship()
    paragraph: Mapped[Paragraph | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment", order_by="CommentRevision.number"
    )
    supports: Mapped[list["Support"]] = relationship(back_populates="comment", order_by="Support.created_at")
    letter: Mapped[Letter | None] = relationship(back_populates="comments")

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def is_published(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @property
    def is_pending(self) -> bool:
        """Waiting for pre-moderation."""
        return self.status == CommentStatus.PENDING

    @property
    def is_hidden(self) -> bool:
        return self.status == CommentStatus.HIDDEN

    @property
    def is_withdrawn(self) -> bool:
        return self.status == CommentStatus.WITHDRAWN


class CommentCount(Model):
    """How many comments a consultation has per version, provision and status, kept by triggers
    on ``comments`` (``counters.py``): the consultation page and the API read a few hundred of
    these rows instead of counting every comment, so they cost the same with 30 or 30,000."""

    __tablename__ = "comment_counts"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    version_id: Mapped[int] = mapped_column(primary_key=True)  # no foreign key: the triggers keep it
    paragraph_id: Mapped[int] = mapped_column(primary_key=True)  # 0: the draft as a whole (NULL in comments)
    paragraph_key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)  # "": none
    status: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # CommentStatus's value
    n: Mapped[int]


counters.attach(Model.metadata)


class CommentRevision(CreatedAtMixin, Model):
    """The text of a comment before an edit."""

    __tablename__ = "comment_revisions"
    __table_args__ = (sa.UniqueConstraint("comment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    number: Mapped[int]
    kind: Mapped[CommentKind] = mapped_column(enum_type(CommentKind))
    proposed_text: Mapped[str] = mapped_column(sa.Text, default="")
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    comment: Mapped[Comment] = relationship(back_populates="revisions")


class Support(CreatedAtMixin, Model):
    """Another organisation co-signs a comment instead of filing a copy."""

    __tablename__ = "supports"
    __table_args__ = (sa.UniqueConstraint("comment_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    comment: Mapped[Comment] = relationship(back_populates="supports")
    organisation: Mapped[Organisation] = relationship()


class CommentFlag(CreatedAtMixin, Model):
    """A reader's report that a published comment breaks the rules."""

    __tablename__ = "comment_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
