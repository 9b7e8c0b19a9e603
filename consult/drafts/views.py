"""Draft versions: reading one (public), importing, previewing, publishing and discarding (officials)."""

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.consultations.models import Consultation, ConsultationState
from consult.consultations.queries import consultation_or_404, visible_consultation_or_404
from consult.core.actions import perform, perform_form
from consult.core.errors import NotFound
from consult.core.forms import form_status
from consult.core.hooks import NEW_VERSION_PUBLISHED, VERSION_PAGE, contributions, merged
from consult.core.text import one_line
from consult.core.time import utcnow
from consult.drafts.comparison import ChangeKind
from consult.drafts.exporters import clean_blocks, docx_bytes, odt_bytes, pdf_bytes, printable_blocks, tracked_blocks
from consult.drafts.forms import EditDraftForm, ImportDraftForm, MatchForm, PublishVersionForm
from consult.drafts.importers import parse_file
from consult.drafts.matching import rank_candidates
from consult.drafts.models import DraftVersion
from consult.drafts.operations import (
    discard_version,
    edit_draft,
    import_draft,
    publish_checks,
    publish_version,
    rematch_provision,
)
from consult.drafts.permissions import can_import_draft, can_publish_version
from consult.drafts.queries import (
    MAX_VERSION_NUMBER,
    comparison_or_error,
    current_version,
    editor_source,
    get_version,
    load_comparison,
    load_document,
    locate_provision,
    paragraph_in_version,
    published_versions,
    visible_version_or_404,
)

bp = Blueprint("drafts", __name__)


def summary_items(counts: dict[ChangeKind, int]) -> list[tuple[ChangeKind, str]]:
    """ "3 provisions changed", … for the kinds that occur (all zero: "no changes")."""
    texts = {
        ChangeKind.CHANGED: lambda n: ngettext("%(num)d provision changed", "%(num)d provisions changed", n),
        ChangeKind.ADDED: lambda n: ngettext("%(num)d provision added", "%(num)d provisions added", n),
        ChangeKind.DELETED: lambda n: ngettext("%(num)d provision deleted", "%(num)d provisions deleted", n),
        ChangeKind.MOVED: lambda n: ngettext("%(num)d provision moved", "%(num)d provisions moved", n),
        ChangeKind.SPLIT: lambda n: ngettext("%(num)d provision split", "%(num)d provisions split", n),
        ChangeKind.MERGED: lambda n: ngettext("%(num)d merger of provisions", "%(num)d mergers of provisions", n),
    }
    items = [(kind, texts[kind](count)) for kind, count in counts.items() if count]
    return items or [(ChangeKind.KEPT, _("No provision changed."))]


@bp.get("/consultations/<slug>/versions/<int:number>")
def show_version(slug: str, number: int):
    """An earlier version, with the comments made on it (read-only); the current one redirects."""
    consultation = visible_consultation_or_404(slug, current_user)
    version = visible_version_or_404(consultation, number, current_user)
    current = current_version(consultation.id)
    is_current = current is not None and current.id == version.id
    document = load_document(version)
    now = utcnow()
    gone = request.args.get("gone", "")
    return render_template(
        "consultations/consultation_view.html",
        consultation=consultation,
        document=document,
        now=now,
        is_current=is_current,
        versions=published_versions(consultation.id),
        gone=next((p for node in document.iter_nodes() for p in node.paragraphs if p.key == gone), None),
        **merged(VERSION_PAGE, consultation, document, now, is_current),  # comment counts: a module above
    )


@bp.get("/consultations/<slug>/provisions/<key>")
def find_provision(slug: str, key: str):
    """Where a shared #p-<key> link leads: the provision now, or the last version that had it."""
    consultation = visible_consultation_or_404(slug, current_user)
    found = locate_provision(consultation.id, key[:200])
    if found is None:
        abort(404)
    version, paragraph, is_current = found
    if is_current:
        return redirect(url_for("consultations.show_consultation", slug=slug) + f"#p-{paragraph.key}")
    return redirect(
        url_for("drafts.show_version", slug=slug, number=version.number, gone=paragraph.key) + f"#p-{paragraph.key}"
    )


@bp.get("/consultations/<slug>/versions/<int:older>..<int:newer>")
def compare_versions(slug: str, older: int, newer: int):
    consultation = visible_consultation_or_404(slug, current_user)
    comparison = comparison_or_error(consultation, older, newer, current_user)
    current = current_version(consultation.id)
    side_by_side = request.args.get("view") == "side"
    return render_template(
        "drafts/comparison_view.html",
        consultation=consultation,
        comparison=comparison,
        summary_items=summary_items(comparison.summary),
        side_by_side=side_by_side,
        newer_is_current=current is not None and current.id == comparison.newer.id,
    )


@bp.get("/consultations/<slug>/versions/<path:spec>")
def malformed_version_address(slug: str, spec: str):
    """Anything else under /versions/: say what a comparison address looks like."""
    visible_consultation_or_404(slug, current_user)
    raise NotFound(
        _(
            "There is no such version. A version is …/versions/2; a comparison names two versions, "
            "the earlier first: …/versions/1..2."
        )
    )


# --- files: a version, and the changes between two, as DOCX, ODT and PDF ----------------------

FILE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
}


def _file_response(data: bytes, fmt: str, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = FILE_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _render_file(fmt: str, title: str, subtitle: str, blocks, author: str, moment, tracked: bool) -> bytes:
    # Cleaned once for the three formats: text stored before input was cleaned may hold
    # control characters, and a title or name a line break.
    title, subtitle, author, blocks = one_line(title), one_line(subtitle), one_line(author), printable_blocks(blocks)
    if fmt == "docx":
        return docx_bytes(title, subtitle, blocks, author, moment)
    if fmt == "odt":
        return odt_bytes(title, subtitle, blocks, author, moment)
    html = render_template("drafts/version_print.html", title=title, subtitle=subtitle, blocks=blocks, tracked=tracked)
    static = current_app.static_folder or ""
    return pdf_bytes(html, f"{static}/css/version-print.css", static)


def _author(consultation: Consultation) -> str:
    return consultation.organiser or _("The organiser")


@bp.get("/consultations/<slug>/versions/<int:number>.<any(docx, odt, pdf):fmt>")
def download_version(slug: str, number: int, fmt: str):
    """The clean text of one version."""
    consultation = visible_consultation_or_404(slug, current_user)
    version = visible_version_or_404(consultation, number, current_user)
    subtitle = _("Version %(number)d of the draft", number=version.number)
    data = _render_file(
        fmt,
        version.title,
        subtitle,
        clean_blocks(load_document(version)),
        _author(consultation),
        version.published_at or utcnow(),
        tracked=False,
    )
    return _file_response(data, fmt, f"{consultation.slug}-v{version.number}")


@bp.get("/consultations/<slug>/versions/<int:older>..<int:newer>.<any(docx, odt, pdf):fmt>")
def download_comparison(slug: str, older: int, newer: int, fmt: str):
    """The newer version with the changes from the older one as tracked changes (marked, in the PDF)."""
    consultation = visible_consultation_or_404(slug, current_user)
    comparison = comparison_or_error(consultation, older, newer, current_user)
    blocks = tracked_blocks(comparison, load_document(comparison.older), load_document(comparison.newer))
    subtitle = _(
        "Version %(newer)d of the draft with the changes from version %(older)d marked", older=older, newer=newer
    )
    data = _render_file(
        fmt,
        comparison.newer.title,
        subtitle,
        blocks,
        _author(consultation),
        comparison.newer.published_at or utcnow(),
        tracked=True,
    )
    return _file_response(data, fmt, f"{consultation.slug}-v{older}-v{newer}")


# --- officials -----------------------------------------------------------------------------


@bp.route("/manage/consultations/<slug>/import", methods=["GET", "POST"])
def import_version(slug: str):
    consultation = consultation_or_404(slug)
    if not can_import_draft(current_user, consultation):
        abort(403)
    form = ImportDraftForm()
    if not form.validate_on_submit():
        return _import_page(form, consultation, form_status(form))
    upload = form.file.data
    return perform_form(
        lambda: import_draft(
            consultation,
            parse_file(upload.filename or "", upload.read()),
            current_user,
            source_filename=upload.filename,
            title=form.title.data or None,
        ),
        form=form,
        error_field="file",
        page=lambda error: _import_page(form, consultation, error.status_code),
        success=lambda version: _(
            "The draft was imported as version %(number)d. Check the preview, then publish it.", number=version.number
        ),
        redirect_to=lambda version: url_for("drafts.preview_version", slug=slug, number=version.number),
    )


@bp.route("/manage/consultations/<slug>/versions/edit", methods=["GET", "POST"])
def edit_draft_text(slug: str):
    """The current version (or the one being prepared) as text, saved as the next version."""
    consultation = consultation_or_404(slug)
    if not can_import_draft(current_user, consultation):
        abort(403)
    source = editor_source(consultation.id)
    form = EditDraftForm()
    if not form.is_submitted():
        form.text.data, form.revision.data = source.text, source.revision
    if not form.validate_on_submit():
        return _editor_page(form, consultation, source, form_status(form))
    return perform_form(
        lambda: edit_draft(consultation, form.text.data or "", current_user, revision=form.revision.data or ""),
        form=form,
        error_field="text",
        page=lambda error: _editor_page(form, consultation, source, error.status_code),
        success=lambda version: _(
            "The text was saved as version %(number)d. Check the matching, then publish it.", number=version.number
        ),
        redirect_to=lambda version: url_for("drafts.preview_version", slug=slug, number=version.number) + "#matching",
    )


def _editor_page(form: EditDraftForm, consultation: Consultation, source, status: int):
    context = {"form": form, "consultation": consultation, "source": source}
    return render_template("drafts/editor_form.html", **context), status


def _import_page(form: ImportDraftForm, consultation: Consultation, status: int):
    return render_template("drafts/import_form.html", form=form, consultation=consultation), status


def _version_or_404(consultation: Consultation, number: int):
    version = get_version(consultation.id, number) if number <= MAX_VERSION_NUMBER else None
    if version is None:
        abort(404)
    return version


@bp.get("/manage/consultations/<slug>/versions/<int:number>")
def preview_version(slug: str, number: int):
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    comparison = load_comparison(consultation.id, version.based_on, version) if version.based_on else None
    return render_template(
        "drafts/version_preview.html",
        consultation=consultation,
        version=version,
        document=load_document(version),
        comparison=comparison,
        summary_items=summary_items(comparison.summary) if comparison else [],
        checks=publish_checks(version, utcnow()),
        publish_form=PublishVersionForm(),
    )


def _publish_and_tell(version: DraftVersion, form: PublishVersionForm) -> DraftVersion:
    """A later version of a public consultation is news for the organisations that commented."""
    publish_version(
        version,
        current_user,
        new_text_confirmed=form.new_text_confirmed.data,
        comments_open_confirmed=form.comments_open_confirmed.data,
    )
    if version.based_on is not None and version.consultation.state == ConsultationState.PUBLISHED:
        for tell in contributions(NEW_VERSION_PUBLISHED):  # the organisations that commented (comments)
            tell(version)
    return version


@bp.post("/manage/consultations/<slug>/versions/<int:number>/publish")
def publish_draft_version(slug: str, number: int):
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    if not can_publish_version(current_user, version):
        abort(403)
    form = PublishVersionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("drafts.preview_version", slug=slug, number=number))
    published = perform(lambda: _publish_and_tell(version, form), _("Version %(number)d is published.", number=number))
    if not published:
        return redirect(url_for("drafts.preview_version", slug=slug, number=number) + "#publish")
    return redirect(url_for("consultations.manage_consultation", slug=slug))


@bp.post("/manage/consultations/<slug>/versions/<int:number>/discard")
def discard_draft_version(slug: str, number: int):
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    if not can_publish_version(current_user, version):
        abort(403)
    perform(lambda: discard_version(version, current_user), _("Version %(number)d was discarded.", number=number))
    return redirect(url_for("consultations.manage_consultation", slug=slug))


MATCH_CANDIDATES = 15


@bp.route("/manage/consultations/<slug>/versions/<int:number>/provisions/<key>/match", methods=["GET", "POST"])
def match_provision(slug: str, number: int, key: str):
    """Correct the proposed matching of one provision: which old provision it is, or none."""
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    if not can_publish_version(current_user, version) or version.based_on is None:
        abort(403)
    paragraph = paragraph_in_version(version.id, key)
    if paragraph is None:
        abort(404)
    form = _match_form(version, paragraph)
    if not form.validate_on_submit():
        return _match_page(form, consultation, version, paragraph, form_status(form))
    old = next((p for p in version.based_on.paragraphs if str(p.id) == form.old.data), None)
    return perform_form(
        lambda: rematch_provision(version, paragraph, old, current_user),
        form=form,
        page=lambda error: _match_page(form, consultation, version, paragraph, error.status_code),
        success=_("The matching was corrected."),
        redirect_to=url_for("drafts.preview_version", slug=slug, number=number) + "#matching",
    )


def _match_form(version: DraftVersion, paragraph) -> MatchForm:
    """The old provisions most like this one to choose from, the current match first."""
    matched = {m.old_paragraph_id for m in version.matches if m.new_paragraph_id == paragraph.id}
    form = MatchForm()
    candidates = rank_candidates(paragraph, version.based_on.paragraphs, matched, MATCH_CANDIDATES)
    form.old.choices = [
        ("new", _("a new provision (it continues none of version %(number)d)", number=version.based_on.number))
    ] + [(str(p.id), f"{p.label}: {p.text}") for p in candidates]
    if request.method == "GET":
        form.old.data = str(min(matched)) if matched else "new"
    return form


def _match_page(form: MatchForm, consultation: Consultation, version, paragraph, status: int):
    context = {"consultation": consultation, "version": version, "paragraph": paragraph, "form": form}
    return render_template("drafts/match_form.html", **context), status
