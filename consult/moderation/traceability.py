"""Which comments are behind which change of a new version (what became of a comment is
``consult.drafts.traceability``).

When a version is made, the platform suggests for each change the comments likely
behind it: accepted or partly accepted comments on that provision, a proposal to
delete a provision that was deleted, and proposals whose wording is close to the new
text. The official confirms, removes or adds links; only then does the comparison
show them as receipts beside each change (a suggestion is the platform's guess, not the
organiser's word: officials see it marked as such until they confirm it), and each
comment's page shows the wording that resulted. It reads comments and the organiser's
positions, so it lives here; drafts asks for fresh suggestions through the
``VERSION_MATCHED`` hook.
"""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.comments.models import Comment, CommentKind, CommentStatus
from consult.core import audit
from consult.core.errors import InvalidInput
from consult.drafts.comparison import ChangeKind
from consult.drafts.matching import similarity, words
from consult.drafts.models import ChangeComment, DraftVersion, LinkOrigin, Paragraph
from consult.drafts.queries import Comparison, keys_in_version, load_comparison
from consult.extensions import db
from consult.moderation.models import Position, PositionStatus

# A proposal this close to the new wording (see matching.similarity) probably led to it.
CLOSE_PROPOSAL = 0.6
ACCEPTED = (PositionStatus.ACCEPTED, PositionStatus.PARTLY_ACCEPTED)


def suggest_links(version: DraftVersion, actor: User | None = None) -> int:
    """Replace the version's suggested links with fresh suggestions; links an official set stay."""
    if version.based_on is None:
        return 0
    comparison = load_comparison(version.consultation_id, version.based_on, version)
    if comparison is None:
        return 0
    db.session.execute(
        sa.delete(ChangeComment).where(
            ChangeComment.version_id == version.id, ChangeComment.origin == LinkOrigin.SUGGESTED
        )
    )
    kept = set(
        db.session.execute(
            sa.select(ChangeComment.provision_key, ChangeComment.comment_id).where(
                ChangeComment.version_id == version.id
            )
        ).all()
    )
    rows = db.session.execute(
        sa.select(Comment, Position.status)
        .outerjoin(Position, Position.comment_id == Comment.id)
        .where(Comment.consultation_id == version.consultation_id, Comment.status == CommentStatus.PUBLISHED)
    ).all()
    base_paragraphs = list(db.session.scalars(sa.select(Paragraph).where(Paragraph.version_id == version.based_on_id)))
    key_in_base = keys_in_version(version.consultation_id, version.based_on, base_paragraphs)
    by_key: dict[str | None, list[tuple[Comment, PositionStatus | None]]] = {}
    for comment, status in rows:
        by_key.setdefault(key_in_base.get(comment.paragraph_id), []).append((comment, status))
    count = 0
    for change in comparison.listed:
        for comment in _suggested(change, by_key):
            if (change.key, comment.id) in kept:
                continue
            kept.add((change.key, comment.id))
            db.session.add(
                ChangeComment(
                    version_id=version.id,
                    provision_key=change.key,
                    comment_id=comment.id,
                    origin=LinkOrigin.SUGGESTED,
                    created_by_id=actor.id if actor is not None else None,
                )
            )
            count += 1
    db.session.flush()
    return count


def _suggested(change, by_key) -> list[Comment]:
    new_words = words(change.new_text)
    found: dict[int, Comment] = {}
    for provision in change.old:
        for comment, status in by_key.get(provision.key, []):
            close = comment.kind in (CommentKind.CHANGE, CommentKind.ADD) and (
                similarity(words(comment.proposed_text), new_words) >= CLOSE_PROPOSAL
            )
            deleted = comment.kind == CommentKind.DELETE and change.kind == ChangeKind.DELETED
            if status in ACCEPTED or close or deleted:
                found[comment.id] = comment
    if change.kind == ChangeKind.ADDED:
        # A proposed new provision may sit under any provision: compare the wording.
        for comments in by_key.values():
            for comment, _status in comments:
                if comment.kind == CommentKind.ADD and similarity(words(comment.proposed_text), new_words) >= (
                    CLOSE_PROPOSAL
                ):
                    found[comment.id] = comment
    return sorted(found.values(), key=lambda c: c.number)


_NUMBER = re.compile(r"(\d+)\s*$")


def parse_receipts(text: str) -> list[int]:
    """ "KONS-2012/0011, 12" -> [11, 12]: receipt numbers or plain numbers, separated by commas or spaces."""
    numbers = []
    for token in re.split(r"[,;\s]+", (text or "").strip()):
        if not token:
            continue
        match = _NUMBER.search(token)
        if match is None or len(match[1]) > 9:
            raise InvalidInput(_("“%(token)s” is not a comment number.", token=token[:40]))
        numbers.append(int(match[1]))
    return sorted(set(numbers))


def set_change_comments(
    version: DraftVersion, comparison: Comparison, numbers_by_key: dict[str, list[int]], actor: User
):
    """The comments behind each change, as the official says; the links become the official's."""
    wanted = {number for numbers in numbers_by_key.values() for number in numbers}
    comments = {
        c.number: c
        for c in db.session.scalars(
            sa.select(Comment).where(Comment.consultation_id == version.consultation_id, Comment.number.in_(wanted))
        )
    }
    unknown = sorted(wanted - set(comments))
    if unknown:
        raise InvalidInput(
            _(
                "There is no comment number %(numbers)s in this consultation.",
                numbers=", ".join(str(n) for n in unknown),
            )
        )
    keys = {change.key for change in comparison.listed}
    before = _links_of(version)
    db.session.execute(sa.delete(ChangeComment).where(ChangeComment.version_id == version.id))
    for key, numbers in numbers_by_key.items():
        if key not in keys:
            continue
        for number in numbers:
            db.session.add(
                ChangeComment(
                    version_id=version.id,
                    provision_key=key,
                    comment_id=comments[number].id,
                    origin=LinkOrigin.OFFICIAL,
                    created_by_id=actor.id if actor is not None else None,
                )
            )
    db.session.flush()
    audit.record(
        actor,
        "draft.link_comments",
        version,
        consultation_id=version.consultation_id,
        before=before,
        after={key: numbers for key, numbers in numbers_by_key.items() if numbers and key in keys},
    )


def _links_of(version: DraftVersion) -> dict[str, list[int]]:
    rows = db.session.execute(
        sa.select(ChangeComment.provision_key, Comment.number)
        .join(Comment, Comment.id == ChangeComment.comment_id)
        .where(ChangeComment.version_id == version.id)
        .order_by(Comment.number)
    )
    links: dict[str, list[int]] = {}
    for key, number in rows:
        links.setdefault(key, []).append(number)
    return links


def links_of(version: DraftVersion) -> dict[str, list[int]]:
    """Change key -> numbers of the comments linked to it."""
    return _links_of(version)
