"""Files: downloads, position papers on a comment's page, the consultation's documents.

Every download is sent as an attachment under a safe name with the type found in its
content, ``X-Content-Type-Options: nosniff`` and a sandboxing CSP, so a browser never
renders it as a page of this site.
"""

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from consult.accounts.models import User
from consult.accounts.queries import organisations_of
from consult.attachments import operations
from consult.attachments.files import read_bytes
from consult.attachments.forms import DocumentForm, PositionPaperForm, uploaded
from consult.attachments.models import CONSULTATION_DOCUMENT_KINDS, Attachment, AttachmentKind
from consult.attachments.operations import Upload
from consult.attachments.permissions import can_attach_to_comment, can_download_attachment, can_manage_documents
from consult.attachments.queries import (
    attachment_for_download,
    attachment_of,
    documents_of,
    papers_of_comment,
    position_papers_by_comment,
    uploads_of,
)
from consult.comments.models import Comment
from consult.comments.permissions import can_read_comment, is_author
from consult.comments.queries import comment_by_number
from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404, visible_consultation_or_404
from consult.core.actions import perform, perform_form
from consult.core.forms import form_status
from consult.core.hooks import COMMENT_LIST, COMMENT_PAGE, CONSULTATION_PAGE, PERSONAL_DATA, contribute
from consult.core.request_time import arrival_time

bp = Blueprint("attachments", __name__)


def document_kind_label(kind: AttachmentKind) -> str:
    return {
        AttachmentKind.JUSTIFICATION: _("Justification of the draft"),
        AttachmentKind.ANNOUNCEMENT: _("Announcement of the consultation"),
        AttachmentKind.FORM: _("Form for comments"),
        AttachmentKind.OTHER_DOCUMENT: _("Other document"),
    }.get(kind, "")


@bp.app_template_filter("file_size")
def file_size(size: int) -> str:
    """ "1,2 MB" or "340 kB", in the page's language."""
    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / 1048576, 1))} MB"
    return f"{format_decimal(max(1, round(size / 1024)))} kB"


@bp.app_template_filter("file_type")
def file_type(attachment: Attachment) -> str:
    return attachment.filename.rsplit(".", 1)[-1].upper()


bp.add_app_template_filter(document_kind_label, "document_kind_label")


# --- what other modules' pages show ------------------------------------------------------------


def consultation_page_extras(consultation: Consultation, now) -> dict:
    """One query: the consultation's documents (comments and their papers are listed elsewhere)."""
    return {"consultation_documents": documents_of(consultation.id)}


def comment_list_extras(consultation: Consultation, comment_ids: list[int]) -> dict:
    """One query whatever the number of comments: the position papers of those listed."""
    return {"position_papers": position_papers_by_comment(consultation.id, comment_ids)}


def comment_page_extras(comment: Comment, user: User, now) -> dict:
    readable = can_read_comment(user, comment)
    may_attach = can_attach_to_comment(user, comment, now)
    return {
        "position_papers": papers_of_comment(comment.id) if readable else [],
        "paper_form": PositionPaperForm() if may_attach else None,
        "may_remove_papers": may_attach,
    }


def personal_data_of(user: User) -> dict[str, list]:
    """The files a person uploaded (not their content: each can be downloaded from its page)."""
    return {
        "attachments": [
            {
                "consultation": a.consultation.slug,
                "comment": a.comment.number if a.comment else None,
                "kind": a.kind.value,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.created_at.isoformat(),
                "removed_at": a.removed_at.isoformat() if a.removed_at else None,
            }
            for a in uploads_of(user.id)
        ]
    }


@bp.record_once
def _contribute(state) -> None:
    contribute(state.app, CONSULTATION_PAGE, consultation_page_extras)
    contribute(state.app, COMMENT_PAGE, comment_page_extras)
    contribute(state.app, COMMENT_LIST, comment_list_extras)
    contribute(state.app, PERSONAL_DATA, personal_data_of)


# --- downloads --------------------------------------------------------------------------------------


@bp.get("/consultations/<slug>/files/<int:attachment_id>")
def download_attachment(slug: str, attachment_id: int):
    consultation = visible_consultation_or_404(slug, current_user)
    attachment = attachment_for_download(consultation.id, attachment_id)
    mine = {o.id for o in organisations_of(current_user)}
    if attachment is None or not can_download_attachment(current_user, attachment, mine):
        abort(404)
    data = read_bytes(attachment.data, attachment.sha256)
    if data is None:
        current_app.logger.error("Attachment %s: its file is missing from ATTACHMENTS_DIR", attachment.id)
        abort(404)
    response = send_file(
        BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        etag=attachment.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")


# --- position papers ------------------------------------------------------------------------------


def _comment_url(comment: Comment) -> str:
    return url_for("comments.show_comment", slug=comment.consultation.slug, number=comment.number) + "#files"


def _own_comment_or_404(slug: str, number: int) -> Comment:
    consultation = visible_consultation_or_404(slug, current_user)
    comment = comment_by_number(consultation.id, number)
    if comment is None or not can_read_comment(current_user, comment):
        abort(404)
    if not is_author(current_user, comment):
        abort(403)
    return comment


@bp.post("/consultations/<slug>/comments/<int:number>/files")
@login_required
def attach_to_comment(slug: str, number: int):
    comment = _own_comment_or_404(slug, number)
    form = PositionPaperForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(_comment_url(comment))
    upload = uploaded(form.file)
    if upload is None:
        flash(_("Choose the file to attach."), "error")
        return redirect(_comment_url(comment))
    perform(
        lambda: operations.attach_position_paper(comment, current_user, upload, now=arrival_time()),
        lambda attachment: _("“%(name)s” is attached to the comment.", name=attachment.filename),
    )
    return redirect(_comment_url(comment))


@bp.post("/consultations/<slug>/files/<int:attachment_id>/remove")
@login_required
def remove_attachment(slug: str, attachment_id: int):
    consultation = visible_consultation_or_404(slug, current_user)
    attachment = attachment_of(consultation.id, attachment_id)
    if attachment is None or attachment.kind == AttachmentKind.LETTER:
        abort(404)
    if attachment.is_document:
        perform(
            lambda: operations.remove_document(attachment, current_user),
            _("The document was taken off the consultation's page."),
        )
        return redirect(url_for("attachments.manage_documents", slug=slug))
    perform(
        lambda: operations.remove_position_paper(attachment, current_user, now=arrival_time()),
        _("The file was taken off the comment."),
    )
    return redirect(_comment_url(attachment.comment))


# --- the consultation's documents ----------------------------------------------------------------


def _document_form() -> DocumentForm:
    form = DocumentForm()
    form.kind.choices = [SelectChoice(kind.value, document_kind_label(kind)) for kind in CONSULTATION_DOCUMENT_KINDS]
    return form


@bp.route("/manage/consultations/<slug>/documents", methods=["GET", "POST"])
def manage_documents(slug: str):
    consultation = consultation_or_404(slug)
    may_manage = can_manage_documents(current_user, consultation)
    if request.method == "POST" and not may_manage:
        abort(403)
    form = _document_form()

    def page(status: int = 200):
        documents = documents_of(consultation.id)
        form_shown = form if may_manage else None
        return render_template(
            "attachments/documents_view.html", consultation=consultation, documents=documents, form=form_shown
        ), status

    if not form.validate_on_submit():
        return page(form_status(form))
    upload = uploaded(form.file) or Upload("", b"")
    return perform_form(
        lambda: operations.add_document(
            consultation, current_user, AttachmentKind(form.kind.data), form.title.data or "", upload
        ),
        form=form,
        page=lambda error: page(error.status_code),
        success=lambda attachment: _("“%(title)s” is published with the consultation.", title=attachment.title),
        redirect_to=url_for("attachments.manage_documents", slug=slug),
    )
