"""The demo gains a closed consultation whose report is published and downloadable."""

import sqlalchemy as sa

from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation, ConsultationStatus
from consult.demo import REPORT_DEMO_SLUG, seed_demo
from consult.moderation.models import ModerationEvent, Position
from consult.reports.models import PublishedReport


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_demo_has_a_closed_consultation_with_its_report_published(client, db):
    seed_demo()
    db.session.commit()
    consultation = db.session.scalars(sa.select(Consultation).where(Consultation.slug == REPORT_DEMO_SLUG)).one()
    assert consultation.status == ConsultationStatus.REPORT_PUBLISHED
    report = db.session.scalars(
        sa.select(PublishedReport).where(PublishedReport.consultation_id == consultation.id)
    ).one()
    assert report.number == 1
    comments = db.session.scalars(sa.select(Comment).where(Comment.consultation_id == consultation.id)).all()
    assert {c.status for c in comments} == {CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN}
    positions = db.session.scalars(
        sa.select(Position).join(Comment).where(Comment.consultation_id == consultation.id)
    ).all()
    assert {p.status.value for p in positions} == {"accepted", "partly_accepted", "rejected", "noted"}
    assert all(p.reason for p in positions)
    assert _count(db, ModerationEvent) >= 1

    page = client.get(f"/consultations/{REPORT_DEMO_SLUG}/report")
    assert page.status_code == 200 and "Raport z konsultacji" in page.get_data(as_text=True)
    for fmt in ("pdf", "xlsx", "json"):
        assert client.get(f"/consultations/{REPORT_DEMO_SLUG}/report.{fmt}").status_code == 200

    assert seed_demo() is False  # idempotent: nothing is added a second time
    db.session.commit()
    assert _count(db, PublishedReport) == 1
