"""Reading a draft version as a tree, with a fixed number of queries."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from consult.drafts.models import DraftVersion, Paragraph, Section, VersionStatus
from consult.extensions import db


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
