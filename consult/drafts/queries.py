"""Reading a draft version as a tree, with a fixed number of queries."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from consult.accounts.models import User
from consult.core.errors import ConsultError, NotFound
from consult.drafts.comparison import Change, ChangeKind, Provision, changes_only, compare, compose, summary
from consult.drafts.importers import ParsedDraft, ParsedParagraph, ParsedSection, markdown_of
from consult.drafts.models import (
    ChangeComment,
    DraftVersion,
    LinkOrigin,
    Paragraph,
    ProvisionMatch,
    Section,
    VersionStatus,
)
from consult.drafts.permissions import can_view_version
from consult.extensions import db

# Larger numbers overflow the database's integer: such a version cannot exist.
MAX_VERSION_NUMBER = 2**31 - 1


@dataclass
class SectionNode:
    section: Section
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list["SectionNode"] = field(default_factory=list)


@dataclass
class DocumentTree:
    version: DraftVersion
    sections: list[SectionNode]
    paragraph_count: int
    section_count: int

    def iter_nodes(self):
        stack = list(reversed(self.sections))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def load_document(version: DraftVersion) -> DocumentTree:
    """Two queries: all sections, then all paragraphs, each in document order."""
    sections = db.session.scalars(
        sa.select(Section).where(Section.version_id == version.id).order_by(Section.position)
    ).all()
    paragraphs = db.session.scalars(
        sa.select(Paragraph).where(Paragraph.version_id == version.id).order_by(Paragraph.position)
    ).all()
    nodes = {section.id: SectionNode(section) for section in sections}
    roots: list[SectionNode] = []
    for section in sections:
        node = nodes[section.id]
        (nodes[section.parent_id].children if section.parent_id else roots).append(node)
    for paragraph in paragraphs:
        nodes[paragraph.section_id].paragraphs.append(paragraph)
    return DocumentTree(version, roots, paragraph_count=len(paragraphs), section_count=len(sections))


def current_version(consultation_id: int) -> DraftVersion | None:
    """The newest published version: what the public reads and comments on."""
    return db.session.scalars(
        sa.select(DraftVersion)
        .where(DraftVersion.consultation_id == consultation_id, DraftVersion.status == VersionStatus.PUBLISHED)
        .order_by(DraftVersion.number.desc())
        .limit(1)
    ).first()


def get_version(consultation_id: int, number: int) -> DraftVersion | None:
    return db.session.scalars(
        sa.select(DraftVersion).where(DraftVersion.consultation_id == consultation_id, DraftVersion.number == number)
    ).first()


def unpublished_version(consultation_id: int) -> DraftVersion | None:
    """The version being prepared (imported or edited, not yet published), if any."""
    return db.session.scalars(
        sa.select(DraftVersion).where(
            DraftVersion.consultation_id == consultation_id, DraftVersion.status == VersionStatus.DRAFT
        )
    ).first()


def published_versions(consultation_id: int) -> list[DraftVersion]:
    """Oldest first: what the version list of a consultation shows."""
    return list(
        db.session.scalars(
            sa.select(DraftVersion)
            .where(DraftVersion.consultation_id == consultation_id, DraftVersion.status == VersionStatus.PUBLISHED)
            .order_by(DraftVersion.number)
        )
    )


# --- editing in the browser ----------------------------------------------------------------------


@dataclass(frozen=True)
class EditorSource:
    """What the editor starts from: the version being prepared if there is one, else the current one.

    ``revision`` names that state; a save made from another state (another official saved or
    published a version meanwhile) is refused instead of silently replacing their work.
    """

    version: DraftVersion | None
    text: str

    @property
    def revision(self) -> str:
        version = self.version
        state = f"{version.id}:{version.number}:{version.status.value}" if version is not None else "none"
        return hashlib.sha256(f"{state}\n{self.text}".encode()).hexdigest()[:32]


def editor_source(consultation_id: int) -> EditorSource:
    """Three queries: the version, its sections, its paragraphs."""
    version = unpublished_version(consultation_id) or current_version(consultation_id)
    if version is None:
        return EditorSource(None, "")
    document = load_document(version)
    return EditorSource(version, markdown_of(parsed_of(document)))


def parsed_of(document: DocumentTree) -> ParsedDraft:
    """A stored version as the importer's result, for writing it back in the importer's grammar."""

    def convert(node: SectionNode) -> ParsedSection:
        section = node.section
        return ParsedSection(
            kind=section.kind.value,
            number=section.number,
            label=section.label,
            heading=section.heading,
            paragraphs=[ParsedParagraph(p.number, p.label, p.text, p.level) for p in node.paragraphs],
            children=[convert(child) for child in node.children],
        )

    return ParsedDraft(document.version.title, [convert(node) for node in document.sections])


# --- comparing versions ------------------------------------------------------------------------


@dataclass
class Comparison:
    older: DraftVersion
    newer: DraftVersion
    changes: list[Change]  # every provision of both, kept ones included, in the newer one's order

    @property
    def listed(self) -> list[Change]:
        return changes_only(self.changes)

    @property
    def summary(self) -> dict[ChangeKind, int]:
        return summary(self.changes)

    @property
    def unconfirmed(self) -> int:
        """Suggested links between comments and changes that no official has confirmed yet."""
        return sum(len(change.suggested) for change in self.changes)


def _chain(versions: list[DraftVersion], older: DraftVersion, newer: DraftVersion) -> list[DraftVersion] | None:
    """The versions from ``older`` to ``newer`` through ``based_on``, or None if one does not lead to the other."""
    by_id = {v.id: v for v in versions}
    chain = [newer]
    while chain[-1].id != older.id:
        base_id = chain[-1].based_on_id
        if base_id is None or base_id not in by_id or len(chain) > len(versions):
            return None
        chain.append(by_id[base_id])
    return list(reversed(chain))


def _provision(paragraph: Paragraph) -> Provision:
    return Provision(paragraph.id, paragraph.key, paragraph.label, paragraph.text, paragraph.position)


def load_comparison(consultation_id: int, older: DraftVersion, newer: DraftVersion) -> Comparison | None:
    """Four queries whatever the size of the draft: versions, paragraphs, matches, linked comments.

    None when ``newer`` does not descend from ``older``.
    """
    versions = list(db.session.scalars(sa.select(DraftVersion).where(DraftVersion.consultation_id == consultation_id)))
    chain = _chain(versions, older, newer)
    if chain is None:
        return None
    chain_ids = [v.id for v in chain]
    paragraphs = db.session.scalars(
        sa.select(Paragraph).where(Paragraph.version_id.in_(chain_ids)).order_by(Paragraph.position)
    ).all()
    matches = db.session.execute(
        sa.select(ProvisionMatch.version_id, ProvisionMatch.old_paragraph_id, ProvisionMatch.new_paragraph_id).where(
            ProvisionMatch.version_id.in_(chain_ids[1:])
        )
    ).all()
    # The comment's number through the relationship: comments build on drafts, not the other way round.
    linked = db.session.scalars(
        sa.select(ChangeComment)
        .options(joinedload(ChangeComment.comment))
        .where(ChangeComment.version_id.in_(chain_ids[1:]))
    ).all()
    links = sorted(
        (
            (link.version_id, link.provision_key, link.comment.number, link.origin == LinkOrigin.OFFICIAL)
            for link in linked
        ),
        key=lambda row: row[2],
    )

    by_version: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        by_version[paragraph.version_id].append(paragraph)
    steps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for version_id, old_id, new_id in matches:
        steps[version_id].append((old_id, new_id))
    edges = compose([steps[version_id] for version_id in chain_ids[1:]]) if len(chain) > 1 else set()
    changes = compare(
        [_provision(p) for p in by_version[older.id]], [_provision(p) for p in by_version[newer.id]], edges
    )
    return Comparison(older, newer, _with_receipts(changes, chain, by_version, matches, links))


def _with_receipts(changes, chain, by_version, matches, links) -> list[Change]:
    """Attach to each change the comments linked to any step of it along the chain."""
    if not links:
        return changes
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for _version_id, old_id, new_id in matches:
        parent[find(old_id)] = find(new_id)
    key_in = {v.id: {p.key: p.id for p in by_version[v.id]} for v in chain}
    base_of = {v.id: v.based_on_id for v in chain}
    receipts: dict[bool, dict[int, list[int]]] = {True: defaultdict(list), False: defaultdict(list)}
    for version_id, key, number, confirmed in links:
        paragraph_id = key_in[version_id].get(key) or key_in.get(base_of[version_id], {}).get(key)
        if paragraph_id is not None:
            receipts[bool(confirmed)][find(paragraph_id)].append(number)
    result = []
    for change in changes:
        roots = {find(p.id) for p in (*change.old, *change.new)}
        confirmed = sorted({n for root in roots for n in receipts[True].get(root, ())})
        suggested = sorted({n for root in roots for n in receipts[False].get(root, ())} - set(confirmed))
        result.append(
            replace(change, receipts=tuple(confirmed), suggested=tuple(suggested)) if confirmed or suggested else change
        )
    return result


def paragraph_in_version(version_id: int, key: str) -> Paragraph | None:
    return db.session.scalar(sa.select(Paragraph).where(Paragraph.version_id == version_id, Paragraph.key == key))


def keys_in_version(consultation_id: int, version: DraftVersion, paragraphs: list[Paragraph]) -> dict[int, str]:
    """Paragraph id (in any published version up to ``version``) -> key of that provision in ``version``.

    One query. A provision is followed through the matches of every later version,
    each time to its first part (the one that keeps a split provision's key, or the
    provision others were merged into); one that a version deleted is not in the result.
    """
    rows = db.session.execute(
        sa.select(ProvisionMatch.old_paragraph_id, ProvisionMatch.new_paragraph_id, Paragraph.position)
        .join(Paragraph, Paragraph.id == ProvisionMatch.new_paragraph_id)
        .join(DraftVersion, DraftVersion.id == ProvisionMatch.version_id)
        .where(
            DraftVersion.consultation_id == consultation_id,
            sa.or_(DraftVersion.status == VersionStatus.PUBLISHED, DraftVersion.id == version.id),
        )
    ).all()
    first_target: dict[int, tuple[int, int]] = {}
    for old_id, new_id, position in rows:
        if old_id not in first_target or position < first_target[old_id][1]:
            first_target[old_id] = (new_id, position)
    keys = {p.id: p.key for p in paragraphs}
    result = dict(keys)
    for start in first_target:
        node, steps = start, 0
        while node not in keys and node in first_target and steps <= len(first_target):
            node, steps = first_target[node][0], steps + 1
        if node in keys:
            result[start] = keys[node]
    return result


def locate_provision(consultation_id: int, key: str) -> tuple[DraftVersion, Paragraph, bool] | None:
    """The provision with ``key`` where it is now: (current version, its paragraph, True), following
    merges; or, if a later version deleted it, (the last published version that had it, its paragraph, False)."""
    current = current_version(consultation_id)
    if current is None:
        return None
    holders = db.session.execute(
        sa.select(Paragraph, DraftVersion)
        .join(DraftVersion, DraftVersion.id == Paragraph.version_id)
        .where(
            DraftVersion.consultation_id == consultation_id,
            DraftVersion.status == VersionStatus.PUBLISHED,
            Paragraph.key == key,
        )
        .order_by(DraftVersion.number.desc())
    ).first()
    if holders is None:
        return None
    paragraph, version = holders
    if version.id == current.id:
        return current, paragraph, True
    current_paragraphs = list(db.session.scalars(sa.select(Paragraph).where(Paragraph.version_id == current.id)))
    now_key = keys_in_version(consultation_id, current, current_paragraphs).get(paragraph.id)
    if now_key is not None:
        return current, next(p for p in current_paragraphs if p.key == now_key), True
    return version, paragraph, False


def version_counts(consultation_id: int) -> dict[int, dict[str, int]]:
    """Sections and provisions per version, in two grouped queries (the published comments are
    ``consult.comments.queries.version_counts``)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for name, model in (("sections", Section), ("provisions", Paragraph)):
        rows = db.session.execute(
            sa.select(model.version_id, sa.func.count())
            .join(DraftVersion, DraftVersion.id == model.version_id)
            .where(DraftVersion.consultation_id == consultation_id)
            .group_by(model.version_id)
        )
        for version_id, count in rows:
            counts[version_id][name] = count
    return counts


def visible_version_or_404(consultation, number: int, user: User) -> DraftVersion:
    """For views: the version with this number the user may see, or a 404 response."""
    version = get_version(consultation.id, number) if number <= MAX_VERSION_NUMBER else None
    if version is None or not can_view_version(user, version):
        abort(404)
    return version


def comparison_or_error(consultation, older: int, newer: int, user: User) -> Comparison:
    """The comparison of two versions a user may see; a readable error for a malformed or unknown pair."""
    if older >= newer:
        raise ConsultError(
            _(
                "Write the earlier version first: …/versions/%(older)d..%(newer)d compares version %(older)d "
                "with version %(newer)d.",
                older=min(older, newer),
                newer=max(older, newer),
            )
            if older != newer
            else _("Choose two different versions to compare.")
        )
    first = visible_version_or_404(consultation, older, user)
    second = visible_version_or_404(consultation, newer, user)
    comparison = load_comparison(consultation.id, first, second)
    if comparison is None:
        raise NotFound(_("Version %(newer)d does not follow from version %(older)d.", older=older, newer=newer))
    return comparison
