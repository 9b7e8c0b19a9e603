"""Reading consultations."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort

from consult.accounts.models import User
from consult.consultations.models import Consultation, ConsultationState
from consult.consultations.permissions import can_view_consultation
from consult.extensions import db

RECENT_DAYS = 365


def public_consultations(now: datetime) -> list[Consultation]:
    """Published consultations: open and announced first, then closed in the last year."""
    rows = db.session.scalars(
        sa.select(Consultation)
        .where(
            Consultation.state == ConsultationState.PUBLISHED,
            Consultation.closes_at > now - timedelta(days=RECENT_DAYS),
        )
        .order_by(Consultation.closes_at)
    ).all()
    upcoming = [c for c in rows if c.closes_at > now]
    closed = sorted((c for c in rows if c.closes_at <= now), key=lambda c: c.closes_at, reverse=True)
    return upcoming + closed


def all_consultations() -> list[Consultation]:
    return db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc())).all()


def consultation_by_slug(slug: str) -> Consultation | None:
    return db.session.scalars(sa.select(Consultation).where(Consultation.slug == slug)).first()


def consultation_or_404(slug: str) -> Consultation:
    """For views: the consultation with this address, or a 404 response."""
    return db.first_or_404(sa.select(Consultation).where(Consultation.slug == slug))


def visible_consultation_or_404(slug: str, user: User) -> Consultation:
    """The consultation, or a 404 also when it is a draft this user may not see:
    for the public a draft is not found, rather than forbidden."""
    consultation = consultation_or_404(slug)
    if not can_view_consultation(user, consultation):
        abort(404)
    return consultation
