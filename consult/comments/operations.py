"""Sending, editing and withdrawing comments, and supporting them.

Every write checks the deadline itself, against the server's clock in UTC: the
consultation's closing moment was entered in Kraków time and stored in UTC, so
summer and winter time are already accounted for. Nothing here sends mail; the
view queues the receipt that ``notifications.py`` composes before it commits.
"""

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from consult.accounts.models import Organisation, OrganisationStatus, User
from consult.comments.models import (
    MAX_JUSTIFICATION,
    MAX_PROPOSED_TEXT,
    OFFICE_CHANNELS,
    Channel,
    Comment,
    CommentKind,
    CommentRevision,
    CommentStatus,
    Letter,
    Support,
)
from consult.comments.permissions import (
    EDITABLE_STATUSES,
    acts_for,
    can_enter_comments,
    is_author,
    on_current_version,
    organisation_may_take_part,
)
from consult.consultations.models import Consultation, ConsultationStatus, ModerationMode
from consult.core import page_cache
from consult.core import time as clock
from consult.core.audit import record
from consult.core.errors import Conflict, ConsultationClosed, Forbidden, InvalidInput, raise_all
from consult.core.labels import receipt
from consult.core.text import clean_text, fold_for_search
from consult.drafts.models import DraftVersion, Paragraph
from consult.drafts.queries import current_version
from consult.extensions import db

# Kinds that carry a proposed wording; the others ignore the field.
KINDS_WITH_WORDING = (CommentKind.CHANGE, CommentKind.ADD)


@dataclass
class CommentData:
    kind: CommentKind
    proposed_text: str = ""
    justification: str = ""


@dataclass(frozen=True)
class Submitted:
    comment: Comment
    created: bool  # False: the same form was sent again and this is the comment it made


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


def receipt_number(comment: Comment) -> str:
    return receipt(comment.consultation.receipt_prefix, comment.number)


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


# --- the deadline -------------------------------------------------------------------------


def deadline_message(consultation: Consultation, now: datetime) -> str | None:
    """Why comments cannot be sent, changed or withdrawn now; None while the consultation is open."""
    status = consultation.status_at(now)
    if status == ConsultationStatus.OPEN:
        return None
    if status == ConsultationStatus.ANNOUNCED:
        return _(
            "The consultation opens on %(date)s at %(time)s; comments can be sent from then.",
            date=format_datetime(consultation.opens_at, "d MMMM y"),
            time=format_datetime(consultation.opens_at, "HH:mm"),
        )
    if status == ConsultationStatus.DRAFT:
        return _("The consultation has not been published; it does not take comments.")
    return _(
        "The consultation closed on %(date)s at %(time)s. Comments can no longer be sent, changed or withdrawn.",
        date=format_datetime(consultation.closes_at, "d MMMM y"),
        time=format_datetime(consultation.closes_at, "HH:mm"),
    )


def _require_open(consultation: Consultation, now: datetime) -> None:
    message = deadline_message(consultation, now)
    if message:
        raise ConsultationClosed(message)


# --- validation ---------------------------------------------------------------------------


def validate_comment(data: CommentData, paragraph: Paragraph | None) -> CommentData:
    """The text cleaned and checked for its kind; raises InvalidInput naming the field, or
    InvalidFields naming each wrong field (every mistake in one answer, not one per attempt)."""
    kind = data.kind
    errors: list[InvalidInput] = []
    if paragraph is None and kind != CommentKind.GENERAL:
        errors.append(InvalidInput(_("A comment on the draft as a whole is a general remark."), field="kind"))
    proposed = clean_text(data.proposed_text) if kind in KINDS_WITH_WORDING else ""
    justification = clean_text(data.justification)
    if kind in KINDS_WITH_WORDING:
        if not proposed:
            message = (
                _("Write the proposed wording.")
                if kind == CommentKind.CHANGE
                else _("Write the wording of the new provision.")
            )
        elif len(proposed) > MAX_PROPOSED_TEXT:
            message = _(
                "The proposed wording may have at most %(max)d characters (it has %(length)d).",
                max=MAX_PROPOSED_TEXT,
                length=len(proposed),
            )
        elif paragraph is not None and _same_words(proposed, paragraph.text):
            message = (
                _("The proposed wording is the same as the current one. Change it, or choose another kind of comment.")
                if kind == CommentKind.CHANGE
                else _("The new provision repeats the current wording. Write the provision you want added after it.")
            )
        else:
            message = None
        if message:
            errors.append(InvalidInput(message, field="proposed_text"))
    if not justification:
        errors.append(
            InvalidInput(
                _("Write your remark.") if kind == CommentKind.GENERAL else _("Give the justification."),
                field="justification",
            )
        )
    elif len(justification) > MAX_JUSTIFICATION:
        errors.append(
            InvalidInput(
                _(
                    "The justification may have at most %(max)d characters (it has %(length)d).",
                    max=MAX_JUSTIFICATION,
                    length=len(justification),
                ),
                field="justification",
            )
        )
    raise_all(errors)
    return CommentData(kind=kind, proposed_text=proposed, justification=justification)


# --- sending ------------------------------------------------------------------------------


def _comment_by_token(token: str) -> Comment | None:
    return db.session.scalar(sa.select(Comment).where(Comment.submission_token == token))


def _lock_numbering(consultation_id: int) -> None:
    """Make concurrent submissions in one consultation take their numbers one after another.

    PostgreSQL locks the consultation's row; SQLite has one writer at a time, and a
    no-op UPDATE takes that lock now (and opens the transaction the SAVEPOINT below needs).
    """
    db.session.execute(_lock_statement(db.session.connection().dialect.name), {"id": consultation_id})


@lru_cache(maxsize=2)
def _lock_statement(dialect: str):
    if dialect == "postgresql":
        return sa.select(Consultation.id).where(Consultation.id == sa.bindparam("id")).with_for_update()
    return sa.text("UPDATE consultations SET id = id WHERE id = :id")


def _next_number(consultation_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Comment.number), 0) + 1).where(
            Comment.consultation_id == consultation_id
        )
    )


def _existing_submission(token: str | None, organisation: Organisation) -> Comment | None:
    if not token:
        return None
    existing = _comment_by_token(token)
    if existing is not None and existing.organisation_id != organisation.id:
        raise Conflict(_("This form has already been used. Open the comment form again."))
    return existing


def submit_comment(
    consultation: Consultation,
    paragraph: Paragraph | None,
    actor: User,
    organisation: Organisation,
    data: CommentData,
    *,
    submission_token: str | None = None,
    now: datetime | None = None,
    version: DraftVersion | None = None,
    organisation_ids: Collection[int] | None = None,
) -> Submitted:
    """File a comment for ``organisation``; the same ``submission_token`` twice files it once.

    Two statements: the lock that makes comments take their numbers one after another, and
    one INSERT that takes the next number and skips a token already used (a form sent twice).
    ``version`` (the current version of the draft) and ``organisation_ids`` (those the actor
    acts for), when the caller has just read them in this transaction, are not read again.
    """
    now = now or clock.utcnow()
    try:
        _require_open(consultation, now)
    except ConsultationClosed:
        existing = _existing_submission(submission_token, organisation)  # sent in time, and again after
        if existing is not None:
            return Submitted(existing, created=False)
        raise
    if not acts_for(actor, organisation, organisation_ids) or not organisation_may_take_part(
        organisation, consultation
    ):
        raise Forbidden(
            _("You cannot send comments on behalf of this organisation in this consultation."), field="organisation"
        )
    if paragraph is not None and paragraph.version.consultation_id != consultation.id:
        raise InvalidInput(_("This provision is not part of the consultation."))
    version_id = version.id if version is not None else _current_version_id(consultation)
    if paragraph is not None and paragraph.version_id != version_id:
        raise Conflict(_("This provision is from an earlier version of the draft. Comment on the current version."))
    clean = validate_comment(data, paragraph)
    _lock_numbering(consultation.id)
    page_cache.changed(db.session, consultation.id)
    comment = db.session.scalars(
        _insert_unless_sent(),
        dict(
            consultation_id=consultation.id,
            version_id=version_id,
            paragraph_id=paragraph.id if paragraph else None,
            paragraph_key=paragraph.key if paragraph else None,
            paragraph_label=paragraph.label if paragraph else None,
            paragraph_text=paragraph.text if paragraph else None,
            organisation_id=organisation.id,
            author_id=actor.id,
            kind=clean.kind,
            proposed_text=clean.proposed_text,
            justification=clean.justification,
            status=CommentStatus.PENDING
            if consultation.moderation_mode == ModerationMode.PRE
            else CommentStatus.PUBLISHED,
            submitted_at=now,
            updated_at=now,
            submission_token=submission_token or new_submission_token(),
        ),
        # Named for the page cache and the analysis, which do not see an INSERT statement's rows;
        # "orm": one statement with these values (given parameters, the ORM would take the slower
        # path of a bulk insert, made for lists of rows).
        execution_options={"page_cache_noted": True, "consultation_id": consultation.id, "dml_strategy": "orm"},
    ).first()
    if comment is None:  # the same form, sent a moment ago
        existing = _existing_submission(submission_token, organisation)
        if existing is None:
            raise Conflict(_("Many comments are being sent at this moment. Please send yours again."))
        return Submitted(existing, created=False)
    return Submitted(comment, created=True)


# The columns the INSERT of a new comment sets from its parameters (the number is computed in it).
_INSERTED = (
    "consultation_id",
    "version_id",
    "paragraph_id",
    "paragraph_key",
    "paragraph_label",
    "paragraph_text",
    "organisation_id",
    "author_id",
    "kind",
    "proposed_text",
    "justification",
    "status",
    "submitted_at",
    "updated_at",
    "submission_token",
)


def _insert_unless_sent():
    """INSERT … ON CONFLICT (submission_token) DO NOTHING RETURNING the comment (none if the token
    was used), taking the next receipt number inside the INSERT (the consultation's row is locked).

    Built once per database kind, its values bound at execution: building a statement of sixteen
    values (and its cache key) for every comment took about 0.9 ms of the ~11 ms of CPU a
    submission cost (PostgreSQL, two shared cores)."""
    return _insert_statement(db.session.connection().dialect.name)


@lru_cache(maxsize=2)
def _insert_statement(dialect: str):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    next_number = (
        sa.select(sa.func.coalesce(sa.func.max(Comment.number), 0) + 1)
        .where(Comment.consultation_id == sa.bindparam("consultation_id"))
        .scalar_subquery()
    )
    return (
        insert(Comment)
        .values({**{name: sa.bindparam(name) for name in _INSERTED}, "number": next_number})
        .on_conflict_do_nothing(index_elements=[Comment.submission_token])
        .returning(Comment)
    )


def _current_version_id(consultation: Consultation) -> int:
    version = current_version(consultation.id)
    if version is None:
        raise InvalidInput(_("The draft has not been published yet."))
    return version.id


# --- editing and withdrawing ----------------------------------------------------------------


def _require_current_version(comment: Comment) -> None:
    if not on_current_version(comment):
        raise Conflict(
            _(
                "This comment was made on version %(number)d of the draft, which is no longer current; "
                "it stays on record as it is.",
                number=comment.version.number,
            )
        )


def _require_author(actor: User, comment: Comment) -> None:
    if not is_author(actor, comment):
        raise Forbidden(_("Only representatives of the organisation that sent a comment can change it."))
    if comment.status not in EDITABLE_STATUSES:
        raise Conflict(_("A withdrawn or hidden comment cannot be changed."))
    _require_current_version(comment)


def edit_comment(
    comment: Comment, actor: User, data: CommentData, *, row_version: int | None = None, now: datetime | None = None
) -> Comment:
    """Change the text; the earlier text is kept as a revision."""
    now = now or clock.utcnow()
    _require_open(comment.consultation, now)
    _require_author(actor, comment)
    if row_version is not None and row_version != comment.row_version:
        raise Conflict(
            _(
                "Another representative of your organisation changed this comment in the meantime. "
                "Your text is below: compare it with the current one and send it again."
            )
        )
    clean = validate_comment(data, comment.paragraph)
    if (clean.kind, clean.proposed_text, clean.justification) == (
        comment.kind,
        comment.proposed_text,
        comment.justification,
    ):
        raise InvalidInput(_("Nothing has been changed."))
    comment.revisions.append(
        CommentRevision(
            number=len(comment.revisions) + 1,
            kind=comment.kind,
            proposed_text=comment.proposed_text,
            justification=comment.justification,
            editor_id=actor.id,
            created_at=now,
        )
    )
    comment.kind, comment.proposed_text, comment.justification = clean.kind, clean.proposed_text, clean.justification
    comment.updated_at = now
    if comment.consultation.moderation_mode == ModerationMode.PRE:
        comment.status = CommentStatus.PENDING  # a changed text is approved again before it shows
    _flush_or_conflict()
    return comment


def withdraw_comment(comment: Comment, actor: User, now: datetime | None = None) -> Comment:
    """The comment stays on record as withdrawn; the public sees that it was."""
    now = now or clock.utcnow()
    _require_open(comment.consultation, now)
    _require_author(actor, comment)
    comment.status = CommentStatus.WITHDRAWN
    comment.withdrawn_at = now
    comment.updated_at = now
    _flush_or_conflict()
    return comment


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(_("Someone else changed this comment in the meantime. Open it again.")) from None


# --- supports -------------------------------------------------------------------------------


def _active_support(comment: Comment, organisation: Organisation) -> Support | None:
    return db.session.scalar(
        sa.select(Support).where(Support.comment_id == comment.id, Support.organisation_id == organisation.id)
    )


def support_comment(comment: Comment, actor: User, organisation: Organisation, now: datetime | None = None) -> Support:
    """Co-sign another organisation's comment. Asking twice leaves one support."""
    now = now or clock.utcnow()
    _require_open(comment.consultation, now)
    if not acts_for(actor, organisation) or not organisation_may_take_part(organisation, comment.consultation):
        raise Forbidden(
            _("You cannot support comments on behalf of this organisation in this consultation."), field="organisation"
        )
    if organisation.id == comment.organisation_id:
        raise InvalidInput(_("An organisation cannot support its own comment."), field="organisation")
    if comment.status != CommentStatus.PUBLISHED:
        raise Conflict(_("Only a published comment can be supported."))
    _require_current_version(comment)
    support = _active_support(comment, organisation)
    if support is None:
        support = Support(comment_id=comment.id, organisation_id=organisation.id, user_id=actor.id, created_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(support)
        except IntegrityError:  # the same organisation, a moment earlier
            support = _active_support(comment, organisation)
    if support.withdrawn_at is not None:
        support.withdrawn_at = None
        support.user_id = actor.id
        db.session.flush()
    return support


def withdraw_support(comment: Comment, actor: User, organisation: Organisation, now: datetime | None = None) -> None:
    now = now or clock.utcnow()
    _require_open(comment.consultation, now)
    if not acts_for(actor, organisation):
        raise Forbidden(_("You cannot act on behalf of this organisation."), field="organisation")
    support = _active_support(comment, organisation)
    if support is not None and support.withdrawn_at is None:
        support.withdrawn_at = now
        db.session.flush()


# --- comments received another way ------------------------------------------------------------

# One letter rarely makes more remarks than this; the form says so.
MAX_LETTER_COMMENTS = 50
MAX_REFERENCE = 200
MAX_ORGANISATION_NAME = 300
MAX_ADDRESS = 1000


@dataclass
class LetterData:
    """The letter itself: who sent it (an organisation on record, or a new one), how and when."""

    channel: Channel
    received_on: date | None
    reference: str = ""
    organisation: Organisation | None = None
    new_organisation_name: str = ""
    new_organisation_address: str = ""
    meeting_id: int | None = None  # the consultation meeting the comments were made at (checked by the caller)


@dataclass
class LetterComment:
    """One remark of the letter; ``row`` is its place on the form, to name the fields of a mistake."""

    row: int
    paragraph: Paragraph | None
    data: CommentData


def received_on_message(consultation: Consultation, received_on: date, now: datetime) -> str | None:
    """Why comments received that day cannot be entered; None when they came in time.

    Days are Kraków days: a letter received on the day the consultation closes (before
    midnight) is in time, one received the next day is late.
    """
    today = clock.to_local(now).date()
    if received_on > today:
        return _(
            "The date received cannot be in the future (today is %(today)s).",
            today=format_date(today, "d MMMM y"),
        )
    first_day = clock.to_local(consultation.opens_at).date()
    last_day = clock.to_local(consultation.closes_at - timedelta(microseconds=1)).date()
    if received_on < first_day:
        return _(
            "The consultation opened on %(date)s: a letter received before then is not a comment in it.",
            date=format_date(first_day, "d MMMM y"),
        )
    if received_on > last_day:
        return _(
            "The consultation closed on %(date)s at %(time)s: comments received on %(received)s are late "
            "and cannot be entered.",
            date=format_date(clock.to_local(consultation.closes_at).date(), "d MMMM y"),
            time=format_datetime(consultation.closes_at, "HH:mm"),
            received=format_date(received_on, "d MMMM y"),
        )
    return None


def _letter_sender(actor: User, data: LetterData) -> Organisation:
    """The organisation on record, or a new unverified one with the name and address from the letter."""
    if data.organisation is not None:
        if data.organisation.status == OrganisationStatus.REJECTED:
            raise InvalidInput(
                _("This organisation failed verification; comments cannot be entered on its behalf."),
                field="organisation",
            )
        return data.organisation
    name = " ".join(clean_text(data.new_organisation_name).split())
    address = clean_text(data.new_organisation_address)
    if not name:
        raise InvalidInput(
            _("Choose the organisation, or give the name of a new one as the letter gives it."),
            field="new_organisation_name",
        )
    if len(name) > MAX_ORGANISATION_NAME:
        raise InvalidInput(
            _("The name may have at most %(max)d characters.", max=MAX_ORGANISATION_NAME),
            field="new_organisation_name",
        )
    if len(address) > MAX_ADDRESS:
        raise InvalidInput(
            _("The address may have at most %(max)d characters.", max=MAX_ADDRESS), field="new_organisation_address"
        )
    same_name = db.session.scalars(
        sa.select(Organisation).where(Organisation.search_name == fold_for_search(name)).limit(1)
    ).first()
    if same_name is not None:
        raise InvalidInput(
            _("%(name)s is already on record: choose it from the list.", name=same_name.name),
            field="new_organisation_name",
        )
    organisation = Organisation(name=name, address=address, status=OrganisationStatus.PENDING)
    db.session.add(organisation)
    db.session.flush()
    record(actor, "organisation.created_from_letter", organisation, after={"name": name, "address": address})
    return organisation


def _validated_comments(
    consultation: Consultation, comments: list[LetterComment], version_id: int
) -> list[CommentData]:
    if not comments:
        raise InvalidInput(_("Enter at least one comment from the letter."))
    if len(comments) > MAX_LETTER_COMMENTS:
        raise InvalidInput(_("One letter can be entered with at most %(max)d comments.", max=MAX_LETTER_COMMENTS))
    cleaned = []
    errors: list[InvalidInput] = []  # every row's mistakes in one answer
    for entry in comments:
        if entry.paragraph is not None and entry.paragraph.version_id != version_id:
            errors.append(
                InvalidInput(
                    _("This provision is not part of the consultation."), field=f"comments-{entry.row}-paragraph"
                )
            )
            continue
        try:
            cleaned.append(validate_comment(entry.data, entry.paragraph))
        except InvalidInput as error:
            errors.extend(
                InvalidInput(part.message, field=f"comments-{entry.row}-{part.field}" if part.field else None)
                for part in error.parts()
            )
    raise_all(errors)
    return cleaned


def enter_letter(
    consultation: Consultation,
    actor: User,
    data: LetterData,
    comments: list[LetterComment],
    *,
    now: datetime | None = None,
) -> Letter:
    """Record a letter and file its comments on the organisation's behalf, each with a number.

    They are published at once (the office read them), carry their channel, and the audit
    log names the official who entered them. Nothing is stored unless all of them are valid.
    """
    now = now or clock.utcnow()
    if not can_enter_comments(actor, consultation, now):
        raise Forbidden(
            _(
                "Only the consultation's team can enter comments received another way, "
                "from its opening until its report is published."
            )
        )
    errors: list[InvalidInput] = []  # the letter's mistakes and its comments' in one answer
    if data.channel not in OFFICE_CHANNELS:
        errors.append(InvalidInput(_("Choose how the comments were received."), field="channel"))
    if data.received_on is None:
        errors.append(InvalidInput(_("Give the date the letter was received."), field="received_on"))
    else:
        message = received_on_message(consultation, data.received_on, now)
        if message:
            errors.append(InvalidInput(message, field="received_on"))
    reference = " ".join(clean_text(data.reference).split())
    if len(reference) > MAX_REFERENCE:
        errors.append(
            InvalidInput(_("The reference may have at most %(max)d characters.", max=MAX_REFERENCE), field="reference")
        )
    version_id = _current_version_id(consultation)
    cleaned: list[CommentData] = []
    try:
        cleaned = _validated_comments(consultation, comments, version_id)
    except InvalidInput as error:
        errors.extend(error.parts())
    raise_all(errors)
    organisation = _letter_sender(actor, data)
    letter = Letter(
        consultation=consultation,
        organisation=organisation,
        channel=data.channel,
        received_on=data.received_on,
        reference=reference,
        entered_by_id=actor.id,
        meeting_id=data.meeting_id,
        created_at=now,
    )
    db.session.add(letter)
    _lock_numbering(consultation.id)
    for entry, clean in zip(comments, cleaned, strict=True):
        comment = Comment(
            consultation=consultation,
            version_id=version_id,
            paragraph=entry.paragraph,
            paragraph_key=entry.paragraph.key if entry.paragraph else None,
            paragraph_label=entry.paragraph.label if entry.paragraph else None,
            paragraph_text=entry.paragraph.text if entry.paragraph else None,
            organisation=organisation,
            author_id=None,
            kind=clean.kind,
            proposed_text=clean.proposed_text,
            justification=clean.justification,
            status=CommentStatus.PUBLISHED,
            submitted_at=now,
            updated_at=now,
            submission_token=new_submission_token(),
            channel=data.channel,
            letter=letter,
            number=_next_number(consultation.id),  # the consultation's row is locked: nobody takes it meanwhile
        )
        db.session.add(comment)
        db.session.flush()
        record(
            actor,
            "comment.entered_from_letter",
            comment,
            consultation_id=consultation.id,
            after={
                "number": comment.number,
                "organisation": organisation.name,
                "channel": data.channel.value,
                "received_on": data.received_on.isoformat(),
                "letter_id": letter.id,
            },
        )
    return letter
