"""What became of a comment: its provision in the newest version and the changes the organiser
linked it to (the links themselves are made in ``consult.moderation.traceability``)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from consult.drafts.models import ChangeComment, DraftVersion, LinkOrigin, Paragraph, VersionStatus
from consult.drafts.queries import current_version, keys_in_version
from consult.extensions import db

if TYPE_CHECKING:  # comments build on drafts: the comment is only read
    from consult.comments.models import Comment


@dataclass
class Outcome:
    """What became of a comment in the newest version."""

    current: DraftVersion
    provision: Paragraph | None  # its provision in the current version; None if a later version deleted it
    linked: list[tuple[DraftVersion, str]]  # (version, change key) the organiser linked it to


def comment_outcome(comment: "Comment") -> Outcome | None:
    """None while the comment's version is still the newest and nothing is linked to it."""
    current = current_version(comment.consultation_id)
    if current is None:
        return None
    links = db.session.execute(
        sa.select(DraftVersion, ChangeComment.provision_key)
        .join(ChangeComment, ChangeComment.version_id == DraftVersion.id)
        .where(
            ChangeComment.comment_id == comment.id,
            ChangeComment.origin == LinkOrigin.OFFICIAL,  # a suggestion is no answer until confirmed
            DraftVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(DraftVersion.number)
    ).all()
    if current.id == comment.version_id and not links:
        return None
    provision = None
    if comment.paragraph_id is not None:
        paragraphs = list(db.session.scalars(sa.select(Paragraph).where(Paragraph.version_id == current.id)))
        key = keys_in_version(comment.consultation_id, current, paragraphs).get(comment.paragraph_id)
        provision = next((p for p in paragraphs if p.key == key), None)
    return Outcome(current=current, provision=provision, linked=[(v, key) for v, key in links])
