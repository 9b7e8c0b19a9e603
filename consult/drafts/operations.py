"""Writing draft versions: import a parsed draft, publish or discard a version."""

from flask_babel import gettext as _

from consult.consultations.models import Consultation
from consult.core import audit
from consult.core.errors import Conflict
from consult.core.text import slugify
from consult.core.time import utcnow
from consult.drafts.importers import ParsedDraft
from consult.drafts.models import DraftVersion, Paragraph, Section, SectionKind, VersionStatus
from consult.extensions import db


def _paragraph_key(label: str, taken: set[str]) -> str:
    """A readable key for the anchor (#p-3-ust-2-pkt-4), unique in the version."""
    base = slugify(label.replace("§", "par"), max_length=100) or "p"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def import_draft(
    consultation: Consultation,
    parsed: ParsedDraft,
    actor,
    *,
    source_filename: str | None = None,
    title: str | None = None,
) -> DraftVersion:
    """Store a parsed draft as the consultation's next, unpublished version.

    Paragraphs whose label the previous version also had keep that version's key,
    so links and comments made against it keep pointing at the same provision.
    The web form and the command line both come here: once the report is published
    the draft it answers is frozen.
    """
    if consultation.report_published_at is not None:
        raise Conflict(
            _("The report of this consultation is published, so its draft can no longer change."), field="file"
        )
    previous = consultation.versions[-1] if consultation.versions else None
    keys_by_label = {p.label: p.key for p in previous.paragraphs} if previous else {}
    version = DraftVersion(
        consultation=consultation,
        number=(previous.number + 1) if previous else 1,
        title=title or parsed.title or consultation.title,
        source_filename=source_filename,
        status=VersionStatus.DRAFT,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(version)
    taken: set[str] = set()
    counter = {"section": 0, "paragraph": 0}

    def add_sections(parsed_sections, parent: Section | None, depth: int) -> None:
        for parsed_section in parsed_sections:
            section = Section(
                version=version,
                parent=parent,
                position=counter["section"],
                depth=depth,
                kind=SectionKind(parsed_section.kind),
                number=parsed_section.number,
                label=parsed_section.label,
                heading=parsed_section.heading,
            )
            counter["section"] += 1
            for parsed_paragraph in parsed_section.paragraphs:
                label = parsed_paragraph.label
                key = keys_by_label.get(label)
                if key is None or key in taken:
                    key = _paragraph_key(label, taken)
                else:
                    taken.add(key)
                version.paragraphs.append(
                    Paragraph(
                        section=section,
                        position=counter["paragraph"],
                        key=key,
                        number=parsed_paragraph.number,
                        label=label,
                        level=parsed_paragraph.level,
                        text=parsed_paragraph.text,
                    )
                )
                counter["paragraph"] += 1
            add_sections(parsed_section.children, section, depth + 1)

    add_sections(parsed.sections, None, 0)
    db.session.flush()
    audit.record(
        actor,
        "draft.import",
        version,
        consultation_id=consultation.id,
        after={
            "number": version.number,
            "file": source_filename,
            "sections": parsed.section_count,
            "paragraphs": parsed.paragraph_count,
        },
    )
    return version


def publish_version(version: DraftVersion, actor) -> DraftVersion:
    if version.status == VersionStatus.PUBLISHED:
        raise Conflict(_("Version %(number)d is already published.", number=version.number))
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    db.session.flush()
    audit.record(
        actor, "draft.publish", version, consultation_id=version.consultation_id, after={"number": version.number}
    )
    return version


def discard_version(version: DraftVersion, actor) -> None:
    """Drop an imported version that was never published (nobody could comment on it)."""
    if version.status == VersionStatus.PUBLISHED:
        raise Conflict(_("A published version cannot be discarded."))
    audit.record(
        actor,
        "draft.discard",
        version,
        consultation_id=version.consultation_id,
        before={"number": version.number, "file": version.source_filename},
    )
    db.session.delete(version)
    db.session.flush()
