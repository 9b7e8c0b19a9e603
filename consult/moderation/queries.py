"""Reading the moderation queue, progress, logs: a fixed number of queries each."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.accounts.addresses import address_key
from consult.accounts.models import Organisation, User
from consult.analysis.models import ThemeComment
from consult.comments.models import Comment, CommentFlag, CommentKind, CommentStatus, Support
from consult.core.models import AuditEntry
from consult.drafts.models import DraftVersion, Paragraph, Section
from consult.extensions import db
from consult.moderation.models import ModerationAction, ModerationEvent, Position, PositionState

PAGE_SIZE = 50
ANSWERABLE = (CommentStatus.PUBLISHED, CommentStatus.PENDING)


@dataclass
class QueueFilters:
    status: str = ""  # "", a CommentStatus value, "reported" or "review"
    paragraph: str = ""  # paragraph key, "whole" for the draft as a whole
    organisation_id: int | None = None
    assignee: str = ""  # "", "none" or a user id
    position: str = ""  # "", "none", "draft", "published"
    theme: int | None = None  # an accepted theme (consult.analysis)
    page: int = 1


@dataclass
class QueuePage:
    comments: list[Comment]
    flags: dict[int, list[CommentFlag]]
    supports: dict[int, int]
    reviews: dict[int, str]  # comment id -> the author's message asking for a review
    total: int
    page: int
    pages: int


def _filtered(consultation_id: int, filters: QueueFilters) -> sa.Select:
    statement = sa.select(Comment).where(Comment.consultation_id == consultation_id)
    if filters.status == "reported":
        open_flags = sa.select(CommentFlag.comment_id).where(CommentFlag.resolved_at.is_(None))
        statement = statement.where(Comment.id.in_(open_flags))
    elif filters.status == "review":
        statement = statement.where(Comment.status == CommentStatus.HIDDEN, Comment.review_requested_at.is_not(None))
    elif filters.status in {s.value for s in CommentStatus}:
        statement = statement.where(Comment.status == CommentStatus(filters.status))
    if filters.paragraph == "whole":
        statement = statement.where(Comment.paragraph_key.is_(None))
    elif filters.paragraph:
        statement = statement.where(Comment.paragraph_key == filters.paragraph)
    if filters.organisation_id:
        statement = statement.where(Comment.organisation_id == filters.organisation_id)
    if filters.assignee == "none":
        statement = statement.where(Comment.assignee_id.is_(None))
    elif filters.assignee.isdigit():
        statement = statement.where(Comment.assignee_id == int(filters.assignee))
    if filters.position in ("none", "draft", "published"):
        positions = sa.select(Position.comment_id)
        if filters.position == "none":
            statement = statement.where(Comment.id.not_in(positions))
        else:
            statement = statement.where(
                Comment.id.in_(positions.where(Position.state == PositionState(filters.position)))
            )
    if filters.theme:
        statement = statement.where(
            Comment.id.in_(sa.select(ThemeComment.comment_id).where(ThemeComment.theme_id == filters.theme))
        )
    return statement


def moderation_queue(consultation_id: int, filters: QueueFilters) -> QueuePage:
    """One page of comments with their organisation, paragraph, position, reports and supports: 4 queries,
    and a fifth for the authors' messages when a comment on the page waits for a review."""
    statement = _filtered(consultation_id, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    comments = (
        db.session.scalars(
            statement.options(
                joinedload(Comment.organisation),
                joinedload(Comment.paragraph),
                joinedload(Comment.assignee),
                joinedload(Comment.position),
            )
            .order_by(Comment.number)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
        .unique()
        .all()
    )
    ids = [c.id for c in comments]
    flags: dict[int, list[CommentFlag]] = {}
    supports: dict[int, int] = {}
    reviews: dict[int, str] = {}
    if ids:
        for flag in db.session.scalars(
            sa.select(CommentFlag).where(CommentFlag.comment_id.in_(ids), CommentFlag.resolved_at.is_(None))
        ):
            flags.setdefault(flag.comment_id, []).append(flag)
        supports = dict(
            db.session.execute(
                sa.select(Support.comment_id, sa.func.count())
                .where(Support.comment_id.in_(ids), Support.withdrawn_at.is_(None))
                .group_by(Support.comment_id)
            ).all()
        )
    waiting = [c.id for c in comments if c.status == CommentStatus.HIDDEN and c.review_requested_at is not None]
    if waiting:
        # Newest request last, so it wins: an author may ask again after a second hiding.
        for comment_id, note in db.session.execute(
            sa.select(ModerationEvent.comment_id, ModerationEvent.note)
            .where(
                ModerationEvent.comment_id.in_(waiting),
                ModerationEvent.action == ModerationAction.REVIEW_REQUESTED,
            )
            .order_by(ModerationEvent.created_at, ModerationEvent.id)
        ):
            reviews[comment_id] = note or ""
    return QueuePage(comments, flags, supports, reviews, total, page, pages)


@dataclass
class ReaderReport:
    """A reader's open report on a comment: what they said, when, and who (None: not signed in)."""

    reason: str
    created_at: datetime
    reporter: str | None  # None: a visitor who was not signed in


@dataclass
class ReviewRequest:
    """The author's request to show a hidden comment again."""

    message: str
    created_at: datetime
    requester: str | None


def open_reports(comment_id: int) -> list[ReaderReport]:
    """The reports a moderator has not yet dealt with, oldest first (1 query)."""
    rows = db.session.execute(
        sa.select(CommentFlag.reason, CommentFlag.created_at, CommentFlag.reporter_id, User.display_name)
        .outerjoin(User, User.id == CommentFlag.reporter_id)
        .where(CommentFlag.comment_id == comment_id, CommentFlag.resolved_at.is_(None))
        .order_by(CommentFlag.created_at, CommentFlag.id)
    ).all()
    # "" (not None) for a reporter whose account has since been deleted and lost its name.
    return [
        ReaderReport(reason, created_at, None if reporter_id is None else (name or ""))
        for reason, created_at, reporter_id, name in rows
    ]


def review_request(comment: Comment) -> ReviewRequest | None:
    """The pending request for a review of a hidden comment, if there is one (at most 1 query)."""
    if comment.status != CommentStatus.HIDDEN or comment.review_requested_at is None:
        return None
    row = db.session.execute(
        sa.select(ModerationEvent.note, ModerationEvent.created_at, User.display_name)
        .outerjoin(User, User.id == ModerationEvent.actor_id)
        .where(
            ModerationEvent.comment_id == comment.id,
            ModerationEvent.action == ModerationAction.REVIEW_REQUESTED,
        )
        .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
        .limit(1)
    ).first()
    return ReviewRequest(row[0] or "", row[1], row[2]) if row else None


def queue_choices(consultation_id: int) -> tuple[list[Organisation], list[tuple[str, str]]]:
    """The filter menus: organisations that commented, and the commented paragraphs (2 queries)."""
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(
            Organisation.id.in_(sa.select(Comment.organisation_id).where(Comment.consultation_id == consultation_id))
        )
        .order_by(Organisation.name)
    ).all()
    paragraphs = db.session.execute(
        sa.select(Paragraph.key, Paragraph.label, Paragraph.position)
        .join(Comment, Comment.paragraph_id == Paragraph.id)
        .where(Comment.consultation_id == consultation_id)
        .distinct()
        .order_by(Paragraph.position)
    ).all()
    seen, choices = set(), []
    for key, label, _position in paragraphs:
        if key not in seen:
            seen.add(key)
            choices.append((key, label))
    return list(organisations), choices


@dataclass
class ProgressRow:
    label: str
    total: int = 0
    without_position: int = 0  # no position at all
    drafted: int = 0  # a draft not yet published
    published: int = 0

    @property
    def unanswered(self) -> int:
        """Not yet answered publicly."""
        return self.total - self.published


@dataclass
class Progress:
    sections: list[ProgressRow] = field(default_factory=list)
    people: list[ProgressRow] = field(default_factory=list)
    overall: ProgressRow = field(default_factory=lambda: ProgressRow(""))


def _position_counts():
    return (
        sa.func.count(Comment.id),
        sa.func.sum(sa.case((Position.id.is_(None), 1), else_=0)),
        sa.func.sum(sa.case((Position.state == PositionState.DRAFT, 1), else_=0)),
        sa.func.sum(sa.case((Position.state == PositionState.PUBLISHED, 1), else_=0)),
    )


def progress(consultation_id: int, whole_draft_label: str, unassigned_label: str) -> Progress:
    """Comments still without a (published) position, per chapter and per official: 4 queries."""
    base = (
        sa.select(Paragraph.section_id, *_position_counts())
        .select_from(Comment)
        .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
        .outerjoin(Position, Position.comment_id == Comment.id)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANSWERABLE))
    )
    by_section = db.session.execute(base.group_by(Paragraph.section_id)).all()
    sections = db.session.scalars(
        sa.select(Section)
        .join(DraftVersion, DraftVersion.id == Section.version_id)
        .where(DraftVersion.consultation_id == consultation_id)
        .order_by(DraftVersion.number, Section.position)
    ).all()
    by_id = {s.id: s for s in sections}

    def root(section_id):
        section = by_id.get(section_id)
        while section is not None and section.parent_id is not None:
            section = by_id[section.parent_id]
        return section

    result = Progress(overall=ProgressRow(""))
    rows: dict[str, ProgressRow] = {}
    order: dict[str, int] = {}
    for section_id, total, none, drafted, published in by_section:
        top = root(section_id) if section_id is not None else None
        label = whole_draft_label if top is None else " ".join(filter(None, [top.label, top.heading]))
        row = rows.setdefault(label, ProgressRow(label))
        order.setdefault(label, -1 if top is None else top.position)
        for target in (row, result.overall):
            target.total += total
            target.without_position += none or 0
            target.drafted += drafted or 0
            target.published += published or 0
    result.sections = sorted(rows.values(), key=lambda r: order[r.label])

    by_person = db.session.execute(
        sa.select(Comment.assignee_id, *_position_counts())
        .select_from(Comment)
        .outerjoin(Position, Position.comment_id == Comment.id)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANSWERABLE))
        .group_by(Comment.assignee_id)
    ).all()
    names = dict(
        db.session.execute(
            sa.select(User.id, User.display_name).where(
                User.id.in_([row[0] for row in by_person if row[0] is not None])
            )
        ).all()
    )
    for assignee_id, total, none, drafted, published in by_person:
        label = names.get(assignee_id, unassigned_label) if assignee_id else unassigned_label
        result.people.append(ProgressRow(label, total, none or 0, drafted or 0, published or 0))
    result.people.sort(key=lambda r: (r.label == unassigned_label, r.label))
    return result


def draft_positions(consultation_id: int) -> list[Position]:
    return (
        db.session.scalars(
            sa.select(Position)
            .join(Comment, Comment.id == Position.comment_id)
            .where(Comment.consultation_id == consultation_id, Position.state == PositionState.DRAFT)
            .options(joinedload(Position.comment).joinedload(Comment.organisation))
            .order_by(Comment.number)
        )
        .unique()
        .all()
    )


def comments_by_numbers(consultation_id: int, numbers: list[int]) -> list[Comment]:
    if not numbers:
        return []
    return db.session.scalars(
        sa.select(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.number.in_(numbers))
        .order_by(Comment.number)
    ).all()


def public_moderation_log(consultation_id: int) -> list[ModerationEvent]:
    """What was hidden or restored, when and why (the text itself is not shown)."""
    return (
        db.session.scalars(
            sa.select(ModerationEvent)
            .where(
                ModerationEvent.consultation_id == consultation_id,
                ModerationEvent.action.in_([ModerationAction.HIDE, ModerationAction.RESTORE]),
            )
            .options(
                joinedload(ModerationEvent.comment).joinedload(Comment.organisation),
                joinedload(ModerationEvent.comment).joinedload(Comment.paragraph),
            )
            .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
        )
        .unique()
        .all()
    )


@dataclass
class AuditFilters:
    action: str = ""
    actor: str = ""  # e-mail
    consultation_id: int | None = None
    page: int = 1


def audit_log(filters: AuditFilters, page_size: int = 100) -> tuple[list[tuple[AuditEntry, str | None]], int]:
    statement = sa.select(AuditEntry, User.email).outerjoin(User, User.id == AuditEntry.actor_id)
    if filters.action:
        statement = statement.where(AuditEntry.action.like(f"{filters.action}%"))
    if filters.actor:
        statement = statement.where(User.email == address_key(filters.actor))
    if filters.consultation_id:
        statement = statement.where(AuditEntry.consultation_id == filters.consultation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    rows = db.session.execute(
        statement.order_by(AuditEntry.id.desc()).limit(page_size).offset((max(1, filters.page) - 1) * page_size)
    ).all()
    return [(entry, email) for entry, email in rows], total


def comment_kinds() -> list[CommentKind]:
    return list(CommentKind)
