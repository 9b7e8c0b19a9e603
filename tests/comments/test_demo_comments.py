"""The demo's open consultation shows comments of every kind at once."""

import sqlalchemy as sa

from consult.comments.models import Channel, Comment, CommentKind, CommentStatus, Support
from consult.consultations.models import Consultation
from consult.demo import DEMO_SLUG, seed_demo


def test_the_open_demo_consultation_has_comments_of_every_kind_supports_an_edit_and_a_withdrawal(client, db):
    seed_demo()
    db.session.commit()
    consultation = db.session.scalars(sa.select(Consultation).where(Consultation.slug == DEMO_SLUG)).one()
    assert consultation.is_open
    comments = db.session.scalars(
        sa.select(Comment).where(Comment.consultation_id == consultation.id).order_by(Comment.number)
    ).all()
    published = [c for c in comments if c.status == CommentStatus.PUBLISHED]
    assert {c.kind for c in published} == set(CommentKind)
    assert any(c.paragraph_id is None for c in published)  # on the draft as a whole
    assert [c.number for c in comments] == list(range(1, len(comments) + 1))
    online = [c for c in published if c.channel == Channel.ONLINE]
    assert {c.organisation.name for c in online} == {"Fundacja Pod Wawelem", "Stowarzyszenie Seniorzy Nowej Huty"}
    # and two entered by the office: one said at the meeting held, one from a paper letter
    assert sorted(c.channel.value for c in published if c.letter_id) == ["meeting", "paper"]
    assert [c.status for c in comments].count(CommentStatus.WITHDRAWN) == 1
    assert any(c.revisions for c in published)
    supported = db.session.scalars(
        sa.select(Support.comment_id).join(Comment).where(Comment.consultation_id == consultation.id)
    ).all()
    assert len(supported) >= 2

    page = client.get(f"/consultations/{DEMO_SLUG}/comments").get_data(as_text=True)
    assert "KONS-2012/0001" in page and "Popiera 1 organizacja:" in page
    assert "Wycofana przez autora" in page
    assert 'class="diff-ins"' in page and 'class="diff-del"' in page
