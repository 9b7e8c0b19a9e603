"""Read-only JSON under /api/v1 (open data)."""

from flask import Blueprint, abort, current_app, jsonify
from flask_login import current_user

from consult.api.serialisers import (
    change_item,
    comment_item,
    consultation_detail,
    consultation_summary,
    version_document,
    version_summary,
)
from consult.comments.queries import published_comment_counts, published_comments, support_counts, version_counts
from consult.consultations.models import ConsultationState
from consult.consultations.permissions import can_view_consultation
from consult.consultations.queries import consultation_by_slug, public_consultations
from consult.core.page_cache import cached_page
from consult.core.time import utcnow
from consult.drafts.permissions import can_view_version
from consult.drafts.queries import (
    comparison_or_error,
    current_version,
    load_document,
    visible_version_or_404,
)
from consult.reports.queries import published_report
from consult.reports.serving import serve_report_file

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _published_or_404(slug: str):
    consultation = consultation_by_slug(slug)
    if consultation is None or consultation.state != ConsultationState.PUBLISHED:
        abort(404)
    return consultation


@bp.get("/consultations")
def list_consultations():
    return jsonify([consultation_summary(c) for c in public_consultations(utcnow())])


@bp.get("/consultations/<slug>")
def show_consultation(slug: str):
    """The draft with each provision's count of comments: from the page cache while nothing changed;
    rendered, it reads the counters the triggers keep (``CommentCount``), so neither grows with the comments."""
    consultation = _published_or_404(slug)
    text = cached_page(consultation, utcnow(), lambda: _consultation_json(consultation), variant="api")
    return current_app.response_class(text, mimetype="application/json")


def _consultation_json(consultation) -> str:
    version = current_version(consultation.id)
    document = load_document(version) if version else None
    detail = consultation_detail(consultation, document, published_comment_counts(consultation.id))
    return current_app.json.dumps(detail) + "\n"


@bp.get("/consultations/<slug>/comments")
def list_comments(slug: str):
    """Published comments, by receipt number; withdrawn, hidden and pending ones are not open data."""
    consultation = _published_or_404(slug)
    supports = support_counts(consultation.id)
    return jsonify([comment_item(c, supports.get(c.id, 0)) for c in published_comments(consultation.id)])


@bp.get("/consultations/<slug>/report")
def show_report(slug: str):
    """The newest published report as data: the same bytes as /consultations/<slug>/report.json."""
    consultation = _published_or_404(slug)
    report = published_report(consultation.id)
    if report is None:
        abort(404)
    return serve_report_file(consultation, report, "json")


# --- versions: public once the consultation is; a draft consultation's only to officials --------


def _visible_or_404(slug: str):
    consultation = consultation_by_slug(slug)
    if consultation is None or not can_view_consultation(current_user, consultation):
        abort(404)
    return consultation


@bp.get("/consultations/<slug>/versions")
def list_versions(slug: str):
    consultation = _visible_or_404(slug)
    counts = version_counts(consultation.id)
    return jsonify(
        [
            version_summary(version, counts.get(version.id, {}))
            for version in consultation.versions
            if can_view_version(current_user, version)
        ]
    )


@bp.get("/consultations/<slug>/versions/<int:number>")
def show_version(slug: str, number: int):
    consultation = _visible_or_404(slug)
    version = visible_version_or_404(consultation, number, current_user)
    counts = published_comment_counts(consultation.id, version_id=version.id)
    return jsonify(version_document(load_document(version), counts))


@bp.get("/consultations/<slug>/versions/<int:older>..<int:newer>")
def compare_versions(slug: str, older: int, newer: int):
    consultation = _visible_or_404(slug)
    comparison = comparison_or_error(consultation, older, newer, current_user)
    return jsonify([change_item(change, consultation.receipt_prefix) for change in comparison.listed])
