"""Reading groups, themes and runs: a fixed number of queries per page."""

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.analysis.models import (
    AnalysisRun,
    DuplicateGroup,
    GroupMember,
    RunKind,
    Theme,
    ThemeComment,
    ThemeState,
)
from consult.analysis.operations import ANALYSED, comment_text
from consult.analysis.text import normalise
from consult.comments.models import Comment
from consult.core.inputs import MAX_ID
from consult.extensions import db

GROUPS_PER_PAGE = 50


@dataclass
class GroupView:
    group: DuplicateGroup
    members: list[Comment]  # ordered by number
    common: Comment  # the member whose text is the group's most common one
    new_members: set[int] = field(default_factory=set)  # comment ids joined since confirmation
    organisations: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class GroupsPage:
    groups: list[GroupView]
    total: int
    page: int
    pages: int
    analysed: int  # comments that will be answered
    grouped: int  # of them, in a group
    waiting: int  # not looked at by a run yet
    runs: dict[RunKind, AnalysisRun]


def _common(members: list[Comment]) -> Comment:
    """The member saying the group's most frequent text (normalised), the earliest of equals."""
    counts = Counter(normalise(comment_text(c)) for c in members)
    best = max(counts.values())
    return next(c for c in members if counts[normalise(comment_text(c))] == best)


def _views(groups: list[DuplicateGroup], rows: list[tuple[Comment, int, bool]]) -> list[GroupView]:
    by_group: dict[int, list[tuple[Comment, bool]]] = {g.id: [] for g in groups}
    for comment, group_id, confirmed in rows:
        by_group[group_id].append((comment, confirmed))
    views = []
    for group in groups:
        members = [c for c, _confirmed in by_group[group.id]]
        if not members:
            continue
        views.append(
            GroupView(
                group=group,
                members=members,
                common=_common(members),
                new_members={c.id for c, confirmed in by_group[group.id] if not confirmed},
                organisations=sorted({c.organisation.name for c in members}, key=str.casefold),
            )
        )
    return views


def _member_rows(group_ids: list[int]) -> list[tuple[Comment, int, bool]]:
    if not group_ids:
        return []
    return [
        (comment, group_id, confirmed)
        for comment, group_id, confirmed in db.session.execute(
            sa.select(Comment, GroupMember.group_id, GroupMember.confirmed)
            .join(GroupMember, GroupMember.comment_id == Comment.id)
            .where(GroupMember.group_id.in_(group_ids))
            .options(joinedload(Comment.organisation), joinedload(Comment.paragraph), joinedload(Comment.position))
            .order_by(Comment.number)
        )
        .unique()
        .all()
    ]


def latest_runs(consultation_id: int) -> dict[RunKind, AnalysisRun]:
    runs: dict[RunKind, AnalysisRun] = {}
    for run in db.session.scalars(
        sa.select(AnalysisRun).where(AnalysisRun.consultation_id == consultation_id).order_by(AnalysisRun.id.desc())
    ).all()[:20]:
        runs.setdefault(run.kind, run)
    return runs


def groups_page(consultation_id: int, page: int = 1) -> GroupsPage:
    """The consultation's groups, largest first, a page at a time: 5 queries."""
    sizes = (
        sa.select(GroupMember.group_id, sa.func.count().label("size"))
        .where(GroupMember.consultation_id == consultation_id, GroupMember.group_id.is_not(None))
        .group_by(GroupMember.group_id)
        .subquery()
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(sizes)) or 0
    pages = max(1, -(-total // GROUPS_PER_PAGE))
    page = min(max(1, page), pages)
    groups = db.session.scalars(
        sa.select(DuplicateGroup)
        .join(sizes, sizes.c.group_id == DuplicateGroup.id)
        .order_by(sizes.c.size.desc(), DuplicateGroup.id)
        .limit(GROUPS_PER_PAGE)
        .offset((page - 1) * GROUPS_PER_PAGE)
    ).all()
    views = _views(list(groups), _member_rows([g.id for g in groups]))
    analysed, grouped, looked_at = db.session.execute(
        sa.select(
            sa.func.count(Comment.id),
            sa.func.count(GroupMember.group_id),
            sa.func.count(GroupMember.comment_id),
        )
        .select_from(Comment)
        .outerjoin(GroupMember, GroupMember.comment_id == Comment.id)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANALYSED))
    ).one()
    return GroupsPage(views, total, page, pages, analysed, grouped, analysed - looked_at, latest_runs(consultation_id))


def group_or_none(consultation_id: int, group_id: int) -> DuplicateGroup | None:
    if not 0 < group_id <= MAX_ID:
        return None
    return db.session.scalar(
        sa.select(DuplicateGroup).where(
            DuplicateGroup.id == group_id, DuplicateGroup.consultation_id == consultation_id
        )
    )


@dataclass
class GroupDetail:
    view: GroupView
    others: list[tuple[int, int, str]]  # (group id, size, start of its first member's text) for merging


def group_detail(group: DuplicateGroup) -> GroupDetail | None:
    """One group with its members, their organisations and positions, and the groups to merge with: 2 queries."""
    views = _views([group], _member_rows([group.id]))
    if not views:
        return None
    others = db.session.execute(
        sa.select(GroupMember.group_id, sa.func.count(), sa.func.min(Comment.number))
        .join(Comment, Comment.id == GroupMember.comment_id)
        .where(
            GroupMember.consultation_id == group.consultation_id,
            GroupMember.group_id.is_not(None),
            GroupMember.group_id != group.id,
        )
        .group_by(GroupMember.group_id)
        .order_by(sa.func.count().desc(), GroupMember.group_id)
        .limit(500)
    ).all()
    return GroupDetail(views[0], [(g, size, first) for g, size, first in others])


@dataclass
class ThemeView:
    theme: Theme
    count: int
    representatives: list[Comment]


@dataclass
class ThemesPage:
    accepted: list[ThemeView]
    proposed: list[ThemeView]
    analysed: int
    runs: dict[RunKind, AnalysisRun]


def themes_page(consultation_id: int) -> ThemesPage:
    """Accepted and proposed themes with their counts and representative comments: 4 queries."""
    rows = db.session.execute(
        sa.select(Theme, sa.func.count(ThemeComment.comment_id))
        .outerjoin(ThemeComment, ThemeComment.theme_id == Theme.id)
        .where(Theme.consultation_id == consultation_id, Theme.state != ThemeState.REJECTED)
        .group_by(Theme.id)
        .order_by(Theme.state, sa.func.count(ThemeComment.comment_id).desc(), Theme.id)
    ).all()
    wanted = {int(i) for theme, _count in rows for i in (theme.representative_ids or [])[:3]}
    comments = {}
    if wanted:
        comments = {
            c.id: c
            for c in db.session.scalars(
                sa.select(Comment).where(Comment.id.in_(wanted)).options(joinedload(Comment.organisation))
            )
        }
    analysed = db.session.scalar(
        sa.select(sa.func.count(Comment.id)).where(
            Comment.consultation_id == consultation_id, Comment.status.in_(ANALYSED)
        )
    )
    views = [
        ThemeView(theme, count, [comments[int(i)] for i in (theme.representative_ids or [])[:3] if int(i) in comments])
        for theme, count in rows
    ]
    return ThemesPage(
        accepted=[v for v in views if v.theme.state == ThemeState.ACCEPTED],
        proposed=[v for v in views if v.theme.state == ThemeState.PROPOSED],
        analysed=analysed or 0,
        runs=latest_runs(consultation_id),
    )


def theme_or_none(consultation_id: int, theme_id: int) -> Theme | None:
    if not 0 < theme_id <= MAX_ID:
        return None
    return db.session.scalar(sa.select(Theme).where(Theme.id == theme_id, Theme.consultation_id == consultation_id))


def run_or_none(consultation_id: int, run_id: int) -> AnalysisRun | None:
    if not 0 < run_id <= MAX_ID:
        return None
    return db.session.scalar(
        sa.select(AnalysisRun).where(AnalysisRun.id == run_id, AnalysisRun.consultation_id == consultation_id)
    )


def accepted_themes(consultation_id: int) -> list[Theme]:
    """For the moderation queue's filter and the exports."""
    return db.session.scalars(
        sa.select(Theme)
        .where(Theme.consultation_id == consultation_id, Theme.state == ThemeState.ACCEPTED)
        .order_by(Theme.name)
    ).all()
