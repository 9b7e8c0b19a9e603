"""Reading comments, with a fixed number of queries however many there are.

One-to-many collections (supports) are joined into the same query, or read with
one query and grouped in Python, never with ``selectinload``: that one sends a new
SELECT for every 500 parents, so the count would grow with the comments.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.accounts.models import Membership, MembershipStatus, Organisation, OrganisationStatus
from consult.comments.models import Comment, CommentKind, CommentStatus, Letter, Support
from consult.drafts.models import Paragraph
from consult.extensions import db

# What the consultation page lists: withdrawn and hidden ones as placeholders.
LISTED_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN)


def published_comment_counts(consultation_id: int, *, version_id: int | None = None) -> dict[str, int]:
    """Published comments per paragraph key (made on ``version_id`` only, if given), in one grouped query."""
    query = (
        sa.select(Comment.paragraph_key, sa.func.count())
        .where(
            Comment.consultation_id == consultation_id,
            Comment.status == CommentStatus.PUBLISHED,
            Comment.paragraph_key.is_not(None),
        )
        .group_by(Comment.paragraph_key)
    )
    if version_id is not None:
        query = query.where(Comment.version_id == version_id)
    return {key: count for key, count in db.session.execute(query)}


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


@dataclass
class CommentsOnPage:
    """The comments of a consultation arranged under the paragraphs of one version of its draft."""

    # Paragraph key -> comments; None holds comments on the draft as a whole and on
    # provisions that the version shown no longer has.
    by_paragraph: dict[str | None, list[Comment]]
    supporters: dict[int, list[Organisation]]
    organisations: list[Organisation]  # those with published comments: the filter's choices
    published_total: int  # before the filter
    shown_total: int  # published ones after the filter
    published_counts: dict[str | None, int] = field(default_factory=dict)  # after the filter
    other_counts: dict[str | None, int] = field(default_factory=dict)  # withdrawn and hidden, after the filter
    # Comments made on a wording the version shown has changed since.
    earlier_wording: set[int] = field(default_factory=set)


def comments_on_page(
    consultation_id: int,
    key_of_paragraph: dict[int, str],
    text_of_key: dict[str, str],
    organisation_id: int | None = None,
    kind: CommentKind | None = None,
    *,
    version_id: int | None = None,
) -> CommentsOnPage:
    """One query: the listed comments with their organisation, version, position and active supporters.

    ``key_of_paragraph`` places each comment under its provision in the version shown,
    whatever version it was made on (see ``drafts.queries.keys_in_version``);
    ``text_of_key`` is that version's wording, to tell which comments were made on an
    earlier one. ``version_id`` keeps only the comments made on that version.

    The supports come joined (not selectinloaded, see above), filtered to those not
    withdrawn; the rows are de-duplicated by ``unique()``.
    """
    query = (
        sa.select(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(LISTED_STATUSES))
        .options(
            joinedload(Comment.organisation),
            joinedload(Comment.version),
            joinedload(Comment.position),
            joinedload(Comment.letter),
            joinedload(Comment.supports.and_(Support.withdrawn_at.is_(None))).joinedload(Support.organisation),
        )
        .order_by(Comment.number)
    )
    if version_id is not None:
        query = query.where(Comment.version_id == version_id)
    comments = db.session.scalars(query).unique().all()
    supporters = {
        comment.id: [support.organisation for support in comment.supports] for comment in comments if comment.supports
    }
    organisations: dict[int, Organisation] = {}
    by_paragraph: dict[str | None, list[Comment]] = defaultdict(list)
    published_counts: dict[str | None, int] = defaultdict(int)
    other_counts: dict[str | None, int] = defaultdict(int)
    earlier_wording: set[int] = set()
    published_total = 0
    for comment in comments:
        published = comment.status == CommentStatus.PUBLISHED
        if published:
            published_total += 1
            organisations[comment.organisation_id] = comment.organisation
        if (organisation_id is not None and comment.organisation_id != organisation_id) or (
            kind is not None and comment.kind != kind
        ):
            continue
        key = key_of_paragraph.get(comment.paragraph_id) if comment.paragraph_id else None
        if key is not None and text_of_key.get(key) != comment.paragraph_text:
            earlier_wording.add(comment.id)
        by_paragraph[key].append(comment)
        if published:
            published_counts[key] += 1
        else:
            other_counts[key] += 1
    return CommentsOnPage(
        by_paragraph=dict(by_paragraph),
        supporters=supporters,
        organisations=sorted(organisations.values(), key=lambda o: o.name.casefold()),
        published_total=published_total,
        shown_total=sum(published_counts.values()),
        published_counts=dict(published_counts),
        other_counts=dict(other_counts),
        earlier_wording=earlier_wording,
    )


def published_comments(consultation_id: int) -> list[Comment]:
    """For open data: published comments with organisation, paragraph and position (one query)."""
    return (
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.consultation_id == consultation_id, Comment.status == CommentStatus.PUBLISHED)
            .options(joinedload(Comment.organisation), joinedload(Comment.paragraph), joinedload(Comment.position))
            .order_by(Comment.number)
        )
        .unique()
        .all()
    )


def support_counts(consultation_id: int) -> dict[int, int]:
    """Active supports per published comment, in one grouped query."""
    rows = db.session.execute(
        sa.select(Support.comment_id, sa.func.count())
        .join(Comment, Comment.id == Support.comment_id)
        .where(
            Comment.consultation_id == consultation_id,
            Comment.status == CommentStatus.PUBLISHED,
            Support.withdrawn_at.is_(None),
        )
        .group_by(Support.comment_id)
    )
    return {comment_id: count for comment_id, count in rows}


def _organisation_ids_of(user) -> sa.Select:
    return sa.select(Membership.organisation_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
    )


def comments_of(user) -> list[Comment]:
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


def supports_of(user) -> list[Support]:
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
