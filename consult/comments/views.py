"""Comments: the form (in place or on its own page), receipts, edits, withdrawals, supports.

Every refused POST shows the form again with what the user typed: a comment
written for an hour is never lost to a deadline, a missing field or a lost session.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.accounts.queries import organisations_of
from consult.comments import notifications, operations
from consult.comments.forms import (
    CommentFilterForm,
    ConfirmForm,
    EditCommentForm,
    NewCommentForm,
    SupportForm,
    give_unique_ids,
    kind_choices,
)
from consult.comments.models import Comment, CommentKind, CommentStatus
from consult.comments.operations import (
    CommentData,
    Submitted,
    deadline_message,
    new_submission_token,
    receipt_number,
    submit_comment,
    validate_comment,
)
from consult.comments.permissions import (
    can_change_comment,
    can_find_comment,
    can_read_comment,
    can_support_comment,
    can_view_letters,
    can_view_revisions,
    eligible_organisations,
    is_author,
)
from consult.comments.queries import (
    SORTS,
    CommentScope,
    CommentTarget,
    active_supporters,
    comment_by_number,
    comment_counts,
    comment_target,
    commenting_organisations,
    comments_of,
    comments_page,
    paragraphs_in_order,
    personal_data_of,
    supports_of,
)
from consult.consultations.models import Consultation
from consult.consultations.permissions import can_view_consultation
from consult.consultations.queries import visible_consultation_or_404
from consult.core import mail
from consult.core.actions import perform_for_organisation, perform_form
from consult.core.errors import ConsultError
from consult.core.forms import content_choice, form_status, show_error_on_form
from consult.core.hooks import (
    COMMENT_LIST,
    COMMENT_PAGE,
    NEW_VERSION_PUBLISHED,
    PERSONAL_DATA,
    VERSION_PAGE,
    contribute,
    merged,
)
from consult.core.inputs import bounded_int, int_arg
from consult.core.labels import entered_from_label
from consult.core.request_time import arrival_time
from consult.core.sanitise import render_markdown
from consult.core.security import safe_next
from consult.core.time import to_local
from consult.drafts.models import DraftVersion, Paragraph
from consult.drafts.queries import DocumentTree, current_version, keys_in_version, visible_version_or_404
from consult.drafts.traceability import comment_outcome
from consult.extensions import limiter
from consult.notices.operations import send_notices

bp = Blueprint("comments", __name__)
T = TypeVar("T")


def short_local_datetime(moment) -> str:
    """26.11.2026 14:05 in Kraków time: the "short" style of local_datetime, which is the same in
    every language, without a Babel lookup for each of thousands of comments."""
    return to_local(moment).strftime("%d.%m.%Y %H:%M")


# Rendering Markdown is most of a page's time once it lists thousands of comments;
# the result depends only on the text (and Markup is immutable), so it is kept.
bp.add_app_template_filter(lru_cache(maxsize=8192)(render_markdown), "comment_markdown")
bp.add_app_template_filter(short_local_datetime, "short_local_datetime")


@bp.record_once
def _contribute(state) -> None:
    contribute(state.app, PERSONAL_DATA, personal_data_of)
    contribute(state.app, VERSION_PAGE, page_context)
    contribute(state.app, NEW_VERSION_PUBLISHED, _tell_of_new_version)


def _tell_of_new_version(version: DraftVersion) -> None:
    """A later version of the draft: news for the organisations that commented (before the commit)."""
    send_notices(notifications.new_version(version))


@bp.app_template_filter("entered_from")
def entered_from(comment: Comment) -> str:
    """ "Entered by the office from a letter received on …", or nothing for a comment sent online."""
    if comment.letter is None:
        return ""
    return entered_from_label(comment.channel, format_date(comment.letter.received_on, "d MMMM y"))


@bp.app_context_processor
def _comment_enums():
    return {"CommentKind": CommentKind}


# --- loading ------------------------------------------------------------------------------


def _comment_or_404(consultation: Consultation, number: int) -> Comment:
    comment = comment_by_number(consultation.id, number)
    if comment is None or not can_find_comment(current_user, comment):
        abort(404)
    return comment


def _comment_url(comment: Comment) -> str:
    return url_for("comments.show_comment", slug=comment.consultation.slug, number=comment.number)


def _eligible(consultation: Consultation) -> list:
    return eligible_organisations(consultation, organisations_of(current_user))


def _text_data(form) -> CommentData:
    return CommentData(
        kind=CommentKind(form.kind.data),
        proposed_text=form.proposed_text.data or "",
        justification=form.justification.data or "",
    )


def _check_text(form, paragraph) -> CommentData | None:
    """The text checked as sending would check it, every mistake put by its field; None if any.

    Also run when the form itself failed (no organisation chosen): the person learns about
    the wording and the justification in the same answer, not on the next attempt."""
    if form.kind.data not in {kind.value for kind in CommentKind}:
        return None  # the kind's own error says what to do; the rest depends on it
    try:
        return validate_comment(_text_data(form), paragraph)
    except ConsultError as error:
        show_error_on_form(form, error)
        return None


def _preview(form, paragraph, consultation, now):
    """Check the text as sending would and return it cleaned for the diff; errors go on the form."""
    clean = _check_text(form, paragraph)
    if clean is None:
        return None
    message = deadline_message(consultation, now)
    if message:
        form.form_errors.append(message)
    return clean


# --- the consultation page ------------------------------------------------------------------


def _filter_values(args) -> tuple[int | None, CommentKind | None, str]:
    kind = args.get("kind", "")
    sort = args.get("sort", "")
    return (
        bounded_int(args.get("organisation")),
        CommentKind(kind) if kind in {k.value for k in CommentKind} else None,
        sort if sort in SORTS else SORTS[0],
    )


def _closed_message(consultation: Consultation, now, current: bool) -> str | None:
    if not current:
        return _(
            "This is an earlier version of the draft: the comments made on it are shown as they were, "
            "and new comments are made on the current version."
        )
    return deadline_message(consultation, now)


def page_context(consultation: Consultation, document: DocumentTree | None, now, current: bool = True) -> dict:
    """What a version's page needs to show comments: how many each provision has (two queries).

    The comments themselves are on their own pages (``list_comments``), a provision at a time:
    the page of a draft costs the same with 30 comments or 30,000. The current version counts
    every comment under the provision it now is (made on whichever version); an earlier version
    counts the comments made on it.
    """
    if document is None:
        return {"comments": None}
    paragraphs = [paragraph for node in document.iter_nodes() for paragraph in node.paragraphs]
    if current:
        key_of_paragraph = keys_in_version(consultation.id, document.version, paragraphs)
    else:
        key_of_paragraph = {paragraph.id: paragraph.key for paragraph in paragraphs}
    counts = comment_counts(consultation.id, key_of_paragraph, version_id=None if current else document.version.id)
    list_url = url_for(
        "comments.list_comments", slug=consultation.slug, version=None if current else document.version.number
    )
    return {
        "comments": counts,
        "comments_list_url": list_url,
        "comments_list_prefix": list_url + ("&" if "?" in list_url else "?") + "provision=",
        "comments_closed_message": _closed_message(consultation, now, current),
    }


@dataclass
class _Listing:
    """A list of comments: the version it is read against, where its comments are, and its provision."""

    version: DraftVersion
    current: bool
    scope: CommentScope
    key_of_paragraph: dict[int, str]
    text_of_key: dict[str, str]
    provision: Paragraph | None  # None: every comment, or (whole) the draft as a whole
    whole: bool

    @property
    def where(self) -> tuple[CommentScope, dict[str, str], dict[int, str]]:
        """Where the comments are and how their provisions read, as comments_page takes them."""
        return self.scope, self.text_of_key, self.key_of_paragraph


def _listing_or_404(consultation: Consultation) -> _Listing:
    """``?version=`` (an earlier published version; the current one by default) and ``?provision=``
    (a provision's key, or ``whole`` for the draft as a whole; every comment without it)."""
    version, is_current = _listed_version_or_404(consultation)
    paragraphs = paragraphs_in_order(version.id)
    if is_current:
        key_of_paragraph = keys_in_version(consultation.id, version, paragraphs)
    else:
        key_of_paragraph = {paragraph.id: paragraph.key for paragraph in paragraphs}
    key = request.args.get("provision", "")[:200]
    provision = next((p for p in paragraphs if p.key == key), None)
    if key and key != "whole" and provision is None:
        abort(404)
    scope = _scope(provision, key == "whole", key_of_paragraph, None if is_current else version.id)
    return _Listing(
        version,
        is_current,
        scope,
        key_of_paragraph,
        {p.key: p.text for p in paragraphs},
        provision,
        key == "whole",
    )


def _listed_version_or_404(consultation: Consultation) -> tuple[DraftVersion, bool]:
    """The version ``?version=`` names (the current one without it), and whether it is the current one."""
    current = current_version(consultation.id)
    if current is None:
        abort(404)
    number = int_arg("version", not_found=True)
    version = visible_version_or_404(consultation, number, current_user) if number is not None else current
    return version, version.id == current.id


def _scope(provision: Paragraph | None, whole: bool, key_of_paragraph: dict[int, str], version_id: int | None):
    """Where the listed comments are: under one provision, on the draft as a whole, or anywhere."""
    if provision is not None:
        ids = tuple(pid for pid, k in key_of_paragraph.items() if k == provision.key)
        return CommentScope(paragraph_ids=ids, version_id=version_id)
    if whole:
        return CommentScope(outside=tuple(key_of_paragraph), version_id=version_id)
    return CommentScope(version_id=version_id)


def _list_query(listing: _Listing, **changes) -> dict:
    """The query string of this list with some values changed (for page links and the filter)."""
    values = {
        "version": None if listing.current else listing.version.number,
        "provision": listing.provision.key if listing.provision else ("whole" if listing.whole else None),
        "organisation": request.args.get("organisation") or None,
        "kind": request.args.get("kind") or None,
        "sort": request.args.get("sort") or None,
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


@bp.get("/consultations/<slug>/comments")
def list_comments(slug: str):
    """The comments of one provision (or of the draft as a whole, or all), a page at a time,
    filtered by organisation and kind and sorted; ``?fragment=1`` is the list alone, which
    static/js/comments.js shows in place under the provision."""
    consultation = visible_consultation_or_404(slug, current_user)
    listing = _listing_or_404(consultation)
    organisation_id, kind, sort = _filter_values(request.args)
    page = int_arg("page", 1)
    comments = comments_page(
        consultation.id, *listing.where, organisation_id=organisation_id, kind=kind, sort=sort, page=page
    )
    return render_template(
        "comments/comment_list_fragment.html" if request.args.get("fragment") else "comments/comment_list_view.html",
        consultation=consultation,
        listing=listing,
        comments=comments,
        list_query=lambda **changes: _list_query(listing, **changes),
        page_url=request.full_path.rstrip("?"),
        comment_filter=_filter_form(consultation, listing),
        filtering=organisation_id is not None or kind is not None,
        comments_closed_message=_closed_message(consultation, arrival_time(), listing.current),
        supporting_organisations=eligible_organisations(consultation, organisations_of(current_user))
        if listing.current
        else [],
        current_version_id=listing.version.id if listing.current else None,
        **_url_prefixes(consultation),
        **merged(COMMENT_LIST, consultation, [c.id for c in comments.items]),  # position papers
    )


def _filter_form(consultation: Consultation, listing: _Listing) -> CommentFilterForm:
    form = CommentFilterForm(request.args)
    form.set_choices(commenting_organisations(consultation.id, listing.scope))
    give_unique_ids(form, "filter")
    return form


def _url_prefixes(consultation: Consultation) -> dict[str, str]:
    """Links the list builds by appending a number (cheaper than url_for for each comment)."""
    base = url_for("consultations.show_consultation", slug=consultation.slug)
    return {
        "comments_url_prefix": base + "/comments/",
        "version_url_prefix": base + "/versions/",
        "files_url_prefix": base + "/files/",
    }


# --- the comment form: new and edited comments share it --------------------------------------


@dataclass
class _FormScreen:
    """A comment form and what its page shows around it, to render again with any status."""

    template: str
    form: Any
    context: dict[str, Any]

    def show(self, status: int = 200, **extra: Any):
        response = render_template(self.template, form=self.form, **self.context, **extra)
        return response, status, {"Cache-Control": "no-store"}  # the form carries a one-time token


def _send_comment_form(
    screen: _FormScreen,
    operation: Callable[[], T],
    *,
    success: str | None,
    after: Callable[[T], None],
    redirect_to: Callable[[T], str],
):
    """Show the form, or its preview, or do what it asks: refusals keep the text in the form."""
    form, context = screen.form, screen.context
    if not form.validate_on_submit():
        if form.is_submitted():
            _check_text(form, context["paragraph"])
        return screen.show(form_status(form))
    if request.form.get("action") == "preview":
        preview = _preview(form, context["paragraph"], context["consultation"], context["now"])
        return screen.show(200 if preview else 422, preview=preview)
    return perform_form(
        operation,
        form=form,
        page=lambda error: screen.show(error.status_code),
        success=success,
        after=after,
        redirect_to=redirect_to,
    )


def _comment_target_or_404(slug: str) -> CommentTarget:
    """The consultation, its current version, the paragraph named by ``?paragraph=`` in it (None
    for the whole draft) and the organisations the person acts for, in one query: sending a
    comment is the busiest request at a deadline."""
    key = (request.args.get("paragraph") or "")[:200] or None
    found = comment_target(slug, key, current_user.id if current_user.is_authenticated else None)
    if found is None or not can_view_consultation(current_user, found.consultation):
        abort(404)
    if found.version is None or (key and found.paragraph is None):
        abort(404)
    return found


def _new_comment_screen(consultation: Consultation, paragraph: Paragraph | None, organisations: list, now):
    form = NewCommentForm()
    form.kind.choices = kind_choices(paragraph is None)
    form.organisation.choices = [content_choice(o.id, o.name) for o in organisations]
    give_unique_ids(form, paragraph.key if paragraph else "whole")
    if request.method == "GET":
        form.submission_token.data = new_submission_token()
        form.kind.data = CommentKind.CHANGE.value if paragraph else CommentKind.GENERAL.value
        form.proposed_text.data = paragraph.text if paragraph else ""
    fragment = request.method == "GET" and request.args.get("fragment")
    template = "comments/comment_form_fragment.html" if fragment else "comments/comment_form.html"
    context = {
        "consultation": consultation,
        "paragraph": paragraph,
        "organisations": organisations,
        "closed_message": deadline_message(consultation, now),
        "action": "new",
        "now": now,
    }
    return _FormScreen(template, form, context)


@bp.route("/consultations/<slug>/comment", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def new_comment(slug: str):
    consultation, version, paragraph, mine = _comment_target_or_404(slug)
    now = arrival_time()
    organisations = eligible_organisations(consultation, mine)
    screen = _new_comment_screen(consultation, paragraph, organisations, now)
    if not organisations:
        # Not allowed to comment: an explanation, and on a POST the text given back.
        return screen.show(403 if request.method == "POST" else 200)
    return _send_comment_form(
        screen,
        lambda: _with_receipt(_submit(consultation, version, paragraph, organisations, screen.form, now)),
        success=None,
        after=_confirm_submission,
        redirect_to=lambda sent: sent.url,
    )


def _submit(consultation: Consultation, version, paragraph, organisations: list, form, now) -> Submitted:
    """The comment as the form describes it, for the organisation chosen among the person's."""
    return submit_comment(
        consultation,
        paragraph,
        current_user,
        next(o for o in organisations if o.id == form.organisation.data),
        _text_data(form),
        submission_token=form.submission_token.data or None,
        now=now,
        version=version,
        organisation_ids={o.id for o in organisations},
    )


@dataclass(frozen=True)
class _Sent:
    """What the answer to a sent comment says, read before the commit (which expires what it read)."""

    created: bool
    url: str
    number: str
    email: str
    pending: bool


def _with_receipt(result: Submitted) -> _Sent:
    """The receipt is queued with the comment (a repeated submission gets none)."""
    comment = result.comment
    if result.created:
        mail.queue(notifications.receipt(comment, current_user.email))
    return _Sent(
        result.created,
        _comment_url(comment),
        receipt_number(comment),
        current_user.email,
        comment.status == CommentStatus.PENDING,
    )


def _confirm_submission(sent: _Sent) -> None:
    if not sent.created:
        flash(_("This comment had already been sent; here is its receipt."), "info")
        return
    flash(
        _(
            "Your comment has been sent. Receipt number: %(number)s. A copy has been sent to %(email)s.",
            number=sent.number,
            email=sent.email,
        ),
        "success",
    )
    if sent.pending:
        flash(_("It will appear on the consultation page once a moderator has approved it."), "info")


def _flash_if_pending(comment: Comment) -> None:
    if comment.status == CommentStatus.PENDING:
        flash(_("It will appear on the consultation page once a moderator has approved it."), "info")


# --- one comment -------------------------------------------------------------------------------


@bp.get("/consultations/<slug>/comments/<int:number>")
def show_comment(slug: str, number: int):
    consultation = visible_consultation_or_404(slug, current_user)
    comment = _comment_or_404(consultation, number)
    now = arrival_time()
    return render_template(
        "comments/comment_view.html",
        consultation=consultation,
        comment=comment,
        now=now,
        supporters=active_supporters([comment.id]).get(comment.id, []),
        closed_message=deadline_message(consultation, now),
        outcome=comment_outcome(comment),
        **_what_the_person_may_do(consultation, comment, now),
        **merged(COMMENT_PAGE, comment, current_user, now),  # the files attached to it
    )


def _what_the_person_may_do(consultation: Consultation, comment: Comment, now) -> dict[str, Any]:
    """The comment page's answers for the person reading it (read, change, support, see revisions)."""
    mine = organisations_of(current_user)
    mine_ids = {o.id for o in mine}
    return dict(
        readable=can_read_comment(current_user, comment, mine_ids),
        author=is_author(current_user, comment, mine_ids),
        office_receipt=comment.letter is not None and can_view_letters(current_user, consultation),
        can_change=can_change_comment(current_user, comment, now, mine_ids),
        revisions=comment.revisions if can_view_revisions(current_user, comment) else None,
        support_organisations=[
            o
            for o in eligible_organisations(consultation, mine)
            if can_support_comment(current_user, comment, o, now, mine_ids)
        ],
    )


def _author_or_403(comment: Comment) -> None:
    if not is_author(current_user, comment):
        abort(403)


def _own_comment_or_404(slug: str, number: int) -> Comment:
    """A comment of the signed-in user's organisation (404 if not visible, 403 if someone else's)."""
    comment = _comment_or_404(visible_consultation_or_404(slug, current_user), number)
    _author_or_403(comment)
    return comment


def _change_context(comment: Comment, now) -> dict[str, Any]:
    return {
        "consultation": comment.consultation,
        "paragraph": comment.paragraph,
        "comment": comment,
        "closed_message": deadline_message(comment.consultation, now),
        "can_change": can_change_comment(current_user, comment, now),
        "now": now,
    }


def _edit_comment_screen(comment: Comment, now) -> _FormScreen:
    form = EditCommentForm()
    form.kind.choices = kind_choices(comment.paragraph is None)
    give_unique_ids(form, f"c{comment.number}")
    if request.method == "GET":
        form.kind.data = comment.kind.value
        form.proposed_text.data = comment.proposed_text or (
            comment.paragraph.text if comment.paragraph and comment.kind == CommentKind.CHANGE else ""
        )
        form.justification.data = comment.justification
        form.row_version.data = comment.row_version
    return _FormScreen("comments/comment_form.html", form, {**_change_context(comment, now), "action": "edit"})


@bp.route("/consultations/<slug>/comments/<int:number>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(slug: str, number: int):
    comment = _own_comment_or_404(slug, number)
    now = arrival_time()
    screen = _edit_comment_screen(comment, now)
    form = screen.form
    return _send_comment_form(
        screen,
        lambda: _tell_author(
            operations.edit_comment(
                comment, current_user, _text_data(form), row_version=form.row_version.data, now=now
            ),
            comment,
            "edited",
        ),
        success=_(
            "The comment %(number)s has been changed; its earlier text is kept in the record.",
            number=receipt_number(comment),
        ),
        after=lambda _result: _flash_if_pending(comment),
        redirect_to=lambda _result: _comment_url(comment),
    )


def _tell_author(result: T, comment: Comment, event: str) -> T:
    """The receipt of a change, to the person who made it, queued with the change."""
    mail.queue(notifications.receipt(comment, current_user.email, event=event))
    send_notices(notifications.supported_comment_changed(comment, event))
    return result


@bp.route("/consultations/<slug>/comments/<int:number>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_comment(slug: str, number: int):
    comment = _own_comment_or_404(slug, number)
    now = arrival_time()
    screen = _FormScreen("comments/withdraw_form.html", ConfirmForm(), _change_context(comment, now))
    if not screen.form.validate_on_submit():
        return screen.show(form_status(screen.form))
    return perform_form(
        lambda: _tell_author(operations.withdraw_comment(comment, current_user, now=now), comment, "withdrawn"),
        form=screen.form,
        page=lambda error: screen.show(error.status_code),
        success=_(
            "The comment %(number)s has been withdrawn. It stays on record as withdrawn.",
            number=receipt_number(comment),
        ),
        redirect_to=_comment_url(comment),
    )


# --- supports ----------------------------------------------------------------------------------


def _support_action(slug: str, number: int, action, success):
    """Support and its withdrawal share their shape: choose the organisation, one operation, a flash."""
    consultation = visible_consultation_or_404(slug, current_user)
    comment = _comment_or_404(consultation, number)
    now = arrival_time()
    organisations = [o for o in _eligible(consultation) if o.id != comment.organisation_id]
    if not organisations:
        abort(403)
    return perform_for_organisation(
        SupportForm(),
        organisations,
        lambda organisation: action(comment, current_user, organisation, now=now),
        lambda organisation: success(organisation.name, receipt_number(comment)),
        safe_next(request.form.get("next")) or _comment_url(comment),
    )


@bp.post("/consultations/<slug>/comments/<int:number>/support")
@login_required
def support_comment(slug: str, number: int):
    return _support_action(
        slug,
        number,
        operations.support_comment,
        lambda organisation, number: _(
            "%(organisation)s supports the comment %(number)s.", organisation=organisation, number=number
        ),
    )


@bp.post("/consultations/<slug>/comments/<int:number>/unsupport")
@login_required
def withdraw_support(slug: str, number: int):
    return _support_action(
        slug,
        number,
        operations.withdraw_support,
        lambda organisation, number: _(
            "%(organisation)s no longer supports the comment %(number)s.", organisation=organisation, number=number
        ),
    )


# --- "my comments" -----------------------------------------------------------------------------


@bp.get("/my/comments")
@login_required
def list_my_comments():
    now = arrival_time()
    comments = comments_of(current_user)
    mine_ids = {o.id for o in organisations_of(current_user)}
    changeable = {c.id for c in comments if can_change_comment(current_user, c, now, mine_ids)}
    return render_template(
        "comments/my_comments_view.html",
        comments=comments,
        supports=supports_of(current_user),
        changeable=changeable,
        now=now,
    )
