"""Writing reports: the official's texts, publication of an immutable version."""

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from consult.accounts.models import User
from consult.consultations.models import Consultation
from consult.core import audit
from consult.core.errors import Conflict, InvalidInput
from consult.core.text import clean_text
from consult.core.time import to_local, utcnow
from consult.extensions import db
from consult.reports import jobs
from consult.reports.builder import build_report, canonical_json, checksum, content_json, report_from_json
from consult.reports.models import ExportStatus, PublishedReport, ReportDraft, ReportExport
from consult.reports.permissions import report_stage_reached
from consult.reports.queries import export_of, load_report_source, published_report, report_draft_of

MAX_TEXT = 20_000
# Znak sprawy: letters (Polish ones too), digits, and the separators offices use ("WSS-06.0003.1.2027").
CASE_NUMBER = re.compile(r"^[0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż][0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż .\-/_():]*$")
FILING_LIMITS = {
    "case_number": 60,
    "organiser_unit": 300,
    "signatory_name": 120,
    "signatory_post": 200,
    "closing_line": 1000,
    "produced_by": 300,
    "responsible": 300,
}
# What the report builder offers for the closing line until the official writes one.
DEFAULT_CLOSING_LINE = (
    "Sprawozdanie wraz z projektem uwzględniającym przyjęte uwagi przekazuje się Prezydentowi Miasta "
    "w celu skierowania projektu uchwały pod obrady Rady Miasta."
)


@dataclass(frozen=True)
class FilingData:
    """What the official enters for the report as the office files it."""

    case_number: str = ""
    organiser_unit: str = ""
    signatory_name: str = ""
    signatory_post: str = ""
    approved_on: date | None = None
    closing_line: str = ""
    produced_by: str = ""
    responsible: str = ""


def _stale_draft() -> Conflict:
    return Conflict(
        _(
            "Someone else saved the texts of this report in the meantime. Your text is still in the "
            "form below; compare it with the saved version before saving again."
        )
    )


def _one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


def _clean_filing(consultation: Consultation, data: FilingData) -> dict:
    values = {name: _one_line(getattr(data, name)) for name in FILING_LIMITS}
    values["closing_line"] = clean_text(data.closing_line)
    for name, limit in FILING_LIMITS.items():
        if len(values[name]) > limit:
            raise InvalidInput(_("At most %(num)d characters.", num=limit), field=name)
    if values["case_number"] and not CASE_NUMBER.match(values["case_number"]):
        raise InvalidInput(
            _("A case number has letters, digits, spaces and the signs . - / _ ( ) :, e.g. WSS-06.0003.1.2027."),
            field="case_number",
        )
    if bool(values["signatory_name"]) != bool(values["signatory_post"]):
        field = "signatory_post" if values["signatory_name"] else "signatory_name"
        raise InvalidInput(_("The signature block needs both the name and the post."), field=field)
    values["approved_on"] = data.approved_on
    if data.approved_on is not None:
        closed_on = to_local(consultation.closes_at).date()
        today = to_local(utcnow()).date()
        if not closed_on <= data.approved_on <= today:
            raise InvalidInput(
                _(
                    "The report is approved between the day the consultation closed (%(closed)s) and today.",
                    closed=format_date(closed_on, "d MMMM y"),
                ),
                field="approved_on",
            )
    return values


def save_report_draft(
    consultation: Consultation,
    actor: User,
    introduction: str,
    conclusion: str,
    row_version: int | None,
    filing: FilingData | None = None,
) -> ReportDraft:
    """Store the introduction and conclusion (and, given ``filing``, what the office files the
    report with); refuse a save based on an older copy.

    ``row_version`` is the version of the texts the official started from (None for
    a report that had no texts yet).
    """
    if not report_stage_reached(consultation):
        raise InvalidInput(_("A report can be prepared only after the consultation has closed."))
    introduction, conclusion = clean_text(introduction), clean_text(conclusion)
    if len(introduction) > MAX_TEXT or len(conclusion) > MAX_TEXT:
        raise InvalidInput(_("Each text may have at most %(num)d characters.", num=MAX_TEXT))
    filing_values = _clean_filing(consultation, filing) if filing is not None else {}
    draft = report_draft_of(consultation.id)
    before = _texts(draft) if draft else None
    if draft is None:
        if row_version not in (None, 0):
            raise _stale_draft()
        draft = ReportDraft(consultation_id=consultation.id)
        db.session.add(draft)
    elif row_version != draft.row_version:
        raise _stale_draft()
    draft.introduction, draft.conclusion = introduction, conclusion
    for name, value in filing_values.items():
        setattr(draft, name, value)
    draft.updated_by_id = actor.id if actor is not None else None
    try:
        # The UPDATE checks row_version, the INSERT the unique consultation: a save in
        # between by someone else makes either fail.
        db.session.flush()
    except (StaleDataError, sa.exc.IntegrityError) as error:
        raise _stale_draft() from error
    audit.record(
        actor,
        "report_draft.update",
        draft,
        consultation_id=consultation.id,
        before=before,
        after=_texts(draft),
    )
    return draft


def _texts(draft: ReportDraft) -> dict:
    texts = {"introduction": draft.introduction, "conclusion": draft.conclusion}
    texts.update({name: getattr(draft, name) or "" for name in FILING_LIMITS})
    texts["approved_on"] = draft.approved_on.isoformat() if draft.approved_on else None
    return texts


def publish_report(
    consultation: Consultation, actor: User | None, *, draft_version: int | None = None, now=None
) -> PublishedReport:
    """Freeze the report as it is now into the next numbered version.

    ``draft_version`` is the version of the texts the official saw in the preview:
    if they changed since, the official has not seen what would be published.
    """
    if not report_stage_reached(consultation):
        raise InvalidInput(_("A report can be published only after the consultation has closed."))
    draft = report_draft_of(consultation.id)
    if draft_version is not None and (draft.row_version if draft else 0) != draft_version:
        raise Conflict(
            _("The texts of the report changed after you opened the preview. Check the preview again, then publish.")
        )
    now = now or utcnow()
    latest = published_report(consultation.id)
    number = latest.number + 1 if latest else 1
    report = build_report(load_report_source(consultation), number=number, published_at=now)
    if latest is not None and content_json(report_from_json(latest.data)) == content_json(report):
        raise Conflict(_("Nothing has changed since version %(number)d was published.", number=latest.number))
    data = canonical_json(report)
    published = PublishedReport(
        consultation_id=consultation.id,
        number=number,
        published_at=now,
        published_by_id=actor.id if actor is not None else None,
        data=data,
        sha256=checksum(data),
    )
    db.session.add(published)
    if consultation.report_published_at is None:
        consultation.report_published_at = now
    try:
        db.session.flush()
    except sa.exc.IntegrityError as error:  # another official published the same number a moment ago
        raise Conflict(_("Another version of the report was published in the meantime. Check it first.")) from error
    audit.record(
        actor,
        "report.publish",
        published,
        consultation_id=consultation.id,
        after={"number": number, "sha256": published.sha256},
    )
    return published


def request_export(report: PublishedReport, fmt: str) -> tuple[ReportExport, bool]:
    """The row of one file of one version, and whether this call queued it.

    A new row is queued (the caller commits, then starts the job, as it would send an
    e-mail only after the commit). An existing row is returned as it is: done, being
    built, or failed — a failed file waits for an official (:func:`retry_export`), so a
    visitor's reload never starts a build. Two first requests at once insert one row:
    the unique constraint refuses the second inside a savepoint, which then reads the
    first one's row.
    """
    export = export_of(report.id, fmt)
    if export is not None:
        return export, False
    try:
        with db.session.begin_nested():
            export = ReportExport(report_id=report.id, format=fmt, status=ExportStatus.QUEUED, heartbeat_at=utcnow())
            db.session.add(export)
    except sa.exc.IntegrityError:
        return export_of(report.id, fmt), False
    return export, True


def retry_export(actor, report: PublishedReport, fmt: str) -> ReportExport:
    """Queue a failed (or dead) file again; the caller commits and starts the job.

    The change from failed to queued is one conditional UPDATE: of two officials pressing
    "try again" at once (on PostgreSQL the second waits for the first's row lock), only the
    first queues a build; the second is told it is under way.
    """
    export = export_of(report.id, fmt)
    if export is None:
        raise Conflict(_("This file has not been asked for yet; download it to prepare it."))
    if jobs.give_up_if_stale(export):
        db.session.expire(export)  # read back the error just recorded
    failed_with = export.error
    requeued = jobs.update_export_if(
        export.id,
        ReportExport.status == ExportStatus.FAILED,
        status=ExportStatus.QUEUED,
        progress=0,
        error=None,
        finished_at=None,
        heartbeat_at=utcnow(),
    )
    if not requeued:
        raise Conflict(_("The file is already being prepared again, or it is ready."))
    audit.record(
        actor,
        "report_export.retry",
        export,
        consultation_id=report.consultation_id,
        before={"status": ExportStatus.FAILED.value, "error": failed_with},
        after={"status": ExportStatus.QUEUED.value, "format": fmt, "version": report.number},
    )
    db.session.expire(export)
    return export
