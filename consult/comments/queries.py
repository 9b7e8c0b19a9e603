"""Reading comments."""

import sqlalchemy as sa

from consult.comments.models import Comment, CommentStatus
from consult.extensions import db


def published_comment_counts(consultation_id: int) -> dict[str, int]:
    """Published comments per paragraph key, in one grouped query."""
    rows = db.session.execute(
        sa.select(Comment.paragraph_key, sa.func.count())
        .where(Comment.consultation_id == consultation_id, Comment.status == CommentStatus.PUBLISHED,
               Comment.paragraph_key.is_not(None))
        .group_by(Comment.paragraph_key)
    )
    return {key: count for key, count in rows}
