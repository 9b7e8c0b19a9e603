"""Near-duplicate groups, themes and the background runs that propose them.

Nothing here replaces a comment or its position: a group gathers comments that say the
same (each still answered on its own row), a theme labels comments. What Consult
proposes stays a proposal until an official confirms or accepts it, and what an official
confirmed is never reshaped by a later run.
"""

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.comments.models import Comment
from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime, utcnow
from consult.extensions import Model


class GroupState(enum.Enum):
    PROPOSED = "proposed"  # found by Consult, not yet looked at
    CONFIRMED = "confirmed"  # an official agreed: these comments say substantially the same


class DuplicateGroup(CreatedAtMixin, Model):
    __tablename__ = "analysis_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    state: Mapped[GroupState] = mapped_column(enum_type(GroupState), default=GroupState.PROPOSED)
    # The comment the group began with: newcomers must stay near it (see duplicates.ANCHOR).
    anchor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(default=1)

    members: Mapped[list["GroupMember"]] = relationship(back_populates="group", order_by="GroupMember.comment_id")

    __mapper_args__ = {"version_id_col": row_version}


class GroupMember(CreatedAtMixin, Model):
    """A comment's fingerprint and, when it has near-duplicates, its group.

    Every grouped comment has a row (group_id NULL: alone so far), so the next run only
    looks at comments without one: grouping is incremental.
    """

    __tablename__ = "analysis_members"

    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("analysis_groups.id", ondelete="SET NULL"), index=True)
    bands: Mapped[bytes] = mapped_column(sa.LargeBinary)  # LSH band keys, int64 little-endian
    # Joined after the official confirmed the group: shown as new until confirmed again.
    confirmed: Mapped[bool] = mapped_column(default=False)

    group: Mapped[DuplicateGroup | None] = relationship(back_populates="members")
    comment: Mapped[Comment] = relationship()


class ThemeState(enum.Enum):
    PROPOSED = "proposed"  # from clustering, waiting for an official
    ACCEPTED = "accepted"  # a filter, an export column and a report chapter
    REJECTED = "rejected"


class Theme(CreatedAtMixin, Model):
    __tablename__ = "analysis_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    state: Mapped[ThemeState] = mapped_column(enum_type(ThemeState), default=ThemeState.PROPOSED)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    summary_answer: Mapped[str] = mapped_column(sa.Text, default="")  # the office's answer in the report
    key_terms: Mapped[list] = mapped_column(sa.JSON, default=list)
    representative_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # comment ids, most typical first
    terms: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # stem -> weight (themes.ThemeTerms)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    mapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: the next run maps its comments
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}


class ThemeComment(Model):
    """A comment mapped to a theme, with the confidence of the mapping (1.0: set by an official)."""

    __tablename__ = "analysis_theme_comments"

    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("analysis_themes.id", ondelete="CASCADE"), primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    confidence: Mapped[float] = mapped_column(sa.Float)

    theme: Mapped[Theme] = relationship()


class ThemeModelRow(Model):
    """The consultation's stem weights (themes.ThemeModel.idf), to map new comments without reclustering."""

    __tablename__ = "analysis_models"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    idf: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RunKind(enum.Enum):
    GROUPS = "groups"  # group the comments not yet grouped, map them to accepted themes
    THEMES = "themes"  # propose themes from all comments


class RunStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STALE_AFTER = timedelta(minutes=30)  # a run silent this long has stopped (its worker died)


class AnalysisRun(CreatedAtMixin, Model):
    """One background run, with its progress for the page that started it."""

    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RunKind] = mapped_column(enum_type(RunKind))
    status: Mapped[RunStatus] = mapped_column(enum_type(RunStatus), default=RunStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    requested_count: Mapped[int | None]  # themes asked for (None: chosen from the data)
    message: Mapped[str | None] = mapped_column(sa.Text)  # what it did, or why it failed
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def active(self) -> bool:
        """Waiting or running, and still heard from."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING) and not self.stalled

    @property
    def stalled(self) -> bool:
        """Said to be waiting or running, but silent for too long: its worker stopped."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING) and utcnow() - self.heartbeat_at > STALE_AFTER

    @property
    def can_retry(self) -> bool:
        return self.status == RunStatus.FAILED or self.stalled
