"""The comments behind each change of a version (officials): suggested when the version is made,
confirmed or corrected here. Moderation reads comments and positions; the drafts' pages link here."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404
from consult.core.actions import perform_form
from consult.core.forms import form_status
from consult.core.hooks import VERSION_MATCHED, contribute
from consult.drafts.forms import change_links_form
from consult.drafts.permissions import can_link_comments
from consult.drafts.queries import MAX_VERSION_NUMBER, get_version, load_comparison
from consult.moderation.traceability import links_of, parse_receipts, set_change_comments, suggest_links
from consult.moderation.views import bp


@bp.record_once
def _contribute(state) -> None:
    contribute(state.app, VERSION_MATCHED, suggest_links)


@bp.route("/manage/consultations/<slug>/versions/<int:number>/links", methods=["GET", "POST"])
def link_comments(slug: str, number: int):
    """The comments behind each change of a version (suggested when it was made)."""
    consultation = consultation_or_404(slug)
    version = get_version(consultation.id, number) if number <= MAX_VERSION_NUMBER else None
    if version is None or version.based_on is None:
        abort(404)
    if not can_link_comments(current_user, version):
        abort(403)
    comparison = load_comparison(consultation.id, version.based_on, version)
    if comparison is None:
        abort(404)
    posted = request.form if request.method == "POST" else None
    form = change_links_form(comparison.listed, links_of(version), consultation.receipt_prefix, posted)
    if not form.validate_on_submit():
        return _links_page(form, consultation, comparison, form_status(form))

    def links():
        return {c.key: parse_receipts(form[f"links-{c.key}"].data) for c in comparison.listed}

    return perform_form(
        lambda: set_change_comments(version, comparison, links(), current_user),
        form=form,
        page=lambda error: _links_page(form, consultation, comparison, error.status_code),
        success=_("The comments behind the changes were saved."),
        redirect_to=url_for("moderation.link_comments", slug=slug, number=number),
    )


def _links_page(form, consultation: Consultation, comparison, status: int):
    return render_template(
        "moderation/links_form.html", form=form, consultation=consultation, comparison=comparison
    ), status
