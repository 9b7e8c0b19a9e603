"""Consultation reports: the official's working copy, published snapshots, files."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.consultations.models import Consultation
from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime, utcnow
from consult.extensions import Model


class ReportDraft(Model):
    """The texts an official writes for the report before it is published."""

    __tablename__ = "report_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), unique=True)
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    conclusion: Mapped[str] = mapped_column(sa.Text, default="")
    # What the office files the report with (consult.reports.builder.Filing); "" or None: not given.
    case_number: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    organiser_unit: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    signatory_name: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    signatory_post: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    approved_on: Mapped[date | None] = mapped_column(sa.Date)
    closing_line: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    produced_by: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    responsible: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}


class PublishedReport(CreatedAtMixin, Model):
    """An immutable snapshot: the report data as JSON, with its SHA-256."""

    __tablename__ = "published_reports"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, then 2 after a correction; earlier ones stay readable
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    data: Mapped[str] = mapped_column(sa.Text)  # canonical JSON of the report
    sha256: Mapped[str] = mapped_column(sa.String(64))

    consultation: Mapped[Consultation] = relationship()


class ExportStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportExport(Model):
    """One generated file of one report version, built once and served again.

    At most one row per version and format (the unique constraint), and at most one build
    of it at a time: every change of ``status`` is a conditional UPDATE (see
    consult.reports.jobs), so two requests, two workers or two officials pressing "try
    again" at once cannot both start one.
    """

    __tablename__ = "report_exports"
    __table_args__ = (sa.UniqueConstraint("report_id", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("published_reports.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[ExportStatus] = mapped_column(enum_type(ExportStatus), default=ExportStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    error: Mapped[str | None] = mapped_column(sa.Text)
    # The build's last sign of life: when it was queued, then every few seconds while it
    # runs. Queued or running and silent for too long: the worker died (jobs.is_stale).
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def has_failed(self) -> bool:
        return self.status == ExportStatus.FAILED
