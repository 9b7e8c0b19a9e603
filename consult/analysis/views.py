"""Officials' pages: near-duplicate groups (confirm, split, merge, answer) and themes."""

from flask import Blueprint, abort, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.analysis import operations, permissions
from consult.analysis.forms import GroupAnswerForm, MergeForm, ProposeForm, SplitForm, ThemeEditForm, ThemeForm
from consult.analysis.jobs import enqueue
from consult.analysis.models import DuplicateGroup, RunKind, Theme
from consult.analysis.queries import group_detail, group_or_none, groups_page, run_or_none, theme_or_none, themes_page
from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404
from consult.core.actions import perform, perform_form
from consult.core.inputs import int_arg, int_form, int_list_form
from consult.core.labels import receipt
from consult.moderation.models import PositionStatus

bp = Blueprint("analysis", __name__)
bp.add_app_template_global(RunKind, "run_kinds")


def _require(allowed: bool) -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not allowed:
        abort(403)


def _loaded(slug: str, check) -> Consultation:
    consultation = consultation_or_404(slug)
    _require(check(current_user, consultation))
    return consultation


def _group_or_404(consultation: Consultation, group_id: int) -> DuplicateGroup:
    group = group_or_none(consultation.id, group_id)
    if group is None:
        abort(404)
    return group


def _theme_or_404(consultation: Consultation, theme_id: int) -> Theme:
    theme = theme_or_none(consultation.id, theme_id)
    if theme is None:
        abort(404)
    return theme


def _start(consultation: Consultation, kind: RunKind, count: int | None = None):
    return operations.request_run(current_user, consultation, kind, count)


# --- groups ----------------------------------------------------------------------------------


@bp.get("/manage/consultations/<slug>/groups")
@login_required
def list_groups(slug: str):
    consultation = _loaded(slug, permissions.can_view_analysis)
    page = groups_page(consultation.id, int_arg("page", 1))
    return render_template(
        "analysis/groups_view.html",
        consultation=consultation,
        page=page,
        can_analyse=permissions.can_analyse(current_user, consultation),
    )


@bp.post("/manage/consultations/<slug>/groups/run")
@login_required
def start_grouping(slug: str):
    consultation = _loaded(slug, permissions.can_analyse)
    perform(lambda: _start(consultation, RunKind.GROUPS), _("Grouping started."), after=lambda run: enqueue(run.id))
    return redirect(url_for("analysis.list_groups", slug=slug))


def _group_page(consultation: Consultation, group: DuplicateGroup, status: int = 200, **forms):
    detail = group_detail(group)
    if detail is None:
        abort(404)
    merge_form = forms.get("merge_form") or MergeForm(prefix="merge")
    merge_form.other.choices = [
        (g, _("Group of %(size)d (from comment %(number)d)", size=s, number=n)) for g, s, n in detail.others
    ]
    common = detail.view.common
    answer_form = forms.get("answer_form") or GroupAnswerForm(
        prefix="answer",
        status=common.position.status.value if common.position else PositionStatus.ACCEPTED.value,
        reason=common.position.reason if common.position else "",
    )
    split_form = forms.get("split_form") or SplitForm(prefix="split")
    split_form.comments.choices = [(c.id, receipt(consultation.receipt_prefix, c.number)) for c in detail.view.members]
    return render_template(
        "analysis/group_view.html",
        consultation=consultation,
        detail=detail,
        answer_form=answer_form,
        split_form=split_form,
        merge_form=merge_form,
        can_analyse=permissions.can_analyse(current_user, consultation),
        can_answer=permissions.can_answer_group(current_user, consultation),
    ), status


@bp.get("/manage/consultations/<slug>/groups/<int:group_id>")
@login_required
def show_group(slug: str, group_id: int):
    consultation = _loaded(slug, permissions.can_view_analysis)
    return _group_page(consultation, _group_or_404(consultation, group_id))


@bp.post("/manage/consultations/<slug>/groups/<int:group_id>/confirm")
@login_required
def confirm_group(slug: str, group_id: int):
    consultation = _loaded(slug, permissions.can_analyse)
    group = _group_or_404(consultation, group_id)
    perform(lambda: operations.confirm_group(current_user, group), _("The group is confirmed."))
    return redirect(url_for("analysis.show_group", slug=slug, group_id=group.id))


@bp.post("/manage/consultations/<slug>/groups/<int:group_id>/split")
@login_required
def split_group(slug: str, group_id: int):
    consultation = _loaded(slug, permissions.can_analyse)
    group = _group_or_404(consultation, group_id)
    form = SplitForm(prefix="split")
    form.comments.choices = [(c, str(c)) for c in int_list_form("split-comments")]
    if not form.validate_on_submit():
        return _group_page(consultation, group, 422, split_form=form)
    return perform_form(
        lambda: operations.split_group(current_user, group, form.comments.data or []),
        form=form,
        page=lambda error: _group_page(consultation, group, error.status_code, split_form=form),
        success=_("The chosen comments were taken out of the group."),
        redirect_to=url_for("analysis.list_groups", slug=slug),
    )


@bp.post("/manage/consultations/<slug>/groups/<int:group_id>/merge")
@login_required
def merge_group(slug: str, group_id: int):
    consultation = _loaded(slug, permissions.can_analyse)
    group = _group_or_404(consultation, group_id)
    form = MergeForm(prefix="merge")
    other = group_or_none(consultation.id, int_form("merge-other") or 0)
    form.other.choices = [(other.id, str(other.id))] if other else []
    if other is None or not form.validate_on_submit():
        return _group_page(consultation, group, 422, merge_form=form)
    return perform_form(
        lambda: operations.merge_groups(current_user, group, [other]),
        form=form,
        page=lambda error: _group_page(consultation, group, error.status_code, merge_form=form),
        success=_("The groups are merged."),
        redirect_to=url_for("analysis.show_group", slug=slug, group_id=group.id),
    )


@bp.post("/manage/consultations/<slug>/groups/<int:group_id>/answer")
@login_required
def answer_group(slug: str, group_id: int):
    consultation = _loaded(slug, permissions.can_answer_group)
    group = _group_or_404(consultation, group_id)
    form = GroupAnswerForm(prefix="answer")
    if not form.validate_on_submit():
        return _group_page(consultation, group, 422, answer_form=form)
    return perform_form(
        lambda: operations.answer_group(current_user, group, PositionStatus(form.status.data), form.reason.data),
        form=form,
        page=lambda error: _group_page(consultation, group, error.status_code, answer_form=form),
        success=lambda positions: _(
            "The same position was drafted for %(num)d comments. Publish it on the positions page.",
            num=len(positions),
        ),
        redirect_to=url_for("analysis.show_group", slug=slug, group_id=group.id),
    )


# --- themes ----------------------------------------------------------------------------------


def _themes_page(consultation: Consultation, status: int = 200, **forms):
    page = themes_page(consultation.id)
    edit_forms = {
        view.theme.id: ThemeEditForm(
            prefix=f"theme-{view.theme.id}",
            name=view.theme.name,
            description=view.theme.description,
            summary_answer=view.theme.summary_answer,
        )
        for view in page.accepted + page.proposed
    }
    edit_forms.update(forms.get("edit_forms", {}))
    return render_template(
        "analysis/themes_view.html",
        consultation=consultation,
        page=page,
        define_form=forms.get("define_form") or ThemeForm(prefix="define"),
        propose_form=forms.get("propose_form") or ProposeForm(prefix="propose"),
        edit_forms=edit_forms,
        can_analyse=permissions.can_analyse(current_user, consultation),
    ), status


@bp.get("/manage/consultations/<slug>/themes")
@login_required
def list_themes(slug: str):
    return _themes_page(_loaded(slug, permissions.can_view_analysis))


@bp.post("/manage/consultations/<slug>/themes/propose")
@login_required
def propose_themes(slug: str):
    consultation = _loaded(slug, permissions.can_analyse)
    form = ProposeForm(prefix="propose")
    if not form.validate_on_submit():
        return _themes_page(consultation, 422, propose_form=form)
    return perform_form(
        lambda: _start(consultation, RunKind.THEMES, form.count.data),
        form=form,
        page=lambda error: _themes_page(consultation, error.status_code, propose_form=form),
        success=_("Consult is reading the comments; the proposals appear here when it is done."),
        after=lambda run: enqueue(run.id),
        redirect_to=url_for("analysis.list_themes", slug=slug),
    )


@bp.post("/manage/consultations/<slug>/themes")
@login_required
def define_theme(slug: str):
    consultation = _loaded(slug, permissions.can_analyse)
    form = ThemeForm(prefix="define")
    if not form.validate_on_submit():
        return _themes_page(consultation, 422, define_form=form)

    def define():
        theme = operations.define_theme(current_user, consultation, form.name.data, form.description.data)
        return theme, _start(consultation, RunKind.GROUPS)

    return perform_form(
        define,
        form=form,
        page=lambda error: _themes_page(consultation, error.status_code, define_form=form),
        success=_("The theme is saved; its comments are being found."),
        after=lambda result: enqueue(result[1].id),
        redirect_to=url_for("analysis.list_themes", slug=slug),
    )


@bp.post("/manage/consultations/<slug>/themes/<int:theme_id>/<any(accept, edit):action>")
@login_required
def change_theme(slug: str, theme_id: int, action: str):
    consultation = _loaded(slug, permissions.can_analyse)
    theme = _theme_or_404(consultation, theme_id)
    form = ThemeEditForm(prefix=f"theme-{theme.id}")
    page = lambda error=None: _themes_page(  # noqa: E731
        consultation, error.status_code if error else 422, edit_forms={theme.id: form}
    )
    if not form.validate_on_submit():
        return page()
    if action == "accept":
        operation = lambda: operations.accept_theme(current_user, theme, form.name.data, form.description.data)  # noqa: E731
    else:
        operation = lambda: operations.edit_theme(  # noqa: E731
            current_user, theme, form.name.data, form.description.data, form.summary_answer.data
        )
    return perform_form(
        operation,
        form=form,
        page=page,
        success=_("The theme is accepted.") if action == "accept" else _("The theme is saved."),
        redirect_to=url_for("analysis.list_themes", slug=slug),
    )


@bp.post("/manage/consultations/<slug>/themes/<int:theme_id>/reject")
@login_required
def reject_theme(slug: str, theme_id: int):
    consultation = _loaded(slug, permissions.can_analyse)
    theme = _theme_or_404(consultation, theme_id)
    perform(lambda: operations.reject_theme(current_user, theme), _("The proposal is rejected."))
    return redirect(url_for("analysis.list_themes", slug=slug))


def _run_or_404(consultation: Consultation, run_id: int):
    run = run_or_none(consultation.id, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/manage/consultations/<slug>/analysis/runs/<int:run_id>")
@login_required
def show_run(slug: str, run_id: int):
    """The run's progress for the page's script: status (``stalled`` when its worker stopped) and percent."""
    consultation = _loaded(slug, permissions.can_view_analysis)
    run = _run_or_404(consultation, run_id)
    return jsonify(status="stalled" if run.stalled else run.status.value, progress=run.progress)


@bp.post("/manage/consultations/<slug>/analysis/runs/<int:run_id>/retry")
@login_required
def retry_run(slug: str, run_id: int):
    consultation = _loaded(slug, permissions.can_analyse)
    run = _run_or_404(consultation, run_id)
    perform(
        lambda: operations.retry_run(current_user, consultation, run),
        _("Started again."),
        after=lambda new: enqueue(new.id),
    )
    page = "analysis.list_themes" if run.kind == RunKind.THEMES else "analysis.list_groups"
    return redirect(url_for(page, slug=slug))
