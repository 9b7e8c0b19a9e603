"""Draft versions, their sections (nested, ordered) and paragraphs.

A version's sections and paragraphs each carry ``position``: their place in document
order across the whole version. A page loads a version with two queries ordered by
it and builds the tree in memory, however long the draft.
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime
from consult.extensions import Model

if TYPE_CHECKING:  # the mapper finds the class by name; a runtime import would be a cycle
    from consult.comments.models import Comment
    from consult.consultations.models import Consultation


class VersionStatus(enum.Enum):
    DRAFT = "draft"  # imported, shown to officials as a preview
    PUBLISHED = "published"


class SectionKind(enum.Enum):
    PREAMBLE = "preamble"
    CHAPTER = "chapter"
    PARAGRAPH = "paragraph"  # a § unit
    PART = "part"  # any other headed part


class DraftVersion(CreatedAtMixin, Model):
    __tablename__ = "draft_versions"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(500), default="")
    source_filename: Mapped[str | None] = mapped_column(sa.String(255))
    status: Mapped[VersionStatus] = mapped_column(enum_type(VersionStatus), default=VersionStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The published version this one was matched against (None for the first). Its
    # provisions map onto this version's through ``matches``.
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="SET NULL"))

    consultation: Mapped["Consultation"] = relationship(back_populates="versions")
    based_on: Mapped["DraftVersion | None"] = relationship(remote_side=[id])
    sections: Mapped[list["Section"]] = relationship(
        back_populates="version", order_by="Section.position", cascade="all, delete-orphan"
    )
    paragraphs: Mapped[list["Paragraph"]] = relationship(
        back_populates="version", order_by="Paragraph.position", cascade="all, delete-orphan"
    )
    matches: Mapped[list["ProvisionMatch"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        """Imported or edited, shown to officials only."""
        return self.status == VersionStatus.DRAFT


class Section(Model):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="CASCADE"))
    position: Mapped[int]
    depth: Mapped[int] = mapped_column(default=0)
    kind: Mapped[SectionKind] = mapped_column(enum_type(SectionKind))
    number: Mapped[str | None] = mapped_column(sa.String(20))  # as written: "IV", "5"
    label: Mapped[str] = mapped_column(sa.String(300))  # "Rozdział IV", "§ 5"
    heading: Mapped[str | None] = mapped_column(sa.String(500))

    version: Mapped[DraftVersion] = relationship(back_populates="sections")
    parent: Mapped["Section | None"] = relationship(remote_side=[id])


class Paragraph(Model):
    """The smallest commentable unit of a draft."""

    __tablename__ = "paragraphs"
    __table_args__ = (sa.UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    # The identity of the provision, not of its number: a paragraph carried over into a
    # new version keeps its key however it is renumbered, so links (#p-<key>) keep
    # pointing at it. Unique in the consultation: a deleted provision's key is never
    # given to another one.
    key: Mapped[str] = mapped_column(sa.String(120))
    number: Mapped[str | None] = mapped_column(sa.String(20))  # as written: "1.", "2)", "a)"
    label: Mapped[str] = mapped_column(sa.String(300))  # "§ 3 ust. 2 pkt 4"
    level: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)

    version: Mapped[DraftVersion] = relationship(back_populates="paragraphs")
    section: Mapped[Section] = relationship()


class ProvisionMatch(Model):
    """An old provision (of ``based_on``) carried into a provision of a newer version.

    A new provision with no match was added, an old one with none was deleted; one old
    provision matched to several new ones was split, several old ones matched to one
    new one were merged. The kinds are read from the edges, never stored.
    """

    __tablename__ = "provision_matches"
    __table_args__ = (sa.UniqueConstraint("old_paragraph_id", "new_paragraph_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True)
    old_paragraph_id: Mapped[int] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="CASCADE"), index=True)
    new_paragraph_id: Mapped[int] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="CASCADE"), index=True)

    new_paragraph: Mapped[Paragraph] = relationship(foreign_keys=[new_paragraph_id])


class LinkOrigin(enum.Enum):
    SUGGESTED = "suggested"  # proposed by the platform when the version was made
    OFFICIAL = "official"  # set or confirmed by an official


class ChangeComment(CreatedAtMixin, Model):
    """A comment behind a change a version made: what the office changed, and who asked.

    ``provision_key`` names the change within the version: the key its provision has
    in that version, or had before, for a deletion.
    """

    __tablename__ = "change_comments"
    __table_args__ = (sa.UniqueConstraint("version_id", "provision_key", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True)
    provision_key: Mapped[str] = mapped_column(sa.String(120))
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    origin: Mapped[LinkOrigin] = mapped_column(enum_type(LinkOrigin), default=LinkOrigin.SUGGESTED)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # By name: comments build on drafts (the comparison reads the linked comment's number through it).
    comment: Mapped["Comment"] = relationship(viewonly=True)
