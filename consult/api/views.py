"""Read-only JSON under /api/v1 (open data)."""

import zlib
from collections.abc import Iterator

from flask import Blueprint, Response, abort, current_app, jsonify, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.api.serialisers import (
    change_item,
    comment_item,
    consultation_detail,
    consultation_summary,
    version_document,
    version_summary,
)
from consult.comments.queries import (
    published_comment_counts,
    published_comment_total,
    published_comments,
    support_counts,
    version_counts,
)
from consult.consultations.models import ConsultationState
from consult.consultations.permissions import can_view_consultation
from consult.consultations.queries import consultation_by_slug, public_consultations
from consult.core.inputs import MAX_ID, bounded_int
from consult.core.page_cache import cached_page
from consult.core.time import utcnow
from consult.drafts.permissions import can_view_version
from consult.drafts.queries import (
    comparison_or_error,
    current_version,
    load_document,
    visible_version_or_404,
)
from consult.extensions import db
from consult.reports.queries import published_report
from consult.reports.serving import serve_report_file

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Published comments: a page of the list, and a batch of the whole list as it is streamed.
COMMENTS_PER_PAGE = 100
MAX_COMMENTS_PER_PAGE = 1000
STREAM_BATCH = 500


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
    """Published comments by receipt number, a page at a time (``?page=``, ``?per_page=`` up to
    1,000): the total in ``X-Total-Count``, the first, previous, next and last pages in ``Link``
    (RFC 8288). Four statements, however many comments there are; a page past the last is empty."""
    consultation = _published_or_404(slug)
    page = _page_parameter("page", 1, MAX_ID)
    per_page = _page_parameter("per_page", COMMENTS_PER_PAGE, MAX_COMMENTS_PER_PAGE)
    total = published_comment_total(consultation.id)
    last = max(1, -(-total // per_page))
    comments = published_comments(consultation.id, limit=per_page, offset=(page - 1) * per_page) if page <= last else []
    supports = support_counts([c.id for c in comments])
    response = jsonify([comment_item(c, supports.get(c.id, 0)) for c in comments])
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = _page_links(slug, page, per_page, last)
    return response


def _page_parameter(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    number = bounded_int(raw, 1, maximum)
    if number is None:
        abort(
            400,
            description=_(
                "The parameter %(name)s must be a whole number from 1 to %(maximum)d.", name=name, maximum=maximum
            ),
        )
    return number


def _page_links(slug: str, page: int, per_page: int, last: int) -> str:
    pages = {"first": 1, "prev": min(page - 1, last), "next": page + 1, "last": last}
    return ", ".join(
        f'<{url_for("api.list_comments", slug=slug, page=number, per_page=per_page, _external=True)}>; rel="{rel}"'
        for rel, number in pages.items()
        if 1 <= number <= last
    )


@bp.get("/consultations/<slug>/comments/all")
def download_comments(slug: str):
    """Every published comment as one JSON array (the items of ``list_comments``), written while
    it is read: batches of 500 by receipt number, each let go before the next, so a worker's
    memory stays flat at 30,000 comments."""
    consultation = _published_or_404(slug)
    consultation_id = consultation.id

    def items():
        yield "["
        after, separator = 0, "\n"
        while batch := published_comments(consultation_id, limit=STREAM_BATCH, after_number=after):
            supports = support_counts([c.id for c in batch])
            for comment in batch:
                yield separator + current_app.json.dumps(comment_item(comment, supports.get(comment.id, 0)))
                separator = ",\n"
            after = batch[-1].number
            db.session.expunge_all()
        yield "\n]\n"

    headers = {
        "Content-Disposition": f'attachment; filename="{consultation.slug}-comments.json"',
        "Vary": "Accept-Encoding",
    }
    if request.accept_encodings["gzip"] > 0:  # Flask-Compress leaves streams alone
        headers["Content-Encoding"] = "gzip"
        return Response(stream_with_context(_gzipped(items())), mimetype="application/json", headers=headers)
    return Response(stream_with_context(items()), mimetype="application/json", headers=headers)


def _gzipped(chunks: Iterator[str]) -> Iterator[bytes]:
    """The text compressed as it comes (a gzip member: wbits 31)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        if data := packer.compress(chunk.encode()):
            yield data
    yield packer.flush()


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
