"""Reading what a report is built from, and published reports.

:func:`load_report_source` runs the same seventeen statements whatever the number of
comments, supports or paragraphs (no lazy loads, no IN lists built in Python), and
hands the builder plain data.
"""

import sqlalchemy as sa

from consult.accounts.models import Organisation
from consult.analysis.models import DuplicateGroup, GroupMember, GroupState, Theme, ThemeComment, ThemeState
from consult.channels.models import Meeting, MeetingRegistration
from consult.comments.models import Comment, Letter, Support
from consult.consultations.models import Consultation
from consult.consultations.operations import lasting_days
from consult.drafts.models import DraftVersion, Paragraph, Section, VersionStatus
from consult.drafts.queries import keys_in_version
from consult.extensions import db
from consult.moderation.models import ModerationEvent, Position, PositionState
from consult.notifications.models import Invitation
from consult.notifications.queries import interested_organisations
from consult.reports.builder import (
    ReportSource,
    SourceComment,
    SourceFiling,
    SourceMeeting,
    SourceModerationEvent,
    SourceParagraph,
    SourceSection,
    SourceTheme,
    SourceVersion,
)
from consult.reports.models import ExportStatus, PublishedReport, ReportDraft, ReportExport


def report_draft_of(consultation_id: int) -> ReportDraft | None:
    return db.session.scalars(sa.select(ReportDraft).where(ReportDraft.consultation_id == consultation_id)).first()


def load_report_source(consultation: Consultation) -> ReportSource:
    versions = db.session.scalars(
        sa.select(DraftVersion)
        .where(DraftVersion.consultation_id == consultation.id, DraftVersion.status == VersionStatus.PUBLISHED)
        .order_by(DraftVersion.number)
    ).all()
    version_ids = [v.id for v in versions]
    # Comments may sit on paragraphs of a version that is no longer the published one.
    commented_paragraphs = sa.select(Comment.paragraph_id).where(
        Comment.consultation_id == consultation.id, Comment.paragraph_id.is_not(None)
    )
    commented_versions = sa.select(Paragraph.version_id).where(Paragraph.id.in_(commented_paragraphs))
    sections = db.session.execute(
        sa.select(Section.id, Section.version_id, Section.parent_id, Section.position, Section.label, Section.heading)
        .where(sa.or_(Section.version_id.in_(version_ids), Section.version_id.in_(commented_versions)))
        .order_by(Section.version_id, Section.position)
    ).all()
    paragraphs = db.session.execute(
        sa.select(
            Paragraph.id,
            Paragraph.version_id,
            Paragraph.section_id,
            Paragraph.position,
            Paragraph.key,
            Paragraph.label,
            Paragraph.text,
        )
        .where(sa.or_(Paragraph.version_id.in_(version_ids), Paragraph.id.in_(commented_paragraphs)))
        .order_by(Paragraph.version_id, Paragraph.position)
    ).all()
    comments = db.session.execute(
        sa.select(Comment, Organisation.name, Letter.received_on, Letter.meeting_id)
        .join(Organisation, Organisation.id == Comment.organisation_id)
        .outerjoin(Letter, Letter.id == Comment.letter_id)
        .where(Comment.consultation_id == consultation.id)
        .order_by(Comment.number)
    ).all()
    comment_ids = [row[0].id for row in comments]
    supports = db.session.execute(
        sa.select(Support.comment_id, Organisation.id, Organisation.name)
        .join(Organisation, Organisation.id == Support.organisation_id)
        .join(Comment, Comment.id == Support.comment_id)
        .where(Comment.consultation_id == consultation.id, Support.withdrawn_at.is_(None))
        .order_by(Support.created_at, Support.id)
    ).all()
    positions = db.session.scalars(
        sa.select(Position)
        .join(Comment, Comment.id == Position.comment_id)
        .where(Comment.consultation_id == consultation.id)
    ).all()
    events = db.session.execute(
        sa.select(ModerationEvent.action, ModerationEvent.reason)
        .where(ModerationEvent.consultation_id == consultation.id)
        .order_by(ModerationEvent.id)
    ).all()
    registered = (
        sa.select(sa.func.count(MeetingRegistration.id))
        .where(MeetingRegistration.meeting_id == Meeting.id, MeetingRegistration.cancelled_at.is_(None))
        .scalar_subquery()
    )
    meetings = db.session.execute(
        sa.select(
            Meeting.id,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.place,
            Meeting.online_url != "",
            registered,
            sa.or_(Meeting.minutes != "", Meeting.minutes_file_id.is_not(None)),
            Meeting.cancelled_at.is_not(None),
        )
        .where(Meeting.consultation_id == consultation.id)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    draft = report_draft_of(consultation.id)
    # Confirmed near-duplicate groups and accepted themes (consult.analysis): 3 queries.
    group_of = dict(
        db.session.execute(
            sa.select(GroupMember.comment_id, GroupMember.group_id)
            .join(DuplicateGroup, DuplicateGroup.id == GroupMember.group_id)
            .where(DuplicateGroup.consultation_id == consultation.id, DuplicateGroup.state == GroupState.CONFIRMED)
        ).all()
    )
    accepted = db.session.scalars(
        sa.select(Theme)
        .where(Theme.consultation_id == consultation.id, Theme.state == ThemeState.ACCEPTED)
        .order_by(Theme.name, Theme.id)
    ).all()
    themes_of: dict[int, list[str]] = {}
    for comment_id, name in db.session.execute(
        sa.select(ThemeComment.comment_id, Theme.name)
        .join(Theme, Theme.id == ThemeComment.theme_id)
        .where(Theme.consultation_id == consultation.id, Theme.state == ThemeState.ACCEPTED)
        .order_by(Theme.name, Theme.id)
    ):
        themes_of.setdefault(comment_id, []).append(name)
    newest = [row for row in paragraphs if versions and row.version_id == versions[-1].id]
    placement = keys_in_version(consultation.id, versions[-1], newest) if versions else {}

    supporters: dict[int, list[tuple[int, str]]] = {i: [] for i in comment_ids}
    for comment_id, organisation_id, name in supports:
        supporters[comment_id].append((organisation_id, name))
    position_by_comment = {p.comment_id: p for p in positions}

    def source_comment(comment: Comment, organisation: str, received_on, meeting_id) -> SourceComment:
        position = position_by_comment.get(comment.id)
        published = position is not None and position.state == PositionState.PUBLISHED
        return SourceComment(
            number=comment.number,
            status=comment.status.value,
            kind=comment.kind.value,
            organisation=organisation,
            organisation_id=comment.organisation_id,
            paragraph_id=comment.paragraph_id,
            paragraph_key=comment.paragraph_key,
            proposed_text=comment.proposed_text or "",
            justification=comment.justification or "",
            submitted_at=comment.submitted_at,
            supporters=tuple(supporters[comment.id]),
            position_status=position.status.value if published else None,
            position_reason=(position.reason or "") if published else "",
            has_draft_position=position is not None and not published,
            hidden_reason=comment.hidden_reason.value if comment.hidden_reason else None,
            group=group_of.get(comment.id),
            themes=tuple(themes_of.get(comment.id, ())),
            channel=comment.channel.value,
            received_on=received_on,
            meeting_id=meeting_id,
        )

    return ReportSource(
        slug=consultation.slug,
        title=consultation.title,
        organiser=consultation.organiser or "",
        legal_basis=consultation.legal_basis or "",
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        participation=consultation.participation.value,
        moderation_mode=consultation.moderation_mode.value,
        versions=tuple(SourceVersion(v.id, v.number, v.title) for v in versions),
        sections=tuple(SourceSection(*row) for row in sections),
        paragraphs=tuple(SourceParagraph(*row) for row in paragraphs),
        comments=tuple(source_comment(*row) for row in comments),
        moderation_events=tuple(
            SourceModerationEvent(action.value, reason.value if reason else None) for action, reason in events
        ),
        introduction=draft.introduction if draft else "",
        conclusion=draft.conclusion if draft else "",
        themes=tuple(SourceTheme(t.name, t.description, t.summary_answer) for t in accepted),
        placement=tuple(sorted(placement.items())),
        meetings=tuple(SourceMeeting(*row) for row in meetings),
        filing=_source_filing(consultation, draft),
    )


def _source_filing(consultation: Consultation, draft: ReportDraft | None) -> SourceFiling:
    """The official's filing fields, the organisations the consultation was addressed to (those its
    publication told: verified, of its areas) and the addresses invited by e-mail: 3 statements."""
    invited_addresses = db.session.scalar(
        sa.select(sa.func.count(Invitation.id)).where(Invitation.consultation_id == consultation.id)
    )
    return SourceFiling(
        case_number=draft.case_number if draft else "",
        organiser_unit=draft.organiser_unit if draft else "",
        signatory_name=draft.signatory_name if draft else "",
        signatory_post=draft.signatory_post if draft else "",
        approved_on=draft.approved_on if draft else None,
        closing_line=draft.closing_line if draft else "",
        produced_by=draft.produced_by if draft else "",
        responsible=draft.responsible if draft else "",
        invited=tuple(o.name for o in interested_organisations(consultation)),
        invited_addresses=invited_addresses or 0,
        duration_days=lasting_days(consultation.opens_at, consultation.closes_at),
        short_duration_reason=consultation.short_duration_reason or "",
        short_duration_minimum=consultation.short_duration_minimum,
    )


def published_reports(consultation_id: int) -> list[PublishedReport]:
    """Every version, newest first (without loading their data)."""
    return db.session.scalars(
        sa.select(PublishedReport)
        .options(sa.orm.defer(PublishedReport.data))
        .where(PublishedReport.consultation_id == consultation_id)
        .order_by(PublishedReport.number.desc())
    ).all()


def published_report(consultation_id: int, number: int | None = None) -> PublishedReport | None:
    """The given version, or the newest one."""
    query = sa.select(PublishedReport).where(PublishedReport.consultation_id == consultation_id)
    if number is None:
        query = query.order_by(PublishedReport.number.desc()).limit(1)
    else:
        query = query.where(PublishedReport.number == number)
    return db.session.scalars(query).first()


def export_of(report_id: int, fmt: str, *, with_content: bool = False) -> ReportExport | None:
    query = sa.select(ReportExport).where(ReportExport.report_id == report_id, ReportExport.format == fmt)
    if not with_content:
        query = query.options(sa.orm.defer(ReportExport.content))
    return db.session.scalars(query).first()


def finished_exports(report_id: int) -> dict[str, ExportStatus]:
    rows = db.session.execute(
        sa.select(ReportExport.format, ReportExport.status).where(ReportExport.report_id == report_id)
    )
    return {fmt: status for fmt, status in rows}


def failed_exports(consultation_id: int) -> list[tuple[int, str, str | None]]:
    """(version number, format, error) of every file of the consultation's reports that failed."""
    rows = db.session.execute(
        sa.select(PublishedReport.number, ReportExport.format, ReportExport.error)
        .join(ReportExport, ReportExport.report_id == PublishedReport.id)
        .where(PublishedReport.consultation_id == consultation_id, ReportExport.status == ExportStatus.FAILED)
        .order_by(PublishedReport.number.desc(), ReportExport.format)
    )
    return [tuple(row) for row in rows]
