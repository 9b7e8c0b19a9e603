"""Writing reports: the official's texts, publication of an immutable version."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from consult.consultations.models import Consultation
from consult.core import audit
from consult.core.errors import Conflict, InvalidInput
from consult.core.time import utcnow
from consult.extensions import db
from consult.reports.builder import build_report, canonical_json, checksum, content_json, report_from_json
from consult.reports.models import ExportStatus, PublishedReport, ReportDraft, ReportExport
from consult.reports.permissions import report_stage_reached
from consult.reports.queries import export_of, load_report_source, published_report, report_draft_of

MAX_TEXT = 20_000


def _stale_draft() -> Conflict:
    return Conflict(
        _(
            "Someone else saved the texts of this report in the meantime. Your text is still in the "
            "form below; compare it with the saved version before saving again."
        )
    )


def save_report_draft(
    consultation: Consultation, actor, introduction: str, conclusion: str, row_version: int | None
) -> ReportDraft:
    """Store the introduction and conclusion; refuse a save based on an older copy.

    ``row_version`` is the version of the texts the official started from (None for
    a report that had no texts yet).
    """
    if not report_stage_reached(consultation):
        raise InvalidInput(_("A report can be prepared only after the consultation has closed."))
    introduction, conclusion = (introduction or "").strip(), (conclusion or "").strip()
    if len(introduction) > MAX_TEXT or len(conclusion) > MAX_TEXT:
        raise InvalidInput(_("Each text may have at most %(num)d characters.", num=MAX_TEXT))
    draft = report_draft_of(consultation.id)
    before = {"introduction": draft.introduction, "conclusion": draft.conclusion} if draft else None
    if draft is None:
        if row_version not in (None, 0):
            raise _stale_draft()
        draft = ReportDraft(consultation_id=consultation.id)
        db.session.add(draft)
    elif row_version != draft.row_version:
        raise _stale_draft()
    draft.introduction, draft.conclusion = introduction, conclusion
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
        after={"introduction": introduction, "conclusion": conclusion},
    )
    return draft


def publish_report(consultation: Consultation, actor, *, draft_version: int | None = None, now=None) -> PublishedReport:
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


def request_export(report: PublishedReport, fmt: str) -> ReportExport:
    """Queue one file of one version: a new row, or a failed or stalled one started again.

    The caller commits, then starts the job (consult.reports.jobs), as it would send
    an e-mail only after the commit.
    """
    export = export_of(report.id, fmt)
    if export is None:
        export = ReportExport(report_id=report.id, format=fmt)
        db.session.add(export)
    elif export.status == ExportStatus.DONE:
        return export
    export.status, export.progress, export.error, export.finished_at = ExportStatus.QUEUED, 0, None, None
    export.created_at = utcnow()
    db.session.flush()
    return export
