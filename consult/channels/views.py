"""Comments received another way: by letter, e-mail, ePUAP or at a meeting (officials' pages).

One form takes a letter and all the remarks it makes (rows are added with a button, no
script needed); nothing is stored unless every row is right.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.accounts.queries import organisations_of
from consult.attachments.forms import uploaded
from consult.attachments.operations import Upload, attach_letter_file
from consult.attachments.queries import letter_files
from consult.channels import operations
from consult.channels.forms import CancelMeetingForm, LetterForm, MeetingForm, MinutesForm, RegistrationForm
from consult.channels.models import Meeting
from consult.channels.notifications import announce_meeting_job
from consult.channels.operations import MeetingData, at_meeting
from consult.channels.permissions import can_manage_meetings, can_register_for_meeting
from consult.channels.queries import meeting_of, meetings_in, meetings_of
from consult.comments import notifications
from consult.comments.models import Channel, CommentKind, Letter
from consult.comments.operations import CommentData, LetterComment, LetterData, enter_letter
from consult.comments.permissions import can_enter_comments, can_view_letters, eligible_organisations
from consult.comments.queries import letters_of, organisations_for_letters, paragraphs_in_order
from consult.consultations.feeds import CalendarEvent
from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404, visible_consultation_or_404
from consult.core import jobs, mail
from consult.core.actions import perform_for_organisation, perform_form
from consult.core.errors import ConsultError
from consult.core.forms import form_status
from consult.core.hooks import CALENDAR_EVENTS, CONSULTATION_PAGE, contribute
from consult.core.labels import receipt
from consult.core.mail import external_url
from consult.core.request_time import arrival_time
from consult.core.time import to_local
from consult.drafts.queries import current_version

bp = Blueprint("channels", __name__)


@bp.app_template_filter("meeting_time")
def meeting_time(meeting) -> str:
    """ "12 March 2027, 10:00–12:00" in Kraków time (the end's date only when it is another day)."""
    starts = format_datetime(meeting.starts_at, "d MMMM y, HH:mm")
    if meeting.ends_at is None:
        return starts
    same_day = to_local(meeting.ends_at).date() == to_local(meeting.starts_at).date()
    return f"{starts}–{format_datetime(meeting.ends_at, 'HH:mm' if same_day else 'd MMMM y, HH:mm')}"


_ROW_FIELD = re.compile(r"^comments-(\d+)-(\w+)$")


def _show_error(form: LetterForm, error: ConsultError) -> None:
    """An operation's messages next to their fields, including the fields of one row."""
    for part in error.parts():
        match = _ROW_FIELD.match(part.field or "")
        if match and int(match.group(1)) < len(form.comments.entries):
            field = getattr(form.comments.entries[int(match.group(1))].form, match.group(2), None)
        else:
            field = getattr(form, part.field, None) if part.field else None
        if field is not None:
            field.errors = [*field.errors, part.message]
        else:
            form.form_errors.append(part.message)


def _letter_data(form: LetterForm, organisations: dict) -> LetterData:
    return LetterData(
        channel=Channel(form.channel.data),
        received_on=form.received_on.data,
        reference=form.reference.data or "",
        organisation=organisations.get(form.organisation.data),
        new_organisation_name=form.new_organisation_name.data or "",
        new_organisation_address=form.new_organisation_address.data or "",
    )


def _letter_comments(form: LetterForm, paragraphs: dict) -> list[LetterComment]:
    """The rows that say something (empty ones are left out), with their paragraph."""
    rows = []
    for index, entry in enumerate(form.comments.entries):
        row = entry.form
        if row.is_empty():
            continue
        kind = row.kind.data if row.kind.data in {k.value for k in CommentKind} else CommentKind.GENERAL.value
        rows.append(
            LetterComment(
                row=index,
                paragraph=paragraphs.get(row.paragraph.data or ""),
                data=CommentData(
                    kind=CommentKind(kind),
                    proposed_text=row.proposed_text.data or "",
                    justification=row.justification.data or "",
                ),
            )
        )
    return rows


def _letters_url(consultation: Consultation) -> str:
    return url_for("channels.list_letters", slug=consultation.slug)


@dataclass
class _LetterChoices:
    """What a letter's comments and its meeting may be chosen from."""

    paragraphs: list
    organisations: list
    meetings: list


def _letter_choices(consultation: Consultation) -> _LetterChoices:
    version = current_version(consultation.id)
    if version is None:
        abort(404)
    meetings = [m for m in meetings_of(consultation.id) if m.cancelled_at is None]
    return _LetterChoices(paragraphs_in_order(version.id), organisations_for_letters(), meetings)


@bp.route("/manage/consultations/<slug>/letters/new", methods=["GET", "POST"])
def enter_letter_from(slug: str):
    consultation = consultation_or_404(slug)
    now = arrival_time()
    if not can_enter_comments(current_user, consultation, now):
        abort(403)
    choices = _letter_choices(consultation)
    form = LetterForm()
    adding_row = request.method == "POST" and request.form.get("action") == "add_row"
    if adding_row and len(form.comments.entries) < form.comments.max_entries:
        form.comments.append_entry()
    form.set_choices(choices.organisations, choices.paragraphs, choices.meetings)

    if adding_row or not form.validate_on_submit():
        return _letter_page(form, consultation, 200 if adding_row else form_status(form))
    return perform_form(
        lambda: _enter_letter(consultation, form, choices, now),
        form=None,
        page=lambda error: _letter_refused(form, consultation, error),
        success=_entered_message,
        after=_say_where_receipts_went,
        redirect_to=lambda _letter: _letters_url(consultation),
    )


def _letter_page(form: LetterForm, consultation: Consultation, status: int):
    return render_template("channels/letter_form.html", form=form, consultation=consultation), status


def _letter_refused(form: LetterForm, consultation: Consultation, error: ConsultError):
    _show_error(form, error)
    return _letter_page(form, consultation, error.status_code)


def _enter_letter(consultation: Consultation, form: LetterForm, choices: _LetterChoices, now) -> Letter:
    """The letter as the form describes it, with its comments, its file and their receipts."""
    meeting = next((m for m in choices.meetings if m.id == form.meeting.data), None)
    letter = enter_letter(
        consultation,
        current_user,
        at_meeting(_letter_data(form, {o.id: o for o in choices.organisations}), meeting),
        _letter_comments(form, {p.key: p for p in choices.paragraphs}),
        now=now,
    )
    return _with_receipts(_with_file(letter, uploaded(form.file)))


def _entered_message(letter: Letter) -> str:
    numbers = ", ".join(receipt(letter.consultation.receipt_prefix, c.number) for c in letter.comments)
    return ngettext(
        "%(num)d comment of %(organisation)s entered: %(numbers)s.",
        "%(num)d comments of %(organisation)s entered: %(numbers)s.",
        len(letter.comments),
        organisation=letter.organisation.name,
        numbers=numbers,
    )


def _with_file(letter: Letter, upload: Upload | None) -> Letter:
    """The scan or the e-mail, kept with the letter in the same transaction (a refused file stores nothing)."""
    if upload is not None:
        attach_letter_file(letter, current_user, upload)
    return letter


def _with_receipts(letter: Letter) -> Letter:
    """A receipt per comment to the organisation's address, queued with the comments."""
    address = letter.organisation.contact_email
    if address:
        mail.queue(*(notifications.receipt(comment, address, event="entered") for comment in letter.comments))
    return letter


def _say_where_receipts_went(letter: Letter) -> None:
    address = letter.organisation.contact_email
    if address:
        flash(_("Receipts were sent to %(email)s.", email=address), "info")
    else:
        flash(
            _("The organisation has no e-mail address on record: print the receipts from the comments' pages."), "info"
        )


@bp.get("/manage/consultations/<slug>/letters")
def list_letters(slug: str):
    consultation = consultation_or_404(slug)
    if not can_view_letters(current_user, consultation):
        abort(403)
    return render_template(
        "channels/letters_view.html",
        consultation=consultation,
        letters=letters_of(consultation.id),
        files=letter_files(consultation.id),
        can_enter=can_enter_comments(current_user, consultation, arrival_time()),
    )


# --- meetings: the public side ----------------------------------------------------------------------


def consultation_page_meetings(consultation: Consultation, now) -> dict:
    """The meetings under the consultation's facts (one query), and where the reader may register."""
    meetings = meetings_of(consultation.id)
    mine = eligible_organisations(consultation, organisations_of(current_user)) if meetings else []
    registrable = {
        m.id: [o for o in mine if can_register_for_meeting(current_user, m, o, now, {x.id for x in mine})]
        for m in meetings
    }
    return {"meetings": meetings, "registrable": registrable, "meeting_now": now}


def meeting_events(consultations) -> list[CalendarEvent]:
    """The meetings (not cancelled) of the consultations in a calendar: one query."""
    by_id = {c.id: c for c in consultations}
    events = []
    for meeting in meetings_in(list(by_id)):
        consultation = by_id[meeting.consultation_id]
        link = external_url("consultations.show_consultation", slug=consultation.slug) + f"#meeting-{meeting.id}"
        where = "\n".join(part for part in (meeting.place, meeting.online_url) if part)
        events.append(
            CalendarEvent(
                uid=f"meeting-{meeting.id}",
                title=_("Consultation meeting: %(title)s", title=consultation.title),
                starts=meeting.starts_at,
                ends=meeting.ends_at or meeting.starts_at + timedelta(hours=2),
                link=link,
                text=where,
            )
        )
    return events


@bp.record_once
def _contribute(state) -> None:
    contribute(state.app, CONSULTATION_PAGE, consultation_page_meetings)
    contribute(state.app, CALENDAR_EVENTS, meeting_events)


def _meeting_or_404(slug: str, meeting_id: int, *, public: bool = True) -> Meeting:
    consultation = visible_consultation_or_404(slug, current_user) if public else consultation_or_404(slug)
    meeting = meeting_of(consultation.id, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _registration_action(slug: str, meeting_id: int, action, success):
    meeting = _meeting_or_404(slug, meeting_id)
    consultation = meeting.consultation
    back = url_for("consultations.show_consultation", slug=slug) + f"#meeting-{meeting.id}"
    organisations = eligible_organisations(consultation, organisations_of(current_user))
    if not organisations:
        abort(403)
    return perform_for_organisation(
        RegistrationForm(),
        organisations,
        lambda organisation: action(meeting, current_user, organisation, now=arrival_time()),
        lambda organisation: success(organisation.name),
        back,
    )


@bp.post("/consultations/<slug>/meetings/<int:meeting_id>/register")
@login_required
def register_for_meeting(slug: str, meeting_id: int):
    return _registration_action(
        slug,
        meeting_id,
        operations.register_for_meeting,
        lambda name: _("%(organisation)s is registered for the meeting.", organisation=name),
    )


@bp.post("/consultations/<slug>/meetings/<int:meeting_id>/unregister")
@login_required
def cancel_registration(slug: str, meeting_id: int):
    return _registration_action(
        slug,
        meeting_id,
        operations.cancel_registration,
        lambda name: _("The registration of %(organisation)s is cancelled.", organisation=name),
    )


# --- meetings: the officials' side -------------------------------------------------------------------


def _meeting_data(form: MeetingForm) -> MeetingData:
    return MeetingData(
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        place=form.place.data or "",
        online_url=form.online_url.data or "",
        description=form.description.data or "",
        registration_limit=form.registration_limit.data,
    )


def _meetings_url(consultation: Consultation) -> str:
    return url_for("channels.list_meetings", slug=consultation.slug)


def _announce(meeting: Meeting) -> Meeting:
    """Members of the organisations in the consultation's areas hear of it, from a job after the commit."""
    jobs.after_commit(announce_meeting_job, meeting.id)
    return meeting


@bp.route("/manage/consultations/<slug>/meetings", methods=["GET", "POST"])
def list_meetings(slug: str):
    consultation = consultation_or_404(slug)
    may_manage = can_manage_meetings(current_user, consultation)
    if request.method == "POST" and not may_manage:
        abort(403)
    form = MeetingForm()

    def page(status: int = 200):
        meetings = meetings_of(consultation.id)
        form_shown = form if may_manage else None
        return render_template(
            "channels/meetings_view.html", consultation=consultation, meetings=meetings, form=form_shown
        ), status

    if not form.validate_on_submit():
        return page(form_status(form))
    return perform_form(
        lambda: _announce(operations.plan_meeting(consultation, current_user, _meeting_data(form))),
        form=form,
        page=lambda error: page(error.status_code),
        success=_("The meeting is planned and announced on the consultation's page."),
        redirect_to=lambda meeting: url_for("channels.manage_meeting", slug=slug, meeting_id=meeting.id),
    )


def _meeting_page(meeting: Meeting, forms: dict, status: int = 200):
    return (
        render_template(
            "channels/meeting_form.html",
            consultation=meeting.consultation,
            meeting=meeting,
            may_manage=can_manage_meetings(current_user, meeting.consultation),
            **forms,
        ),
        status,
    )


def _meeting_forms(meeting: Meeting) -> dict:
    details = MeetingForm(prefix="details", obj=meeting if request.method == "GET" else None)
    minutes = MinutesForm(prefix="minutes", obj=meeting if request.method == "GET" else None)
    return {"details": details, "minutes_form": minutes, "cancel_form": CancelMeetingForm(prefix="cancel")}


def _managed_meeting(slug: str, meeting_id: int) -> tuple[Meeting, dict]:
    """A meeting whose minutes or cancellation is being sent, with its page's forms (403 for others)."""
    meeting = _meeting_or_404(slug, meeting_id, public=False)
    if not can_manage_meetings(current_user, meeting.consultation):
        abort(403)
    return meeting, _meeting_forms(meeting)


@bp.route("/manage/consultations/<slug>/meetings/<int:meeting_id>", methods=["GET", "POST"])
def manage_meeting(slug: str, meeting_id: int):
    meeting = _meeting_or_404(slug, meeting_id, public=False)
    forms = _meeting_forms(meeting)
    if request.method == "POST" and not can_manage_meetings(current_user, meeting.consultation):
        abort(403)
    details = forms["details"]
    if not details.validate_on_submit():
        return _meeting_page(meeting, forms, form_status(details))
    return perform_form(
        lambda: operations.update_meeting(
            meeting, current_user, _meeting_data(details), row_version=details.row_version.data
        ),
        form=details,
        page=lambda error: _meeting_page(meeting, forms, error.status_code),
        success=_("The meeting was changed."),
        redirect_to=url_for("channels.manage_meeting", slug=slug, meeting_id=meeting.id),
    )


@bp.post("/manage/consultations/<slug>/meetings/<int:meeting_id>/minutes")
def save_minutes(slug: str, meeting_id: int):
    meeting, forms = _managed_meeting(slug, meeting_id)
    form = forms["minutes_form"]
    if not form.validate_on_submit():
        return _meeting_page(meeting, forms, form_status(form))
    return perform_form(
        lambda: operations.save_minutes(meeting, current_user, form.minutes.data or "", uploaded(form.file)),
        form=form,
        page=lambda error: _meeting_page(meeting, forms, error.status_code),
        success=_("The minutes are published with the meeting."),
        error_field="minutes",
        redirect_to=url_for("channels.manage_meeting", slug=slug, meeting_id=meeting.id),
    )


@bp.post("/manage/consultations/<slug>/meetings/<int:meeting_id>/cancel")
def cancel_meeting(slug: str, meeting_id: int):
    meeting, forms = _managed_meeting(slug, meeting_id)
    form = forms["cancel_form"]
    if not form.validate_on_submit():
        return _meeting_page(meeting, forms, form_status(form))
    return perform_form(
        lambda: operations.cancel_meeting(meeting, current_user, form.reason.data or ""),
        form=form,
        page=lambda error: _meeting_page(meeting, forms, error.status_code),
        success=_("The meeting is cancelled; its page says so."),
        redirect_to=_meetings_url(meeting.consultation),
    )
