"""Moderation queue, positions and progress (officials); reports, reviews and the public log."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from consult.accounts.models import User, UserRole, UserStatus
from consult.analysis.queries import accepted_themes
from consult.comments.models import Comment, CommentStatus, HideReason
from consult.comments.queries import comment_by_number
from consult.consultations.models import Consultation
from consult.consultations.operations import set_team
from consult.consultations.permissions import can_change_team
from consult.consultations.queries import consultation_by_slug, consultation_or_404, visible_consultation_or_404
from consult.core.actions import perform, perform_form
from consult.core.errors import ConsultError
from consult.core.forms import form_status
from consult.core.inputs import bounded_int, int_arg, int_list_form
from consult.extensions import db, limiter
from consult.moderation import notifications, operations, permissions
from consult.moderation.forms import (
    AssignForm,
    BulkForm,
    HideForm,
    PositionForm,
    ReportCommentForm,
    RestoreForm,
    ReviewRequestForm,
    TeamForm,
)
from consult.moderation.models import Position, PositionStatus
from consult.moderation.operations import (
    StalePosition,
    answer_together,
    assign_comments,
)
from consult.moderation.queries import (
    AuditFilters,
    QueueFilters,
    audit_log,
    comments_by_numbers,
    draft_positions,
    moderation_queue,
    open_reports,
    progress,
    public_moderation_log,
    queue_choices,
    review_request,
)
from consult.notices.operations import send_notices

bp = Blueprint("moderation", __name__)


def _comment_or_404(consultation: Consultation, number: int) -> Comment:
    comment = comment_by_number(consultation.id, number)
    if comment is None:
        abort(404)
    return comment


def _require(allowed: bool) -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not allowed:
        abort(403)


def _officials() -> list[User]:
    return db.session.scalars(
        sa.select(User)
        .where(User.role.in_([UserRole.OFFICIAL, UserRole.ADMIN]), User.status == UserStatus.ACTIVE)
        .order_by(User.display_name)
    ).all()


def _assignee_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("nobody"))] + [SelectChoice(str(u.id), u.display_name) for u in _officials()]


def _not_offered() -> str:
    return _(
        "The person chosen is not among the officials this page offers (the page may be old, or the form "
        "was altered). Reload the page and choose again."
    )


def _assignee_from(value: str | None) -> User | None:
    if not value:
        return None
    number = bounded_int(value)
    user = db.session.get(User, number) if number is not None else None
    if user is None:
        abort(400, description=_not_offered())
    return user


# --- officials ------------------------------------------------------------------------------


def _queue_filters(args) -> QueueFilters:
    return QueueFilters(
        status=args.get("status", ""),
        paragraph=args.get("paragraph", ""),
        organisation_id=bounded_int(args.get("organisation")),
        assignee=args.get("assignee", ""),
        position=args.get("position", ""),
        theme=bounded_int(args.get("theme")),
        page=bounded_int(args.get("page")) or 1,
    )


@bp.get("/manage/consultations/<slug>/moderation")
@login_required
def show_queue(slug: str):
    consultation = consultation_or_404(slug)
    _require(permissions.can_view_moderation(current_user, consultation))
    filters = _queue_filters(request.args)
    page = moderation_queue(consultation.id, filters)
    organisations, paragraphs = queue_choices(consultation.id)
    bulk = BulkForm()
    bulk.assignee.choices = _assignee_choices()
    return render_template(
        "moderation/queue_view.html",
        consultation=consultation,
        page=page,
        filters=filters,
        organisations=organisations,
        paragraphs=paragraphs,
        officials=_officials(),
        themes=accepted_themes(consultation.id),
        bulk_form=bulk,
        page_args={k: v for k, v in request.args.items() if k != "page"},
    )


def _comment_page(consultation: Consultation, comment: Comment, status: int = 200, **forms):
    position = comment.position
    # Three forms on one page: prefixes keep their field ids (and labels) apart.
    position_form = forms.get("position_form") or PositionForm(
        prefix="position",
        status=position.status.value if position else "",
        reason=position.reason if position else "",
        row_version=str(position.row_version) if position else "",
    )
    assign_form = forms.get("assign_form") or AssignForm(
        prefix="assign", assignee=str(comment.assignee_id or ""), department=comment.assigned_department or ""
    )
    assign_form.assignee.choices = _assignee_choices()
    return render_template(
        "moderation/comment_view.html",
        consultation=consultation,
        comment=comment,
        hide_form=forms.get("hide_form") or HideForm(prefix="hide"),
        restore_form=forms.get("restore_form") or RestoreForm(prefix="restore"),
        position_form=position_form,
        assign_form=assign_form,
        other_position=forms.get("other_position"),
        reports=open_reports(comment.id),
        review=review_request(comment),
    ), status


@bp.get("/manage/consultations/<slug>/comments/<int:number>")
@login_required
def show_comment(slug: str, number: int):
    consultation = consultation_or_404(slug)
    _require(permissions.can_view_moderation(current_user, consultation))
    return _comment_page(consultation, _comment_or_404(consultation, number))


def _moderate(slug: str, number: int, action, success: str, after=None):
    consultation = consultation_or_404(slug)
    _require(permissions.can_moderate(current_user, consultation))
    comment = _comment_or_404(consultation, number)
    perform(lambda: action(comment), success, after=after)
    return redirect(url_for("moderation.show_comment", slug=slug, number=number))


def _refused(slug: str, number: int, **forms):
    """The comment's page again with the refused form, its text and its mistakes (422)."""
    consultation = consultation_or_404(slug)
    _require(permissions.can_moderate(current_user, consultation))
    return _comment_page(consultation, _comment_or_404(consultation, number), 422, **forms)


@bp.post("/manage/consultations/<slug>/comments/<int:number>/approve")
@login_required
def approve_comment(slug: str, number: int):
    return _moderate(slug, number, _approve_and_tell, _("The comment is published."))


def _approve_and_tell(comment: Comment) -> Comment:
    """Approving a waiting comment tells its organisation; approving a published one (to dismiss reports) does not."""
    was_waiting = comment.status == CommentStatus.PENDING
    operations.approve_comment(current_user, comment)
    if was_waiting:
        send_notices(notifications.comment_approved(comment))
    return comment


@bp.post("/manage/consultations/<slug>/comments/<int:number>/hide")
@login_required
def hide_comment(slug: str, number: int):
    form = HideForm(prefix="hide")
    if not form.validate_on_submit():
        return _refused(slug, number, hide_form=form)
    return _moderate(
        slug,
        number,
        lambda c: send_notices(
            notifications.comment_hidden(
                operations.hide_comment(current_user, c, HideReason(form.reason.data), form.note.data or "")
            )
        ),
        _("The comment is hidden; its author has been told why."),
    )


@bp.post("/manage/consultations/<slug>/comments/<int:number>/restore")
@login_required
def restore_comment(slug: str, number: int):
    form = RestoreForm(prefix="restore")
    if not form.validate_on_submit():
        return _refused(slug, number, restore_form=form)
    note = form.note.data
    return _moderate(
        slug,
        number,
        lambda c: send_notices(notifications.comment_restored(operations.restore_comment(current_user, c, note), note)),
        _("The comment is shown again; its author has been told why."),
    )


@bp.post("/manage/consultations/<slug>/comments/<int:number>/assign")
@login_required
def assign_comment(slug: str, number: int):
    form = AssignForm(prefix="assign")
    form.assignee.choices = _assignee_choices()
    if not form.validate_on_submit():
        abort(400, description=_not_offered())
    assignee = _assignee_from(form.assignee.data)
    return _moderate(
        slug,
        number,
        lambda c: assign_comments(current_user, [c], assignee, form.department.data),
        _("The assignment is saved."),
    )


@bp.post("/manage/consultations/<slug>/comments/<int:number>/position")
@login_required
def save_position(slug: str, number: int):
    consultation = consultation_or_404(slug)
    _require(permissions.can_answer(current_user, consultation))
    comment = _comment_or_404(consultation, number)
    form = PositionForm(prefix="position")
    if not form.validate_on_submit():
        return _comment_page(consultation, comment, 422, position_form=form)
    expected = int(form.row_version.data) if (form.row_version.data or "").isdigit() else None
    return perform_form(
        lambda: operations.save_position(
            current_user, comment, PositionStatus(form.status.data), form.reason.data, expected
        ),
        form=form,
        page=lambda error: _position_refused(consultation, comment, form, error),
        success=_("The position is saved as a draft. Publish it on the positions page."),
        redirect_to=url_for("moderation.show_comment", slug=slug, number=number),
    )


def _position_refused(consultation: Consultation, comment: Comment, form: PositionForm, error: ConsultError):
    """The comment page again with the official's text kept. After a lost race the form
    carries the row version the other official saved, beside their text: "compare and save
    again" then overwrites what was compared, instead of being refused as stale forever."""
    other = error.current if isinstance(error, StalePosition) else None
    if other is not None:
        form.row_version.data = str(other.row_version)
    return _comment_page(consultation, comment, error.status_code, position_form=form, other_position=other)


def _bulk_form() -> BulkForm:
    form = BulkForm()
    form.assignee.choices = _assignee_choices()
    form.comments.choices = [SelectChoice(n, str(n)) for n in int_list_form("comments")]
    return form


@bp.post("/manage/consultations/<slug>/bulk")
@login_required
def moderate_in_bulk(slug: str):
    """Selected comments: one answer for all (each its own row), or one assignment."""
    consultation = consultation_or_404(slug)
    action = request.form.get("action")
    allowed = permissions.can_answer if action == "answer" else permissions.can_moderate
    _require(allowed(current_user, consultation))
    form = _bulk_form()
    back = redirect(request.referrer or url_for("moderation.show_queue", slug=slug))
    if not form.validate_on_submit():
        flash(_("The form could not be processed; try again."), "error")
        return back
    if action == "answer" and not form.status.data:
        flash(_("Choose the position."), "error")
        return back
    if action not in ("answer", "assign"):
        abort(400)
    comments = comments_by_numbers(consultation.id, form.comments.data or [])
    perform(lambda: _in_bulk(action, comments, form), _bulk_message(action, len(comments)))
    return back


def _in_bulk(action: str, comments: list, form):
    if action == "answer":
        return answer_together(current_user, comments, PositionStatus(form.status.data), form.reason.data or "")
    return assign_comments(current_user, comments, _assignee_from(form.assignee.data), form.department.data)


def _bulk_message(action: str, count: int) -> str:
    if action == "answer":
        return _("The same position was drafted for %(num)d comments.", num=count)
    return _("%(num)d comments assigned.", num=count)


@bp.get("/manage/consultations/<slug>/positions")
@login_required
def list_positions(slug: str):
    consultation = consultation_or_404(slug)
    _require(permissions.can_view_moderation(current_user, consultation))
    return render_template(
        "moderation/positions_view.html",
        consultation=consultation,
        drafts=draft_positions(consultation.id),
    )


def _publish_and_tell(drafts: list[Position]) -> list[Position]:
    published = operations.publish_positions(current_user, drafts)
    send_notices(notifications.positions_published(published))
    return published


@bp.post("/manage/consultations/<slug>/positions/publish")
@login_required
def publish_positions(slug: str):
    consultation = consultation_or_404(slug)
    _require(permissions.can_answer(current_user, consultation))
    chosen = set(int_list_form("positions"))
    drafts = [p for p in draft_positions(consultation.id) if not chosen or p.id in chosen]
    perform(
        lambda: _publish_and_tell(drafts),
        lambda published: _("%(num)d positions published; the organisations have been told.", num=len(published)),
    )
    return redirect(url_for("moderation.list_positions", slug=slug))


@bp.get("/manage/consultations/<slug>/progress")
@login_required
def show_progress(slug: str):
    consultation = consultation_or_404(slug)
    _require(permissions.can_view_moderation(current_user, consultation))
    summary = progress(consultation.id, _("The draft as a whole"), _("Not assigned"))
    return render_template("moderation/progress_view.html", consultation=consultation, progress=summary)


@bp.route("/manage/consultations/<slug>/team", methods=["GET", "POST"])
@login_required
def manage_team(slug: str):
    consultation = consultation_or_404(slug)
    _require(permissions.can_view_moderation(current_user, consultation))
    officials = _officials()
    form = TeamForm(officials=[o.id for o in consultation.officials])
    form.officials.choices = [SelectChoice(o.id, f"{o.display_name} ({o.email})") for o in officials]
    if form.is_submitted():
        _require(can_change_team(current_user, consultation))
    if not form.validate_on_submit():
        return _team_page(consultation, form, form_status(form))
    chosen = [o for o in officials if o.id in set(form.officials.data or [])]
    return perform_form(
        lambda: set_team(consultation, current_user, chosen),
        form=form,
        page=lambda error: _team_page(consultation, form, error.status_code),
        success=_("The team is saved."),
        redirect_to=url_for("consultations.manage_consultation", slug=slug),
    )


def _team_page(consultation: Consultation, form: TeamForm, status: int):
    return render_template("moderation/team_view.html", consultation=consultation, form=form), status


@bp.get("/admin/audit")
@login_required
def show_audit_log():
    _require(permissions.can_read_audit_log(current_user))
    consultation = (
        consultation_by_slug(request.args.get("consultation", "")) if request.args.get("consultation") else None
    )
    filters = AuditFilters(
        action=request.args.get("action", ""),
        actor=request.args.get("actor", ""),
        consultation_id=consultation.id if consultation else None,
        page=int_arg("page", 1),
    )
    entries, total = audit_log(filters)
    return render_template(
        "moderation/audit_view.html",
        entries=entries,
        total=total,
        filters=filters,
        consultation_slug=request.args.get("consultation", ""),
    )


# --- public and authors ------------------------------------------------------------------------


@bp.get("/consultations/<slug>/moderation-log")
def show_moderation_log(slug: str):
    consultation = visible_consultation_or_404(slug, current_user)
    return render_template(
        "moderation/public_log_view.html", consultation=consultation, events=public_moderation_log(consultation.id)
    )


@bp.route("/consultations/<slug>/comments/<int:number>/report", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def report_comment(slug: str, number: int):
    consultation = consultation_or_404(slug)
    comment = _comment_or_404(consultation, number)
    if not permissions.can_report_comment(current_user, comment):
        abort(404)
    form = ReportCommentForm()
    if not form.validate_on_submit():
        return _comment_form_page("moderation/report_form.html", comment, form, form_status(form))
    return perform_form(
        lambda: operations.report_comment(current_user, comment, form.reason.data),
        form=form,
        page=lambda error: _comment_form_page("moderation/report_form.html", comment, form, error.status_code),
        success=_("Thank you. The moderators will look at the comment."),
        redirect_to=url_for("comments.show_comment", slug=slug, number=number),
    )


def _comment_form_page(template: str, comment: Comment, form, status: int):
    return render_template(template, consultation=comment.consultation, comment=comment, form=form), status


@bp.route("/consultations/<slug>/comments/<int:number>/review", methods=["GET", "POST"])
@login_required
def request_review(slug: str, number: int):
    consultation = consultation_or_404(slug)
    comment = _comment_or_404(consultation, number)
    _require(permissions.can_request_review(current_user, comment))
    form = ReviewRequestForm()
    if not form.validate_on_submit():
        return _comment_form_page("moderation/review_form.html", comment, form, form_status(form))
    return perform_form(
        lambda: operations.request_review(current_user, comment, form.message.data),
        form=form,
        page=lambda error: _comment_form_page("moderation/review_form.html", comment, form, error.status_code),
        success=_("Your request has been sent to the moderators."),
        redirect_to=url_for("comments.list_my_comments"),
    )
