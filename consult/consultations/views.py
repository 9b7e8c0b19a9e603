"""Public pages: the list of consultations and one consultation with its draft."""

from flask import Blueprint, render_template
from flask_login import current_user

from consult.consultations.queries import public_consultations, visible_consultation_or_404
from consult.core.hooks import CONSULTATION_PAGE, VERSION_PAGE, merged
from consult.core.page_cache import cached_page
from consult.core.time import utcnow
from consult.drafts.queries import load_document, published_versions

bp = Blueprint("consultations", __name__)


@bp.get("/")
def list_consultations():
    now = utcnow()
    return render_template("consultations/list_view.html", consultations=public_consultations(now), now=now)


@bp.get("/consultations/<slug>")
def show_consultation(slug: str):
    consultation = visible_consultation_or_404(slug, current_user)
    now = utcnow()
    return cached_page(consultation, now, lambda: _consultation_page(consultation, now))


def _consultation_page(consultation, now) -> str:
    versions = published_versions(consultation.id)
    document = load_document(versions[-1]) if versions else None
    return render_template(
        "consultations/consultation_view.html",
        consultation=consultation,
        document=document,
        now=now,
        is_current=True,
        versions=versions,
        **merged(VERSION_PAGE, consultation, document, now, True),  # comment counts: a module above this one
        **merged(CONSULTATION_PAGE, consultation, now),  # documents, meetings: modules above this one
    )
