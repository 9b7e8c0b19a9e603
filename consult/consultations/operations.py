"""Consultation lifecycle: create, edit, publish, close early, extend."""

import re
from dataclasses import dataclass, field
from datetime import datetime, time

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.accounts.models import Area, User
from consult.consultations.models import (
    Consultation,
    ConsultationState,
    ConsultationStatus,
    ModerationMode,
    Participation,
)
from consult.core import audit
from consult.core.errors import Conflict, Forbidden, InvalidInput
from consult.core.hooks import CONSULTATION_PUBLISHED, contributions
from consult.core.text import clean_text
from consult.core.time import to_local, utcnow
from consult.drafts.queries import current_version
from consult.extensions import db

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,78})[a-z0-9]$")
LEGAL_MIN_DAYS = 7  # art. 5a of the act: at least 7 days
MAX_REASON = 2000


@dataclass
class ConsultationData:
    """What an official fills in; times are aware (converted from Kraków time by the form)."""

    slug: str
    title: str
    opens_at: datetime
    closes_at: datetime
    summary: str = ""
    organiser: str = ""
    legal_basis: str = ""
    participation: Participation = Participation.VERIFIED_ORGANISATIONS
    moderation_mode: ModerationMode = ModerationMode.POST
    receipt_prefix: str = "KONS"
    area_ids: list[int] = field(default_factory=list)


def minimum_days() -> int:
    """The shortest consultation the organiser allows: the act's 7 days, or more if configured
    (``CONSULTATION_MIN_DAYS``; Kraków asks for 21)."""
    return max(LEGAL_MIN_DAYS, int(current_app.config.get("CONSULTATION_MIN_DAYS") or LEGAL_MIN_DAYS))


def lasting_days(opens_at: datetime, closes_at: datetime) -> int:
    """How many days a consultation lasts, counted as the civil code counts a term in days
    (art. 111): the day it opens does not count, and its last day counts only when it closes at
    the end of that day (23:59 Kraków time). 1 December 8:00 to 8 December 23:59 is 7 days."""
    opens, closes = to_local(opens_at), to_local(closes_at)
    days = (closes.date() - opens.date()).days - (0 if closes.time() >= time(23, 59) else 1)
    return max(days, 0)


def short_duration_warning(opens_at: datetime, closes_at: datetime) -> str | None:
    days, minimum = lasting_days(opens_at, closes_at), minimum_days()
    if days >= minimum:
        return None
    return ngettext(
        "The consultation lasts %(num)d day (the day it opens is not counted; the last day counts when it "
        "closes at 23:59), less than the minimum of %(minimum)d days. Only an administrator can publish it, "
        "giving the reason.",
        "The consultation lasts %(num)d days (the day it opens is not counted; the last day counts when it "
        "closes at 23:59), less than the minimum of %(minimum)d days. Only an administrator can publish it, "
        "giving the reason.",
        days,
        minimum=minimum,
    )


def _validate(data: ConsultationData, existing: Consultation | None) -> None:
    if not SLUG_PATTERN.match(data.slug):
        raise InvalidInput(
            _(
                "The address (slug) may contain only lower-case letters, digits and hyphens, "
                "3 to 80 characters, starting and ending with a letter or digit."
            ),
            field="slug",
        )
    if not clean_text(data.title):
        raise InvalidInput(_("The title is required."), field="title")
    if data.closes_at <= data.opens_at:
        raise InvalidInput(_("The closing time must be later than the opening time."), field="closes_at")
    taken = db.session.scalar(sa.select(Consultation.id).where(Consultation.slug == data.slug))
    if taken is not None and (existing is None or taken != existing.id):
        raise Conflict(_("A consultation with the address “%(slug)s” already exists.", slug=data.slug), field="slug")


def _snapshot(consultation: Consultation) -> dict:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "organiser": consultation.organiser,
        "legal_basis": consultation.legal_basis,
        "opens_at": consultation.opens_at.isoformat(),
        "closes_at": consultation.closes_at.isoformat(),
        "participation": consultation.participation.value,
        "moderation_mode": consultation.moderation_mode.value,
        "receipt_prefix": consultation.receipt_prefix,
        "areas": [a.number for a in consultation.areas],
    }


def _apply(consultation: Consultation, data: ConsultationData) -> None:
    for name in (
        "slug",
        "title",
        "summary",
        "organiser",
        "legal_basis",
        "opens_at",
        "closes_at",
        "participation",
        "moderation_mode",
        "receipt_prefix",
    ):
        setattr(consultation, name, getattr(data, name))
    # Titles and the organiser go into e-mail subjects and document properties: one line each.
    consultation.title = " ".join(clean_text(data.title).split())
    consultation.organiser = " ".join(clean_text(data.organiser).split())
    consultation.legal_basis = clean_text(data.legal_basis)
    consultation.summary = clean_text(data.summary)
    consultation.areas = (
        list(db.session.scalars(sa.select(Area).where(Area.id.in_(data.area_ids)))) if data.area_ids else []
    )


def create_consultation(actor: User | None, data: ConsultationData) -> Consultation:
    _validate(data, None)
    consultation = Consultation(state=ConsultationState.DRAFT, created_by_id=actor.id if actor else None)
    _apply(consultation, data)
    if actor is not None and actor.is_official:
        consultation.officials = [actor]  # the creator moderates and answers until others join
    db.session.add(consultation)
    db.session.flush()
    audit.record(
        actor, "consultation.create", consultation, consultation_id=consultation.id, after=_snapshot(consultation)
    )
    return consultation


def update_consultation(consultation: Consultation, actor: User, data: ConsultationData) -> Consultation:
    _validate(data, consultation)
    if (
        consultation.state == ConsultationState.PUBLISHED
        and (data.opens_at != consultation.opens_at or data.closes_at != consultation.closes_at)
        and consultation.status != ConsultationStatus.ANNOUNCED
    ):
        # Once comments may arrive, the deadline moves only with a logged reason.
        raise InvalidInput(
            _("The dates of a published consultation change only through “Close early” or “Extend”, with a reason."),
            field="closes_at",
        )
    if consultation.state == ConsultationState.PUBLISHED:
        _check_not_shortened(consultation, data)
    before = _snapshot(consultation)
    _apply(consultation, data)
    db.session.flush()
    audit.record(
        actor,
        "consultation.update",
        consultation,
        consultation_id=consultation.id,
        before=before,
        after=_snapshot(consultation),
    )
    return consultation


def _check_not_shortened(consultation: Consultation, data: ConsultationData) -> None:
    """An announced consultation may be moved, but not made shorter than the minimum (nor, when an
    administrator published it short, shorter than it was then)."""
    days = lasting_days(data.opens_at, data.closes_at)
    allowed = min(minimum_days(), lasting_days(consultation.opens_at, consultation.closes_at))
    if days < allowed:
        raise InvalidInput(
            ngettext(
                "A published consultation cannot be made shorter than %(num)d day.",
                "A published consultation cannot be made shorter than %(num)d days.",
                allowed,
            ),
            field="closes_at",
        )


def publish_consultation(consultation: Consultation, actor: User, short_reason: str = "") -> Consultation:
    """Publish; one shorter than the minimum only by an administrator, whose reason goes into the
    audit log and the report. The modules above announce it (``CONSULTATION_PUBLISHED``)."""
    if consultation.state == ConsultationState.PUBLISHED:
        raise Conflict(_("The consultation is already published."))
    if current_version(consultation.id) is None:
        raise InvalidInput(_("Publish a version of the draft before publishing the consultation."))
    if consultation.closes_at <= utcnow():
        raise InvalidInput(_("The closing time has already passed; change the dates first."))
    days, minimum = lasting_days(consultation.opens_at, consultation.closes_at), minimum_days()
    reason = None
    if days < minimum:
        reason = _short_duration_reason(actor, short_reason, days, minimum)
    consultation.short_duration_reason = reason
    consultation.short_duration_minimum = minimum if reason else None
    consultation.state = ConsultationState.PUBLISHED
    db.session.flush()
    audit.record(
        actor,
        "consultation.publish",
        consultation,
        consultation_id=consultation.id,
        reason=reason,
        after={"days": days, "minimum_days": minimum},
    )
    for published in contributions(CONSULTATION_PUBLISHED):
        published(consultation)
    return consultation


def _short_duration_reason(actor: User, text: str, days: int, minimum: int) -> str:
    if not getattr(actor, "is_admin", False):
        raise Forbidden(
            ngettext(
                "The consultation lasts %(num)d day, less than the minimum of %(minimum)d days. Lengthen it, or "
                "ask an administrator to publish it with a reason.",
                "The consultation lasts %(num)d days, less than the minimum of %(minimum)d days. Lengthen it, or "
                "ask an administrator to publish it with a reason.",
                days,
                minimum=minimum,
            )
        )
    reason = clean_text(text)
    if not reason:
        raise InvalidInput(
            ngettext(
                "The consultation lasts %(num)d day, less than the minimum of %(minimum)d days: give the reason "
                "for publishing it so; it goes into the audit log and the report.",
                "The consultation lasts %(num)d days, less than the minimum of %(minimum)d days: give the reason "
                "for publishing it so; it goes into the audit log and the report.",
                days,
                minimum=minimum,
            ),
            field="short_reason",
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason may have at most %(max)d characters.", max=MAX_REASON), field="short_reason")
    return reason


def _require_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(_("Give the reason; it is kept in the record."), field="reason")
    return reason


def close_early(consultation: Consultation, actor: User, reason: str, now: datetime | None = None) -> Consultation:
    reason = _require_reason(reason)
    now = now or utcnow()
    if consultation.status_at(now) != ConsultationStatus.OPEN:
        raise InvalidInput(_("Only an open consultation can be closed early."))
    before = consultation.closes_at
    consultation.closes_at = now
    db.session.flush()
    audit.record(
        actor,
        "consultation.close_early",
        consultation,
        consultation_id=consultation.id,
        reason=reason,
        before={"closes_at": before.isoformat()},
        after={"closes_at": now.isoformat()},
    )
    return consultation


def extend_consultation(
    consultation: Consultation, actor: User, new_closes_at: datetime, reason: str, now: datetime | None = None
) -> Consultation:
    reason = _require_reason(reason)
    now = now or utcnow()
    if consultation.state != ConsultationState.PUBLISHED or consultation.report_published_at is not None:
        raise InvalidInput(_("Only a published consultation without a report can be extended."))
    if new_closes_at <= consultation.closes_at or new_closes_at <= now:
        raise InvalidInput(
            _("The new closing time must be later than the current one and in the future."), field="closes_at"
        )
    before = consultation.closes_at
    consultation.closes_at = new_closes_at
    db.session.flush()
    audit.record(
        actor,
        "consultation.extend",
        consultation,
        consultation_id=consultation.id,
        reason=reason,
        before={"closes_at": before.isoformat()},
        after={"closes_at": new_closes_at.isoformat()},
    )
    return consultation


def set_team(consultation: Consultation, actor: User, officials: list) -> Consultation:
    """Who moderates and answers this consultation's comments."""
    if any(not official.is_official for official in officials):
        raise InvalidInput(_("Only officials can be on the consultation's team."), field="officials")
    before = sorted(u.id for u in consultation.officials)
    consultation.officials = list(officials)
    db.session.flush()
    audit.record(
        actor,
        "consultation.team",
        consultation,
        consultation_id=consultation.id,
        before={"officials": before},
        after={"officials": sorted(u.id for u in officials)},
    )
    return consultation
