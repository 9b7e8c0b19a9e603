"""Reading comments, with a fixed number of queries however many there are.

One-to-many collections (supports) are joined into the same query, or read with
one query and grouped in Python, never with ``selectinload``: that one sends a new
SELECT for every 500 parents, so the count would grow with the comments.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.accounts.models import Membership, Organisation, OrganisationStatus, User
from consult.accounts.queries import acting_memberships
from consult.comments.models import Comment, CommentCount, CommentKind, CommentRevision, CommentStatus, Letter, Support
from consult.consultations.models import Consultation
from consult.drafts.models import DraftVersion, Paragraph, VersionStatus
from consult.drafts.queries import version_counts as draft_version_counts
from consult.extensions import db

# What the consultation page lists: withdrawn and hidden ones as placeholders.
LISTED_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN)


def published_comment_counts(consultation_id: int, *, version_id: int | None = None) -> dict[str, int]:
    """Published comments per paragraph key (made on ``version_id`` only, if given).

    Read from the counters the triggers keep (``CommentCount``): a row per version, provision
    and status, so the query costs the same however many comments there are."""
    query = (
        sa.select(CommentCount.paragraph_key, sa.func.sum(CommentCount.n))
        .where(
            CommentCount.consultation_id == consultation_id,
            CommentCount.status == CommentStatus.PUBLISHED.value,
            CommentCount.paragraph_key != "",  # "" stands for NULL: no provision
        )
        .group_by(CommentCount.paragraph_key)
    )
    if version_id is not None:
        query = query.where(CommentCount.version_id == version_id)
    return {key: int(count) for key, count in db.session.execute(query)}


class CommentTarget(NamedTuple):
    consultation: Consultation
    version: DraftVersion | None  # None before a version is published
    paragraph: Paragraph | None  # None for the draft as a whole, or a key the version does not have
    organisations: list[Organisation]  # those the user acts for (active memberships), by name


def comment_target(slug: str, key: str | None, user_id: int | None = None) -> CommentTarget | None:
    """One query for the comment form: the consultation, its current version and, for a ``key``,
    that provision in it; with ``user_id``, the organisations that user acts for (a row each)."""
    query = _comment_target_query(bool(key), user_id is not None)
    rows = db.session.execute(query, {"slug": slug, "key": key, "user_id": user_id}).all()
    if not rows:
        return None
    consultation, version = rows[0][0], rows[0][1]
    paragraph = rows[0][2] if key else None
    organisations = [row[-1] for row in rows if row[-1] is not None] if user_id is not None else []
    return CommentTarget(consultation, version, paragraph, organisations)


@lru_cache(maxsize=4)
def _comment_target_query(with_key: bool, with_user: bool) -> sa.Select:
    """Built once, its values bound at execution (sending a comment is the busiest request at a deadline)."""
    newest = (
        sa.select(sa.func.max(DraftVersion.number))
        .where(DraftVersion.consultation_id == Consultation.id, DraftVersion.status == VersionStatus.PUBLISHED)
        .correlate(Consultation)
        .scalar_subquery()
    )
    query = sa.select(Consultation, DraftVersion).outerjoin(
        DraftVersion, sa.and_(DraftVersion.consultation_id == Consultation.id, DraftVersion.number == newest)
    )
    if with_key:
        query = query.add_columns(Paragraph).outerjoin(
            Paragraph, sa.and_(Paragraph.version_id == DraftVersion.id, Paragraph.key == sa.bindparam("key"))
        )
    if with_user:
        query = (
            query.add_columns(Organisation)
            .outerjoin_from(Consultation, Membership, acting_memberships(sa.bindparam("user_id")))
            .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
            .order_by(Organisation.name)
        )
    return query.where(Consultation.slug == sa.bindparam("slug"))


def paragraph_in_version(version_id: int, key: str) -> Paragraph | None:
    return db.session.scalar(sa.select(Paragraph).where(Paragraph.version_id == version_id, Paragraph.key == key))


def comment_by_number(consultation_id: int, number: int) -> Comment | None:
    return db.session.scalar(
        sa.select(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.number == number)
        .options(joinedload(Comment.organisation), joinedload(Comment.paragraph), joinedload(Comment.letter))
    )


def active_supporters(comment_ids_query) -> dict[int, list[Organisation]]:
    """Organisations supporting each comment (not withdrawn), in the order they signed."""
    supports = db.session.scalars(
        sa.select(Support)
        .where(Support.comment_id.in_(comment_ids_query), Support.withdrawn_at.is_(None))
        .options(joinedload(Support.organisation))
        .order_by(Support.created_at, Support.id)
    )
    grouped: dict[int, list[Organisation]] = defaultdict(list)
    for support in supports:
        grouped[support.comment_id].append(support.organisation)
    return grouped


# Comments per page of a list: a provision with thousands of comments is read a page at a time.
PER_PAGE = 50
SORTS = ("number", "support", "newest")


@dataclass
class CommentCounts:
    """How many comments each provision of the version shown has, for the consultation page."""

    published: dict[str | None, int] = field(default_factory=dict)  # key (None: the draft as a whole)
    other: dict[str | None, int] = field(default_factory=dict)  # withdrawn and hidden
    published_total: int = 0


def comment_counts(
    consultation_id: int, key_of_paragraph: dict[int, str], *, version_id: int | None = None
) -> CommentCounts:
    """Listed comments per paragraph and status, from the counters the triggers keep
    (``CommentCount``): one query over a few hundred rows whatever the number of comments.

    ``key_of_paragraph`` places each paragraph (of any version) under its provision in the
    version shown (see ``drafts.queries.keys_in_version``); comments on the whole draft and on
    provisions the version no longer has count under None. ``version_id`` counts only the
    comments made on that version.
    """
    query = (
        sa.select(CommentCount.paragraph_id, CommentCount.status, sa.func.sum(CommentCount.n))
        .where(
            CommentCount.consultation_id == consultation_id,
            CommentCount.status.in_([status.value for status in LISTED_STATUSES]),
        )
        .group_by(CommentCount.paragraph_id, CommentCount.status)
    )
    if version_id is not None:
        query = query.where(CommentCount.version_id == version_id)
    counts = CommentCounts(published=defaultdict(int), other=defaultdict(int))
    for paragraph_id, status, count in db.session.execute(query):
        key = key_of_paragraph.get(paragraph_id) if paragraph_id else None  # 0: the draft as a whole
        count = int(count)
        if status == CommentStatus.PUBLISHED.value:
            counts.published[key] += count
            counts.published_total += count
        else:
            counts.other[key] += count
    counts.published, counts.other = dict(counts.published), dict(counts.other)
    return counts


@dataclass(frozen=True)
class CommentScope:
    """Which comments a list shows: those of one provision, of the draft as a whole, or all of them.

    ``paragraph_ids`` are the paragraphs (of any version) that are the provision in the version
    shown; for the draft as a whole, ``outside`` holds every paragraph the version shown has a
    place for, and the list is the comments on none of them. ``version_id`` keeps only the
    comments made on that version (an earlier version's page).
    """

    paragraph_ids: tuple[int, ...] | None = None
    outside: tuple[int, ...] | None = None
    version_id: int | None = None

    def where(self, consultation_id: int) -> list:
        conditions = [Comment.consultation_id == consultation_id]
        if self.paragraph_ids is not None:
            conditions.append(Comment.paragraph_id.in_(self.paragraph_ids))
        if self.outside is not None:
            conditions.append(sa.or_(Comment.paragraph_id.is_(None), Comment.paragraph_id.not_in(self.outside)))
        if self.version_id is not None:
            conditions.append(Comment.version_id == self.version_id)
        return conditions


@dataclass
class CommentsPage:
    """One page of a list of comments, with what each card needs."""

    items: list[Comment]
    supporters: dict[int, list[Organisation]]
    total: int  # listed comments in the scope after the filter, on every page
    page: int
    pages: int
    # Comments made on a wording the version shown has changed since.
    earlier_wording: set[int] = field(default_factory=set)


def comments_page(
    consultation_id: int,
    scope: CommentScope,
    text_of_key: dict[str, str],
    key_of_paragraph: dict[int, str],
    *,
    organisation_id: int | None = None,
    kind: CommentKind | None = None,
    sort: str = "number",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> CommentsPage:
    """Three queries whatever the number of comments: the count, one page of comments (with their
    organisation, version, position and letter), and the active supporters of that page.

    A page past the last one shows the last. ``text_of_key`` is the wording of the version
    shown, to tell which comments were made on an earlier one.
    """
    conditions = [*scope.where(consultation_id), Comment.status.in_(LISTED_STATUSES)]
    if organisation_id is not None:
        conditions.append(Comment.organisation_id == organisation_id)
    if kind is not None:
        conditions.append(Comment.kind == kind)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    query = (
        sa.select(Comment)
        .where(*conditions)
        .options(
            joinedload(Comment.organisation),
            joinedload(Comment.version),
            joinedload(Comment.position),
            joinedload(Comment.letter),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if sort == "support":
        supports = (
            sa.select(Support.comment_id, sa.func.count().label("n"))
            .where(Support.withdrawn_at.is_(None))
            .group_by(Support.comment_id)
            .subquery()
        )
        query = query.outerjoin(supports, supports.c.comment_id == Comment.id).order_by(
            sa.func.coalesce(supports.c.n, 0).desc(), Comment.number
        )
    elif sort == "newest":
        query = query.order_by(Comment.submitted_at.desc(), Comment.number.desc())
    else:
        query = query.order_by(Comment.number)
    items = list(db.session.scalars(query))
    supporters = active_supporters([c.id for c in items]) if items else {}
    earlier_wording = set()
    for comment in items:
        key = key_of_paragraph.get(comment.paragraph_id) if comment.paragraph_id else None
        if key is not None and text_of_key.get(key) != comment.paragraph_text:
            earlier_wording.add(comment.id)
    return CommentsPage(items, supporters, total, page, pages, earlier_wording)


def commenting_organisations(consultation_id: int, scope: CommentScope) -> list[Organisation]:
    """Organisations with published comments in the scope, by name: the filter's choices (one query)."""
    ids = sa.select(Comment.organisation_id).where(
        *scope.where(consultation_id), Comment.status == CommentStatus.PUBLISHED
    )
    organisations = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))
    return sorted(organisations, key=lambda o: o.name.casefold())


def published_comment_total(consultation_id: int) -> int:
    """How many comments of the consultation are published, from the counters (no scan)."""
    total = db.session.scalar(
        sa.select(sa.func.sum(CommentCount.n)).where(
            CommentCount.consultation_id == consultation_id, CommentCount.status == CommentStatus.PUBLISHED.value
        )
    )
    return int(total or 0)


def published_comments(consultation_id: int, *, limit: int, offset: int = 0, after_number: int = 0) -> list[Comment]:
    """Open data: published comments by receipt number with their organisation, paragraph and
    position (one query): ``limit`` of them, from ``offset``, numbered after ``after_number``."""
    return list(
        db.session.scalars(
            sa.select(Comment)
            .where(
                Comment.consultation_id == consultation_id,
                Comment.status == CommentStatus.PUBLISHED,
                Comment.number > after_number,
            )
            .options(joinedload(Comment.organisation), joinedload(Comment.paragraph), joinedload(Comment.position))
            .order_by(Comment.number)
            .limit(limit)
            .offset(offset)
        )
    )


def support_counts(comment_ids: list[int]) -> dict[int, int]:
    """Active supports of these comments, in one grouped query."""
    if not comment_ids:
        return {}
    rows = db.session.execute(
        sa.select(Support.comment_id, sa.func.count())
        .where(Support.comment_id.in_(comment_ids), Support.withdrawn_at.is_(None))
        .group_by(Support.comment_id)
    )
    return {comment_id: count for comment_id, count in rows}


def _organisation_ids_of(user: User) -> sa.Select:
    return sa.select(Membership.organisation_id).where(acting_memberships(user.id))


def comments_of(user: User) -> list[Comment]:
    """Everything the organisations a user acts for have sent, newest first, in every consultation."""
    return db.session.scalars(
        sa.select(Comment)
        .where(Comment.organisation_id.in_(_organisation_ids_of(user)))
        .options(
            joinedload(Comment.consultation),
            joinedload(Comment.organisation),
            joinedload(Comment.paragraph),
            joinedload(Comment.position),
        )
        .order_by(Comment.submitted_at.desc(), Comment.id.desc())
    ).all()


def supports_of(user: User) -> list[Support]:
    """Other organisations' comments that the user's organisations support."""
    return db.session.scalars(
        sa.select(Support)
        .where(Support.organisation_id.in_(_organisation_ids_of(user)), Support.withdrawn_at.is_(None))
        .options(
            joinedload(Support.organisation),
            joinedload(Support.comment).joinedload(Comment.consultation),
            joinedload(Support.comment).joinedload(Comment.organisation),
            joinedload(Support.comment).joinedload(Comment.paragraph),
        )
        .order_by(Support.created_at.desc())
    ).all()


# --- comments received another way -------------------------------------------------------------


def organisations_for_letters() -> list[Organisation]:
    """Those an official may enter a letter of: every organisation on record but the rejected."""
    return db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.status != OrganisationStatus.REJECTED)
        .order_by(sa.func.lower(Organisation.name), Organisation.id)
    ).all()


def paragraphs_in_order(version_id: int) -> list[Paragraph]:
    return db.session.scalars(
        sa.select(Paragraph).where(Paragraph.version_id == version_id).order_by(Paragraph.position)
    ).all()


def letters_of(consultation_id: int) -> list[Letter]:
    """The letters entered in a consultation, newest first, with their comments (one query)."""
    return (
        db.session.scalars(
            sa.select(Letter)
            .where(Letter.consultation_id == consultation_id)
            .options(
                joinedload(Letter.organisation),
                joinedload(Letter.entered_by),
                joinedload(Letter.comments).joinedload(Comment.paragraph),
            )
            .order_by(Letter.received_on.desc(), Letter.id.desc())
        )
        .unique()
        .all()
    )


def personal_data_of(user: User) -> dict[str, list]:
    """The comments a person wrote, their revisions and the supports they gave (for the download)."""

    def iso(moment):
        return moment.isoformat() if moment else None

    comments = db.session.scalars(sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    supports = db.session.scalars(sa.select(Support).where(Support.user_id == user.id).order_by(Support.id))
    revisions = db.session.scalars(
        sa.select(CommentRevision).where(CommentRevision.editor_id == user.id).order_by(CommentRevision.id)
    )
    return {
        "comments": [
            {
                "consultation": c.consultation.slug,
                "number": c.number,
                "organisation": c.organisation.name,
                "paragraph": c.paragraph_key,
                "kind": c.kind.value,
                "proposed_text": c.proposed_text,
                "justification": c.justification,
                "status": c.status.value,
                "submitted_at": iso(c.submitted_at),
            }
            for c in comments
        ],
        "comment_revisions": [
            {
                "comment_id": r.comment_id,
                "number": r.number,
                "proposed_text": r.proposed_text,
                "justification": r.justification,
                "created_at": iso(r.created_at),
            }
            for r in revisions
        ],
        "supports": [
            {"comment_id": s.comment_id, "organisation": s.organisation.name, "created_at": iso(s.created_at)}
            for s in supports
        ],
    }


def version_counts(consultation_id: int) -> dict[int, dict[str, int]]:
    """Sections, provisions and published comments per version (the drafts' counts and one more query,
    over the counters)."""
    counts = draft_version_counts(consultation_id)
    rows = db.session.execute(
        sa.select(CommentCount.version_id, sa.func.sum(CommentCount.n))
        .where(CommentCount.consultation_id == consultation_id, CommentCount.status == CommentStatus.PUBLISHED.value)
        .group_by(CommentCount.version_id)
    )
    for version_id, count in rows:
        counts[version_id]["comments"] = int(count)
    return counts
