"""Reading consultations."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from consult.consultations.models import Consultation, ConsultationState
from consult.extensions import db

RECENT_DAYS = 365


def public_consultations(now: datetime) -> list[Consultation]:
    """Published consultations: open and announced first, then closed in the last year."""
    rows = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.state == ConsultationState.PUBLISHED,
               Consultation.closes_at > now - timedelta(days=RECENT_DAYS))
        .order_by(Consultation.closes_at)
    ).all()
    upcoming = [c for c in rows if c.closes_at > now]
    closed = sorted((c for c in rows if c.closes_at <= now), key=lambda c: c.closes_at, reverse=True)
    return upcoming + closed


def all_consultations() -> list[Consultation]:
    return db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc())).all()


def consultation_by_slug(slug: str) -> Consultation | None:
    return db.session.scalars(sa.select(Consultation).where(Consultation.slug == slug)).first()
