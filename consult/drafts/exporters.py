"""A version of the draft as a file: clean, or with the changes from an earlier version.

The changes are real tracked changes a word processor can accept or reject: ``w:ins``
and ``w:del`` in DOCX, ``text:tracked-changes`` with insertion and deletion regions in
ODT, each authored by the organiser and dated when the newer version was published.
The PDF marks them as the web page does (struck through and underlined, with words
for those who cannot see either).

:func:`clean_blocks` and :func:`tracked_blocks` turn versions into plain blocks;
each format draws the same blocks.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from xml.sax.saxutils import escape

from consult.core.diff import DiffPart, word_diff
from consult.core.text import one_line, xml_text
from consult.drafts.comparison import Change, ChangeKind
from consult.drafts.queries import Comparison, DocumentTree

INSERTED, DELETED = "inserted", "deleted"
PROPERTY_LIMIT = 255


@dataclass(frozen=True)
class Block:
    heading_level: int | None  # a section heading (1 = top level); None for a provision
    level: int  # a provision's level (ustęp 0, punkt 1, litera 2, tiret 3), for the indent
    parts: tuple[DiffPart, ...]
    whole: str | None = None  # the whole provision was INSERTED or DELETED


def _heading(node) -> str:
    section = node.section
    return f"{section.label}. {section.heading}" if section.heading else section.label


def _shown(number: str | None, text: str) -> str:
    return f"{number} {text}" if number else text


def printable_blocks(blocks: Iterable[Block]) -> list[Block]:
    """The blocks with text a word processor's XML (and a PDF's text) can hold: a control
    character stored in a provision (the vertical tab Word pastes) would make the file fail."""
    return [
        replace(block, parts=tuple(DiffPart(part.op, xml_text(part.text)) for part in block.parts)) for block in blocks
    ]


def clean_blocks(document: DocumentTree) -> list[Block]:
    blocks = []
    for node in document.iter_nodes():
        blocks.append(Block(node.section.depth + 1, 0, (DiffPart("equal", _heading(node)),)))
        for paragraph in node.paragraphs:
            blocks.append(Block(None, paragraph.level, (DiffPart("equal", _shown(paragraph.number, paragraph.text)),)))
    return blocks


def tracked_blocks(comparison: Comparison, older: DocumentTree, newer: DocumentTree) -> list[Block]:
    """The newer version's text with every change from the older one marked.

    A deleted provision stands where it stood, after the provision that preceded it; a
    moved one is deleted at its old place and inserted at its new one; the first part
    of a split provision (and a merged provision) shows the difference from the old
    wording, the other parts are inserted.
    """
    old_paragraphs = {p.id: p for node in older.iter_nodes() for p in node.paragraphs}
    old_shown = {pid: _shown(p.number, p.text) for pid, p in old_paragraphs.items()}
    change_of_new: dict[int, tuple[Change, int]] = {}
    for change in comparison.changes:
        for index, provision in enumerate(change.new):
            change_of_new[provision.id] = (change, index)

    # Where a deleted (or moved-away) provision goes: after the block of the nearest
    # preceding old provision that stays in place.
    staying = [
        (p.position, c.new[-1].id) for c in comparison.changes if c.new and c.kind != ChangeKind.MOVED for p in c.old
    ]
    ghosts: dict[int | None, list[Change]] = {}
    for change in comparison.changes:
        if change.kind in (ChangeKind.DELETED, ChangeKind.MOVED):
            position = change.old[0].position
            anchor = max((item for item in staying if item[0] < position), default=None)
            ghosts.setdefault(anchor[1] if anchor else None, []).append(change)

    def ghost_blocks(anchor: int | None) -> list[Block]:
        return [
            Block(None, old_paragraphs[p.id].level, (DiffPart("delete", old_shown[p.id]),), DELETED)
            for change in ghosts.get(anchor, [])
            for p in change.old
        ]

    blocks = ghost_blocks(None)
    for node in newer.iter_nodes():
        blocks.append(Block(node.section.depth + 1, 0, (DiffPart("equal", _heading(node)),)))
        for paragraph in node.paragraphs:
            shown = _shown(paragraph.number, paragraph.text)
            change, index = change_of_new[paragraph.id]
            if change.kind in (ChangeKind.ADDED, ChangeKind.MOVED) or index > 0:
                blocks.append(Block(None, paragraph.level, (DiffPart("insert", shown),), INSERTED))
            else:
                before = " ".join(old_shown[p.id] for p in change.old)
                blocks.append(Block(None, paragraph.level, tuple(word_diff(before, shown))))
            blocks.extend(ghost_blocks(paragraph.id))
    return blocks


# --------------------------------------------------------------------------- DOCX


def docx_bytes(title: str, subtitle: str, blocks: Iterable[Block], author: str, moment: datetime) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = docx.Document()
    # Core properties hold at most 255 characters (python-docx refuses more); a title may have 500.
    document.core_properties.title = one_line(title, PROPERTY_LIMIT)
    document.core_properties.author = one_line(author, PROPERTY_LIMIT)
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    date = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = iter(range(1, 10**9))

    def mark(tag: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(ids)))
        element.set(qn("w:author"), author)
        element.set(qn("w:date"), date)
        return element

    def run(text: str, deleted: bool):
        r = OxmlElement("w:r")
        t = OxmlElement("w:delText" if deleted else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        return r

    for block in blocks:
        if block.heading_level is not None:
            document.add_heading(block.parts[0].text, level=min(block.heading_level, 9))
            continue
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.75 * block.level)
        p = paragraph._p
        if block.whole:
            # The paragraph mark too: accepting a deletion removes the empty paragraph.
            properties = p.get_or_add_pPr()
            marks = OxmlElement("w:rPr")
            marks.append(mark("w:ins" if block.whole == INSERTED else "w:del"))
            properties.append(marks)
        for part in block.parts:
            if part.op == "equal":
                p.append(run(part.text, deleted=False))
            else:
                wrapper = mark("w:del" if part.op == "delete" else "w:ins")
                wrapper.append(run(part.text, deleted=part.op == "delete"))
                p.append(wrapper)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- ODT


def odt_bytes(title: str, subtitle: str, blocks: Iterable[Block], author: str, moment: datetime) -> bytes:
    from odfdo import Document, Element, Header, Paragraph, Style

    document = Document("text")
    document.meta.set_title(title)
    document.meta.set_initial_creator(author)
    for level in range(4):
        document.insert_style(
            Element.from_tag(
                f'<style:style style:name="ProvisionLevel{level}" style:family="paragraph">'
                f'<style:paragraph-properties fo:margin-left="{0.75 * level:.2f}cm"/></style:style>'
            ),
            automatic=True,
        )
    document.insert_style(Style("paragraph", name="Subtitle", display_name="Subtitle", italic=True))
    body = document.body
    body.append(Header(1, title))
    body.append(Paragraph(subtitle))
    date = moment.strftime("%Y-%m-%dT%H:%M:%S")
    info = (
        f"<office:change-info><dc:creator>{escape(author)}</dc:creator><dc:date>{date}</dc:date></office:change-info>"
    )
    regions: list[str] = []

    def region(kind: str, content: str = "") -> str:
        region_id = f"ct{len(regions) + 1}"
        regions.append(
            f'<text:changed-region text:id="{region_id}"><text:{kind}>{info}{content}</text:{kind}></text:changed-region>'
        )
        return region_id

    for block in blocks:
        if block.heading_level is not None:
            body.append(Header(min(block.heading_level + 1, 10), block.parts[0].text))
            continue
        pieces = []
        for part in block.parts:
            text = escape(part.text)
            if part.op == "equal":
                pieces.append(text)
            elif part.op == "insert":
                region_id = region("insertion")
                pieces.append(
                    f'<text:change-start text:change-id="{region_id}"/>{text}'
                    f'<text:change-end text:change-id="{region_id}"/>'
                )
            else:
                region_id = region("deletion", f"<text:p>{text}</text:p>")
                pieces.append(f'<text:change text:change-id="{region_id}"/>')
        style = f"ProvisionLevel{min(block.level, 3)}"
        body.append(Element.from_tag(f'<text:p text:style-name="{style}">{"".join(pieces)}</text:p>'))
    if regions:
        tracked = Element.from_tag(f"<text:tracked-changes>{''.join(regions)}</text:tracked-changes>")
        body.insert(tracked, position=0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- PDF


def pdf_bytes(html: str, stylesheet: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML  # heavy: loaded only when a PDF is made

    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=stylesheet)], pdf_variant="pdf/ua-1"
    )
