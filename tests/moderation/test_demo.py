import sqlalchemy as sa

from consult.comments.models import Comment, CommentStatus, HideReason
from consult.demo import DEMO_SLUG, seed_demo
from consult.moderation.models import ModerationEvent, Position, PositionState, PositionStatus


def test_the_demo_has_a_hidden_comment_and_drafted_and_published_positions_of_every_kind(db):
    seed_demo()
    db.session.commit()
    consultation_id = db.session.scalar(sa.text("SELECT id FROM consultations WHERE slug = :s"), {"s": DEMO_SLUG})
    hidden = db.session.scalars(
        sa.select(Comment).where(Comment.consultation_id == consultation_id, Comment.status == CommentStatus.HIDDEN)
    ).all()
    assert [c.hidden_reason for c in hidden] == [HideReason.PERSONAL_DATA]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(ModerationEvent).where(ModerationEvent.comment_id == hidden[0].id)
        )
        == 1
    )
    positions = db.session.scalars(
        sa.select(Position).join(Comment).where(Comment.consultation_id == consultation_id)
    ).all()
    published = {p.status for p in positions if p.state == PositionState.PUBLISHED}
    assert published == set(PositionStatus)
    assert any(p.state == PositionState.DRAFT for p in positions)
