"""Public pages: the list of consultations and one consultation with its draft."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from consult.comments.views import page_context as comments_page_context
from consult.consultations.queries import public_consultations, visible_consultation_or_404
from consult.core.time import utcnow
from consult.drafts.permissions import can_view_version
from consult.drafts.queries import current_version, get_version, load_document

bp = Blueprint("consultations", __name__)


@bp.get("/")
def list_consultations():
    now = utcnow()
    return render_template("consultations/list_view.html", consultations=public_consultations(now), now=now)


@bp.get("/consultations/<slug>")
def show_consultation(slug: str):
    consultation = visible_consultation_or_404(slug, current_user)
    version = current_version(consultation.id)
    document = load_document(version) if version else None
    now = utcnow()
    return render_template(
        "consultations/consultation_view.html",
        consultation=consultation,
        document=document,
        now=now,
        is_current=True,
        **comments_page_context(consultation, document, now),
    )


@bp.get("/consultations/<slug>/versions/<int:number>")
def show_version(slug: str, number: int):
    consultation = visible_consultation_or_404(slug, current_user)
    version = get_version(consultation.id, number)
    if version is None or not can_view_version(current_user, version):
        abort(404)
    current = current_version(consultation.id)
    document = load_document(version)
    return render_template(
        "consultations/consultation_view.html",
        consultation=consultation,
        document=document,
        now=utcnow(),
        is_current=current is not None and current.id == version.id,
    )
