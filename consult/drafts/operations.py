"""Writing draft versions: import a parsed draft, correct its matching, publish or discard it.

A new version is matched against the published version before it (see
:mod:`consult.drafts.matching`); the matching decides which provisions keep which
keys, and the official can correct it until the version is published.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.consultations.models import Consultation, ConsultationStatus
from consult.core import audit
from consult.core.errors import Conflict, InvalidInput
from consult.core.hooks import VERSION_MATCHED, contributions
from consult.core.text import clean_text
from consult.core.time import utcnow
from consult.drafts.importers import ParsedDraft, parse_markdown
from consult.drafts.matching import assign_keys, fresh_key, match_provisions
from consult.drafts.models import DraftVersion, Paragraph, ProvisionMatch, Section, SectionKind, VersionStatus
from consult.drafts.queries import current_version, editor_source, unpublished_version
from consult.extensions import db


def _keys_of_other_versions(consultation_id: int, version_id: int | None) -> set[str]:
    """Every key the consultation's other versions use: a new provision never takes one."""
    query = (
        sa.select(Paragraph.key)
        .join(DraftVersion, DraftVersion.id == Paragraph.version_id)
        .where(DraftVersion.consultation_id == consultation_id)
    )
    if version_id is not None:
        query = query.where(DraftVersion.id != version_id)
    return set(db.session.scalars(query))


def _paragraphs_of(version: DraftVersion) -> list[Paragraph]:
    return list(
        db.session.scalars(sa.select(Paragraph).where(Paragraph.version_id == version.id).order_by(Paragraph.position))
    )


def _one_at_a_time(consultation: Consultation) -> None:
    """Make two new versions of one consultation (a double click on "Save", two officials at once)
    wait for each other, so the second finds the first and is refused instead of failing on the
    version number. PostgreSQL locks the consultation's row; SQLite has one writer at a time, and a
    no-op UPDATE takes that lock now."""
    if consultation.id is None:
        return
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(sa.select(Consultation.id).where(Consultation.id == consultation.id).with_for_update())
    else:
        db.session.execute(sa.text("UPDATE consultations SET id = id WHERE id = :id"), {"id": consultation.id})


def import_draft(
    consultation: Consultation,
    parsed: ParsedDraft,
    actor: User | None,
    *,
    source_filename: str | None = None,
    title: str | None = None,
    edited: bool = False,
) -> DraftVersion:
    """Store a parsed draft as the consultation's next, unpublished version.

    Its provisions are matched to the current version's by text and position; those
    that carry over keep their keys, so links and comments keep pointing at them.
    The web form and the command line both come here, at any stage of the consultation
    (the rule: :mod:`consult.drafts.permissions`): the second reading revises the draft
    after the report is published.
    """
    _one_at_a_time(consultation)
    pending = unpublished_version(consultation.id)
    if pending is not None:
        raise Conflict(
            _(
                "Version %(number)d has not been published yet. Publish or discard it before making another one.",
                number=pending.number,
            )
        )
    base = current_version(consultation.id)
    old_paragraphs = _paragraphs_of(base) if base is not None else []
    taken = _keys_of_other_versions(consultation.id, None)
    last_number = max((v.number for v in consultation.versions), default=0)
    version = DraftVersion(
        consultation=consultation,
        number=last_number + 1,
        title=title or parsed.title or consultation.title,
        source_filename=source_filename,
        status=VersionStatus.DRAFT,
        created_by_id=actor.id if actor is not None else None,
        based_on=base,
    )
    db.session.add(version)
    counter = {"section": 0, "paragraph": 0}
    new_paragraphs: list[Paragraph] = []

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
                paragraph = Paragraph(
                    section=section,
                    position=counter["paragraph"],
                    key="",
                    number=parsed_paragraph.number,
                    label=parsed_paragraph.label,
                    level=parsed_paragraph.level,
                    text=parsed_paragraph.text,
                )
                version.paragraphs.append(paragraph)
                new_paragraphs.append(paragraph)
                counter["paragraph"] += 1
            add_sections(parsed_section.children, section, depth + 1)

    add_sections(parsed.sections, None, 0)
    edges = match_provisions([p.text for p in old_paragraphs], [p.text for p in new_paragraphs])
    for i, j in sorted(edges):
        version.matches.append(ProvisionMatch(old_paragraph_id=old_paragraphs[i].id, new_paragraph=new_paragraphs[j]))
    _give_keys(version, old_paragraphs, new_paragraphs, edges, taken)
    db.session.flush()
    _matched(version, actor)
    audit.record(
        actor,
        "draft.edit" if edited else "draft.import",
        version,
        consultation_id=consultation.id,
        after={
            "number": version.number,
            "file": source_filename,
            "sections": parsed.section_count,
            "paragraphs": parsed.paragraph_count,
            "matched": len(edges),
        },
    )
    return version


# A 200-provision programme is about 60,000 characters; this leaves room for any real draft.
MAX_EDITED_CHARS = 1_000_000


def edit_draft(consultation: Consultation, text: str, actor: User, *, revision: str) -> DraftVersion:
    """The text written in the editor as the consultation's next version.

    The text is the importer's grammar (the editor opens with the current version, or the
    one being prepared, written in it: :func:`consult.drafts.queries.editor_source`), so an
    edited version goes through the same matching, preview and publication as an imported
    file. Saving again while that version is still being prepared replaces it. ``revision``
    is the state the editor was opened on: if another official saved or published a version
    since, nothing is saved and the official keeps their text.
    """
    text = clean_text(text)
    if not text:
        raise InvalidInput(_("The text is empty. Write the draft, or go back to keep it as it is."), field="text")
    if len(text) > MAX_EDITED_CHARS:
        raise InvalidInput(
            _(
                "The text is longer than %(limit)s characters. Import so long a draft from a file instead.",
                limit=format_number(MAX_EDITED_CHARS),
            ),
            field="text",
        )
    _one_at_a_time(consultation)
    source = editor_source(consultation.id)
    if revision != source.revision:
        raise Conflict(
            _(
                "Someone else changed the draft since you opened the editor, so your text was not saved. "
                "Copy your changes from the box below, open the editor again and make them there."
            ),
            field="text",
        )
    parsed = parse_markdown(text)
    replaced = source.version if source.version is not None and source.version.status == VersionStatus.DRAFT else None
    if replaced is not None:
        discard_version(replaced, actor)
        db.session.expire(consultation, ["versions"])
    return import_draft(consultation, parsed, actor, title=parsed.title, edited=True)


def _give_keys(
    version: DraftVersion,
    old: list[Paragraph],
    new: list[Paragraph],
    edges: set[tuple[int, int]],
    other_keys: set[str],
) -> None:
    """Set every new provision's key from the matching: inherited, kept from before, or fresh.

    ``other_keys``: those of the consultation's other versions, which no new provision may take.
    """
    inherited = assign_keys([p.key for p in old], len(new), edges)
    taken = other_keys | {k for k in inherited if k}
    keys: list[str] = []
    for paragraph, key in zip(new, inherited, strict=True):
        if key is None:
            # A provision still new keeps the key it was given at import, if still free.
            key = paragraph.key if paragraph.key and paragraph.key not in taken else None
            key = key or fresh_key(paragraph.label, taken, version.number)
            taken.add(key)
        keys.append(key)
    if all(p.key == k for p, k in zip(new, keys, strict=True)):
        return
    if any(p.id is not None for p in new):
        # Keys are unique in a version: swapping two in place would collide on the way.
        for paragraph in new:
            paragraph.key = f"~{paragraph.id}"
        db.session.flush()
    for paragraph, key in zip(new, keys, strict=True):
        paragraph.key = key


def _matched(version: DraftVersion, actor: User | None) -> None:
    """The modules above refresh what they derive from the version's changes (the comments behind them)."""
    for matched in contributions(VERSION_MATCHED):
        matched(version, actor)


def _require_draft(version: DraftVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise Conflict(_("Version %(number)d is published; its matching can no longer change.", number=version.number))


def rematch_provision(version: DraftVersion, paragraph: Paragraph, old: Paragraph | None, actor: User) -> None:
    """Correct the matching: ``paragraph`` is the old provision ``old``, or (None) a new one."""
    _require_draft(version)
    if paragraph.version_id != version.id:
        raise InvalidInput(_("This provision is not part of version %(number)d.", number=version.number))
    if old is not None and (version.based_on_id is None or old.version_id != version.based_on_id):
        raise InvalidInput(_("Choose a provision of the version this one replaces."))
    before = sorted(m.old_paragraph_id for m in version.matches if m.new_paragraph_id == paragraph.id)
    for match in list(version.matches):
        if match.new_paragraph_id == paragraph.id or (old is not None and match.old_paragraph_id == old.id):
            version.matches.remove(match)
    if old is not None:
        version.matches.append(ProvisionMatch(old_paragraph_id=old.id, new_paragraph_id=paragraph.id))
    db.session.flush()
    old_paragraphs = _paragraphs_of(version.based_on) if version.based_on else []
    new_paragraphs = _paragraphs_of(version)
    old_index = {p.id: i for i, p in enumerate(old_paragraphs)}
    new_index = {p.id: j for j, p in enumerate(new_paragraphs)}
    edges = {(old_index[m.old_paragraph_id], new_index[m.new_paragraph_id]) for m in version.matches}
    _give_keys(
        version, old_paragraphs, new_paragraphs, edges, _keys_of_other_versions(version.consultation_id, version.id)
    )
    db.session.flush()
    _matched(version, actor)
    audit.record(
        actor,
        "draft.rematch",
        version,
        consultation_id=version.consultation_id,
        before={"paragraph": paragraph.label, "old": before},
        after={"paragraph": paragraph.label, "old": [old.id] if old else []},
    )


@dataclass(frozen=True)
class PublishChecks:
    """What an official must confirm before a version is published."""

    new_text: bool  # nothing of the previous version was found in it
    comments_open: bool  # organisations are commenting right now

    def __bool__(self) -> bool:
        return self.new_text or self.comments_open


def publish_checks(version: DraftVersion, now: datetime) -> PublishChecks:
    base = version.based_on
    return PublishChecks(
        new_text=base is not None and bool(base.paragraphs) and not version.matches,
        comments_open=base is not None and version.consultation.status_at(now) == ConsultationStatus.OPEN,
    )


def publish_version(
    version: DraftVersion,
    actor: User | None,
    *,
    new_text_confirmed: bool = False,
    comments_open_confirmed: bool = False,
    now: datetime | None = None,
) -> DraftVersion:
    """Make the version current. What :func:`publish_checks` finds must have been confirmed."""
    now = now or utcnow()
    if version.status == VersionStatus.PUBLISHED:
        raise Conflict(_("Version %(number)d is already published.", number=version.number))
    current = current_version(version.consultation_id)
    if (current.id if current else None) != version.based_on_id:
        raise Conflict(
            _(
                "Another version was published after this one was made. Discard version %(number)d and make it again.",
                number=version.number,
            )
        )
    checks = publish_checks(version, now)
    if checks.new_text and not new_text_confirmed:
        raise InvalidInput(
            _(
                "No provision of version %(number)d matches version %(base)d. Confirm that it is a new text.",
                number=version.number,
                base=version.based_on.number,
            ),
            field="new_text_confirmed",
        )
    if checks.comments_open and not comments_open_confirmed:
        raise InvalidInput(
            _(
                "The consultation is open for comments. Confirm that you publish a new version now: comments "
                "already made stay on the wording they were made on."
            ),
            field="comments_open_confirmed",
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    db.session.flush()
    audit.record(
        actor, "draft.publish", version, consultation_id=version.consultation_id, after={"number": version.number}
    )
    return version


def discard_version(version: DraftVersion, actor: User) -> None:
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
