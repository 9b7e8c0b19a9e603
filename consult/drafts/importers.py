"""Turn an uploaded draft (Markdown / plain text, .docx or .odt) into a document tree.

Pure functions: no database and no Flask app are needed. Every problem with the
input raises :class:`~consult.core.errors.DraftImportError` with a translated message.

Every format is first reduced to one stream of :class:`_Line` objects and then fed to
the same :class:`_DraftBuilder`, so there is a single grammar of Polish legal drafts:

* sections: preamble, chapters ("Rozdział IV"), § units ("§ 5") and other headed parts;
* paragraphs (the smallest commentable units): ustęp ``1.``, punkt ``1)``, litera
  ``a)``, tiret ``-``/``–`` and unnumbered text blocks.

Numbering is kept exactly as written, never renumbered: a consultation is about the
text the authority published, so labels must point at the numbers people see.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import docx
from docx.document import Document as WordDocument
from docx.oxml.exceptions import InvalidXmlError
from docx.oxml.ns import qn
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _

from consult.core.errors import DraftImportError
from consult.core.text import clean_text

MAX_FILE_BYTES = 5 * 1024 * 1024
# A .docx is a zip archive: 5 MB packed can inflate to gigabytes ("zip bomb"),
# so the unpacked size is checked before python-docx reads the parts into memory.
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024

TEXT_EXTENSIONS = (".md", ".markdown", ".txt")
DOCX_EXTENSIONS = (".docx",)
ODT_EXTENSIONS = (".odt",)

# Paragraph levels, from the numbering form (never from indentation).
USTEP, PUNKT, LITERA, TIRET = 0, 1, 2, 3

OUTLINE_TEXT_CHARS = 60
# A plain line after an untitled "Rozdział II" longer than this is body text, not a title.
MAX_CHAPTER_TITLE_CHARS = 100
# What a tiret shows when Word draws the bullet itself (the glyph is not in the text).
WORD_TIRET = "–"


# --------------------------------------------------------------------------- result


@dataclass
class ParsedParagraph:
    number: str | None  # as written: "1.", "2)", "a)", "–"; None for unnumbered text
    label: str  # e.g. "§ 3 ust. 2 pkt 4 lit. a", "Preambuła akapit 2"
    text: str  # own text without the number, line breaks joined with a space
    level: int  # USTEP (also unnumbered text), PUNKT, LITERA or TIRET


@dataclass
class ParsedSection:
    kind: str  # "preamble" | "chapter" | "paragraph" (a § unit) | "part"
    number: str | None  # as written without the word: "IV", "5"; None for preamble/part
    label: str  # "Preambuła", "Rozdział IV", "§ 5", or the heading text of a part
    heading: str | None  # title next to the label ("Cele programu"); None if untitled,
    # and always None for preamble and parts, whose label already is their heading
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
    children: list[ParsedSection] = field(default_factory=list)


@dataclass
class ParsedDraft:
    title: str | None
    sections: list[ParsedSection]

    def iter_sections(self) -> Iterator[tuple[ParsedSection, int]]:
        """All sections depth-first in document order, with depth (0 = top level)."""

        def walk(sections: list[ParsedSection], depth: int) -> Iterator[tuple[ParsedSection, int]]:
            for section in sections:
                yield section, depth
                yield from walk(section.children, depth + 1)

        return walk(self.sections, 0)

    def iter_paragraphs(self) -> Iterator[tuple[ParsedSection, ParsedParagraph]]:
        """All paragraphs in document order with the section holding them.

        A section's own paragraphs always precede its children in the source (text
        after a nested heading belongs to that heading), so pre-order is document order.
        """
        for section, _depth in self.iter_sections():
            for paragraph in section.paragraphs:
                yield section, paragraph

    @property
    def section_count(self) -> int:
        return sum(1 for _item in self.iter_sections())

    @property
    def paragraph_count(self) -> int:
        return sum(1 for _item in self.iter_paragraphs())

    def outline(self) -> list[str]:
        """Preview lines: ``"<label>\\t<start of text>"``, one per paragraph."""
        return [f"{p.label}\t{_shorten(p.text)}" for _section, p in self.iter_paragraphs()]


def _shorten(text: str) -> str:
    if len(text) <= OUTLINE_TEXT_CHARS:
        return text
    return text[:OUTLINE_TEXT_CHARS].rstrip() + "…"


# --------------------------------------------------------------------------- entry points


def parse_file(filename: str, data: bytes) -> ParsedDraft:
    """Parse an uploaded file, choosing the format by its extension."""
    extension = PurePath(filename).suffix.lower()
    if extension not in TEXT_EXTENSIONS + DOCX_EXTENSIONS + ODT_EXTENSIONS:
        raise DraftImportError(
            _(
                'The file "%(name)s" has an unsupported type. Allowed types: %(allowed)s.',
                name=filename,
                allowed=", ".join(TEXT_EXTENSIONS + DOCX_EXTENSIONS + ODT_EXTENSIONS),
            )
        )
    if len(data) > MAX_FILE_BYTES:
        raise DraftImportError(_("The file is too large. The limit is %(limit)s.", limit=_megabytes(MAX_FILE_BYTES)))
    if not data:
        raise DraftImportError(_("The file is empty."))
    if extension in DOCX_EXTENSIONS:
        return parse_docx(data)
    if extension in ODT_EXTENSIONS:
        return parse_odt(data)
    return parse_markdown(_decode_text(data))


def parse_markdown(text: str) -> ParsedDraft:
    """Parse Markdown or plain text (the grammar is line based; see the module doc)."""
    text = clean_text(text)  # control characters out; Word's pasted \x0b and \x0c as line breaks
    if not text:
        raise DraftImportError(_("The file is empty."))
    return _build(_markdown_lines(text))


def parse_docx(data: bytes) -> ParsedDraft:
    """Parse a Word .docx document, recomputing Word's automatic numbering."""
    document = _open_docx(data)
    try:
        lines = list(_docx_lines(document))
    # python-docx reads lazily: malformed XML in a package that opened fine fails only
    # when a style or an attribute is read, with one of these.
    except (AttributeError, KeyError, ValueError, InvalidXmlError):
        raise DraftImportError(_not_docx()) from None
    if not any(line.text for line in lines):
        raise DraftImportError(_("The document contains no text."))
    return _build(lines)


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _decode_text(data: bytes) -> str:
    # Notepad's "Unicode" is UTF-16: it is full of NUL bytes, but calling it binary
    # would mislead the user, so the encoding advice comes first.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DraftImportError(_not_utf8())
    if b"\x00" in data:
        raise DraftImportError(
            _("The file contains binary data, not text. If it is a Word document, save it as .docx and upload that.")
        )
    try:
        # "utf-8-sig" also accepts (and drops) the BOM that Windows editors write.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftImportError(_not_utf8()) from None


def _not_utf8() -> str:
    return _("The file is not UTF-8 text. Save it with UTF-8 encoding and upload it again.")


# --------------------------------------------------------------------------- line stream


@dataclass(frozen=True)
class _Line:
    """One line of the source with the file-format markup already removed.

    An empty ``text`` is a blank line: it ends the paragraph being continued.
    """

    text: str = ""
    heading: int | None = None  # heading level: Markdown "#" count or Word "Heading N"
    is_title: bool = False  # Word "Title" style
    number: str | None = None  # number Word draws itself (it is not part of ``text``)
    level: int = USTEP  # paragraph level belonging to ``number``


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?$")
# "---", "***", "___" (thematic breaks) and "===" (setext underlines) carry no text.
_MD_RULE = re.compile(r"^([-*_=])(?:\s*\1){2,}$")


def _markdown_lines(text: str) -> Iterator[_Line]:
    for raw in text.splitlines():
        line = raw.strip()
        if _MD_RULE.match(line):
            yield _Line()
        elif match := _MD_HEADING.match(line):
            yield _Line(_unwrap_emphasis(match[2]), heading=len(match[1]))
        else:
            yield _Line(line)


# --------------------------------------------------------------------------- grammar

# "1." ustęp, "1)" punkt, "a)" litera, "-"/"–"/"*" tiret. "1a." and "2a)" are units
# inserted by a later amendment. Pandoc escapes a typed "1." as "1\." in Markdown
# converted from Word, hence the optional backslash (dropped from the number).
_NUMBERING = re.compile(
    r"""^(?:
        (?P<ustep>\d+[a-z]{0,2}\\?\.)
      | (?P<punkt>\d+[a-z]{0,2}\\?\))
      | (?P<litera>[a-z]{1,2}\\?\))
      | (?P<tiret>[-–—*•])
    )(?:\s+(?P<text>.*))?$""",
    re.VERBOSE,
)
_LEVEL_GROUPS = {"ustep": USTEP, "punkt": PUNKT, "litera": LITERA, "tiret": TIRET}

# Emphasis (up to bold italic) wrapped around a whole heading line.
_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})([^*_]+)\1$")
# In _CHAPTER and _UNIT "[*_]{0,3}" lets the token itself be bold, as in pandoc's
# "**§ 1.** Tekst"; the rest of such a line is body text and keeps its markup.
_PREAMBLE = re.compile(r"^(?i:preambuła|wstęp)[.:]?$")
_CHAPTER = re.compile(
    r"^[*_]{0,3}(?i:rozdział)\s+(?P<number>[IVXLCDM]+|\d+[a-z]?)[*_]{0,3}"
    # The title follows ". ", " – ", ": " or just a space and a capital letter; without
    # that, "Rozdział 3 stosuje się odpowiednio." is a sentence, not a chapter.
    r"(?:(?:\s*[.:–—-][*_]{0,3}|\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ]))\s*(?P<title>.*))?$"
)
_UNIT = re.compile(r"^[*_]{0,3}§\s*(?P<number>\d+[a-z]{0,2})(?P<dot>\.)?[*_]{0,3}(?:\s+(?P<rest>.*))?$")


def _unwrap_emphasis(text: str) -> str:
    match = _EMPHASIS.match(text)
    return match[2].strip() if match else text


def _match_unit(text: str, *, heading: bool) -> re.Match[str] | None:
    """Match a "§ 5" line that opens a § unit.

    Without the dot a lowercase continuation is a cross-reference in running text
    ("§ 5 ust. 2 otrzymuje brzmienie"), not a new unit; a heading is always a unit.
    """
    match = _UNIT.match(text)
    if match is None or heading or match["dot"] or not match["rest"]:
        return match
    return None if match["rest"][0].islower() else match


def _is_structural(text: str) -> bool:
    return bool(_PREAMBLE.match(text) or _CHAPTER.match(text) or text.lstrip("*_").startswith("§"))


def _bare(number: str) -> str:
    """The number as used in a label: "2)" -> "2", "1\\." -> "1"."""
    return number.replace("\\", "").rstrip(".)")


@dataclass
class _Position:
    """The last ustęp / punkt / litera seen in the current section, for labels."""

    ustep: str | None = None
    punkt: str | None = None
    litera: str | None = None
    tirets: int = 0
    blocks: int = 0  # unnumbered text blocks so far

    def suffix(self, number: str | None, level: int) -> str:
        """Advance past a paragraph and return what its label adds to the section's."""
        if number is None:
            self.blocks += 1
            return f" akapit {self.blocks}"
        # A unit resets everything below it: pkt 1 of ust. 2 is not pkt 1 of ust. 1.
        if level == USTEP:
            self.ustep, self.punkt, self.litera, self.tirets = _bare(number), None, None, 0
        elif level == PUNKT:
            self.punkt, self.litera, self.tirets = _bare(number), None, 0
        elif level == LITERA:
            self.litera, self.tirets = _bare(number), 0
        else:
            self.tirets += 1
        parts = [
            f" ust. {self.ustep}" if self.ustep else "",
            f" pkt {self.punkt}" if self.punkt else "",
            f" lit. {self.litera}" if self.litera else "",
            f" tiret {self.tirets}" if level == TIRET else "",
        ]
        return "".join(parts)


class _DraftBuilder:
    """Consumes the line stream and grows the section tree."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.sections: list[ParsedSection] = []
        self._chapter: ParsedSection | None = None
        # Heading level of the open chapter; None when it was a plain "Rozdział II" line.
        self._chapter_level: int | None = None
        self._section: ParsedSection | None = None  # where paragraphs go
        self._position = _Position()
        self._open: ParsedParagraph | None = None  # the paragraph a plain line continues
        # Its continuation lines, joined once it closes: joining line by line would be
        # quadratic for a long file of hard-wrapped lines without blank lines.
        self._continuation: list[str] = []
        self._untitled_chapter: ParsedSection | None = None  # waits for its title line
        self._started = False  # a non-blank line was seen (the title must come first)
        self._in_title = False  # the previous non-blank line was a Word "Title" line
        self._label_uses: dict[str, int] = {}

    def feed(self, line: _Line) -> None:
        if not line.text:
            self._close_paragraph()
            return
        first, self._started = not self._started, True
        if self._take_title(line, first):
            return
        if self._untitled_chapter is not None:
            chapter, self._untitled_chapter = self._untitled_chapter, None
            if _is_chapter_title(line):
                chapter.heading = _unwrap_emphasis(line.text)
                return
        if line.number is not None:
            self._add(line.number, line.level, line.text)
        elif line.heading is not None:
            self._heading(line)
        elif not self._structure(line.text, heading_level=None):
            self._body(line.text)

    def _take_title(self, line: _Line, first: bool) -> bool:
        # Word titles often span several "Title" paragraphs (UCHWAŁA NR … / RADY MIASTA …).
        if line.is_title and (first or self._in_title):
            self.title = f"{self.title} {line.text}" if self.title else line.text
            self._in_title = True
            return True
        self._in_title = False
        if first and line.heading == 1 and not _is_structural(line.text):
            self.title = line.text
            return True
        return False

    def _heading(self, line: _Line) -> None:
        assert line.heading is not None
        if self._structure(line.text, heading_level=line.heading):
            return
        # A heading as high as the open chapter's own heading ends the chapter
        # (e.g. "## Załącznik" after "## Rozdział V"); a lower one is a part of it.
        if self._chapter_level is not None and line.heading <= self._chapter_level:
            self._chapter = self._chapter_level = None
        self._open_section(ParsedSection("part", None, line.text, None), nested=True)

    def _structure(self, text: str, heading_level: int | None) -> bool:
        """Open the preamble, chapter or § unit the line starts; False if it starts none."""
        text = _unwrap_emphasis(text)
        if _PREAMBLE.match(text):
            self._chapter = self._chapter_level = None
            self._open_section(ParsedSection("preamble", None, "Preambuła", None), nested=False)
            return True
        if match := _CHAPTER.match(text):
            number, title = match["number"], match["title"] or None
            chapter = ParsedSection("chapter", number, f"Rozdział {number}", title)
            self._open_section(chapter, nested=False)
            self._chapter, self._chapter_level = chapter, heading_level
            self._untitled_chapter = None if title else chapter
            return True
        if match := _match_unit(text, heading=heading_level is not None):
            number, rest = match["number"], match["rest"]
            heading = rest if heading_level is not None else None
            self._open_section(ParsedSection("paragraph", number, f"§ {number}", heading), nested=True)
            if rest and heading_level is None:
                # "§ 5. 1. Tekst" starts ustęp 1; "§ 5. Tekst" is the § unit's own text.
                if _NUMBERING.match(rest):
                    self._body(rest)
                else:
                    self._add(None, USTEP, rest, bare_label=True)
            return True
        return False

    def _body(self, text: str) -> None:
        if match := _NUMBERING.match(text):
            group = next(name for name in _LEVEL_GROUPS if match[name])
            number = match[group].replace("\\", "")
            self._add(number, _LEVEL_GROUPS[group], match["text"] or "")
        elif self._open is not None:
            self._continuation.append(text)
        else:
            self._add(None, USTEP, text)

    def _add(self, number: str | None, level: int, text: str, *, bare_label: bool = False) -> None:
        if self._section is None:
            # Text before any heading (e.g. "Na podstawie art. …") is the preamble.
            self._open_section(ParsedSection("preamble", None, "Preambuła", None), nested=False)
        assert self._section is not None
        self._close_paragraph()
        suffix = self._position.suffix(number, level)
        label = self._unique(self._section.label + ("" if bare_label else suffix))
        paragraph = ParsedParagraph(number, label, text.strip(), level)
        self._section.paragraphs.append(paragraph)
        self._open = paragraph

    def _unique(self, label: str) -> str:
        # Numbering is never corrected, so a draft may repeat "1." in one §;
        # labels still have to identify one paragraph each.
        uses = self._label_uses.get(label, 0) + 1
        self._label_uses[label] = uses
        return label if uses == 1 else f"{label} ({uses})"

    def _open_section(self, section: ParsedSection, *, nested: bool) -> None:
        """Append a section (inside the open chapter when ``nested``) and make it current."""
        siblings = self._chapter.children if nested and self._chapter else self.sections
        siblings.append(section)
        self._section = section
        self._position = _Position()
        self._close_paragraph()
        self._untitled_chapter = None

    def _close_paragraph(self) -> None:
        if self._open is not None and self._continuation:
            self._open.text = " ".join([self._open.text, *self._continuation]).strip()
        self._open = None
        self._continuation = []

    def finish(self) -> ParsedDraft:
        self._close_paragraph()
        draft = ParsedDraft(self.title, self.sections)
        if draft.paragraph_count == 0:
            raise DraftImportError(
                _("No paragraphs were found in the document. It must contain text, not only a title and headings.")
            )
        return draft


def _is_chapter_title(line: _Line) -> bool:
    """Whether the line right after an untitled "Rozdział II" is that chapter's title."""
    if line.number is not None:
        return False
    text = _unwrap_emphasis(line.text)
    if _is_structural(text):
        return False
    if line.heading is not None:
        return True
    return (
        len(text) <= MAX_CHAPTER_TITLE_CHARS
        and not _NUMBERING.match(text)
        # A line ending like this introduces a list or goes on: it is body text.
        and not text.endswith((":", ";", ","))
    )


def _build(lines: Iterable[_Line]) -> ParsedDraft:
    builder = _DraftBuilder()
    for line in lines:
        builder.feed(line)
    return builder.finish()


# --------------------------------------------------------------------------- writing


def markdown_of(draft: ParsedDraft) -> str:
    """The draft written in the grammar above, so that :func:`parse_markdown` reads it back
    to the same sections, numbers, labels and texts: what the editor in the browser shows.

    Chapters and other top-level parts are "##" headings, parts inside a chapter "###"; a
    § unit is its own line ("§ 5.", or "§ 5. text" when the unit has a text of its own);
    every paragraph is one line with its number as written, followed by a blank line.
    """
    lines: list[str] = [f"# {draft.title}", ""] if draft.title else []

    def write(section: ParsedSection, depth: int) -> None:
        paragraphs = list(section.paragraphs)
        if section.kind == "preamble":
            lines.extend(["## Preambuła", ""])
        elif section.kind == "chapter":
            lines.extend([f"## Rozdział {section.number}" + (f". {section.heading}" if section.heading else ""), ""])
        elif section.kind == "paragraph":
            unit = f"§ {section.number}."
            if section.heading:
                lines.extend([f"{'#' * (2 + min(depth, 1))} {unit} {section.heading}", ""])
            elif paragraphs and paragraphs[0].number is None and paragraphs[0].label == section.label:
                lines.extend([f"{unit} {paragraphs.pop(0).text}".rstrip(), ""])
            else:
                lines.extend([unit, ""])
        else:
            lines.extend([f"{'#' * (2 + min(depth, 1))} {section.label}", ""])
        for paragraph in paragraphs:
            lines.extend([f"{paragraph.number} {paragraph.text}".rstrip() if paragraph.number else paragraph.text, ""])
        for child in section.children:
            write(child, depth + 1)

    for section in draft.sections:
        write(section, 0)
    return "\n".join(lines)


# --------------------------------------------------------------------------- docx

_HEADING_STYLE = re.compile(r"^(?:heading|nagłówek)\s+(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|tytuł)$", re.IGNORECASE)
# "List Number 2" is the second nesting level of Word's built-in list styles.
_LIST_NUMBER_STYLE = re.compile(r"^list number(?:\s+(\d))?$", re.IGNORECASE)


def _not_docx() -> str:
    return _("The file is not a valid .docx document.")


def _open_docx(data: bytes) -> WordDocument:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DraftImportError(_not_docx()) from None
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise DraftImportError(
            _(
                "The unpacked .docx document is larger than %(limit)s.",
                limit=_megabytes(MAX_DOCX_UNPACKED_BYTES),
            )
        )
    try:
        document = docx.Document(io.BytesIO(data))
    # A broken package surfaces as whatever failed first (KeyError for a missing part,
    # ValueError for another Office format, lxml's XMLSyntaxError, zlib.error, …);
    # python-docx has no common base class, and only the open call is guarded here.
    except Exception:
        raise DraftImportError(_not_docx()) from None
    # python-docx accepts a main part in a wrong namespace or without a body; Word does not.
    if document.element.tag != qn("w:document") or document.element.body is None:
        raise DraftImportError(_not_docx())
    return document


# Word stores a text box twice: for new readers (mc:Choice) and for old ones (mc:Fallback).
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _docx_lines(document: WordDocument) -> Iterator[_Line]:
    styles = _WordStyles()
    lists = _WordLists(document)
    # Every w:p in document order, so text in tables, content controls and text boxes is kept.
    for element in document.element.body.iter(qn("w:p")):
        if next(element.iterancestors(_MC_FALLBACK), None) is not None:
            continue
        paragraph = Paragraph(element, document)
        yield from _paragraph_lines(paragraph, styles.of(paragraph), lists)
        # A Word paragraph is a paragraph: the next one never continues it.
        yield _Line()


def _paragraph_lines(paragraph: Paragraph, style: _Style, lists: _WordLists) -> Iterator[_Line]:
    text = paragraph.text.strip()
    if _TITLE_STYLE.match(style.name):
        yield _Line(_one_line(text), heading=1, is_title=True)
        return
    if heading := _HEADING_STYLE.match(style.name):
        yield _Line(_one_line(text), heading=int(heading[1]))
        return
    numbered = lists.number(paragraph, style)  # counted even when empty: Word shows the number
    if numbered is not None:
        if text:
            yield _Line(_one_line(text), number=numbered[0], level=numbered[1])
        return
    # Soft line breaks (Shift+Enter) become lines, so hand-typed numbers after them count.
    for line in text.split("\n"):
        yield _Line(line.strip())


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


@dataclass(frozen=True)
class _Style:
    """What the importer needs of a paragraph style, with its base styles resolved."""

    name: str
    num_id: str | None  # list the style (or a style it is based on) puts paragraphs in
    ilvl: int | None


class _WordStyles:
    """Paragraph styles by id, each resolved once.

    python-docx looks a paragraph's style up by XPath over all styles on every access,
    which made a 20 000-paragraph document take 20 s instead of 1 s.
    """

    def __init__(self) -> None:
        self._resolved: dict[str | None, _Style] = {}

    def of(self, paragraph: Paragraph) -> _Style:
        pPr = paragraph._p.pPr
        style_id = _val(pPr, "w:pStyle") if pPr is not None else None
        if style_id not in self._resolved:
            # Falls back to the default paragraph style, as Word does for unknown ids.
            self._resolved[style_id] = _resolve_style(paragraph.style)
        return self._resolved[style_id]


def _resolve_style(style: ParagraphStyle | None) -> _Style:
    name = (style.name if style is not None else None) or ""
    num_id: str | None = None
    ilvl: int | None = None
    seen: set[str | None] = set()  # a malformed file can make "based on" go round in a circle
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        own_id, own_ilvl = _numbering_of(style.element.pPr)
        num_id = num_id if num_id is not None else own_id
        ilvl = ilvl if ilvl is not None else own_ilvl
        style = style.base_style
    return _Style(name, num_id, ilvl)


class _WordLists:
    """Recomputes the numbers Word draws in front of automatically numbered paragraphs.

    Counting follows Word: one count per list and level, continued by every paragraph of
    that list (all w:num instances of one w:abstractNum), started again by a
    w:startOverride ("Restart numbering" / "Set numbering value"). Legal structure adds
    one rule: a higher level advancing restarts the lower levels of all lists, because
    Word's built-in "List Number" and "List Number 2" are separate lists, yet used
    together they are ustępy and their punkty.

    The form of the number comes from the level, not from w:lvlText: level 0 is an
    ustęp "1.", level 1 a punkt "1)", level 2 a litera "a)", deeper levels and bullets
    are tirets.

    The numbering definitions are read into dictionaries up front, tolerating bad
    values, because they come from an uploaded file.
    """

    def __init__(self, document: WordDocument) -> None:
        self._abstract_of: dict[str, str | None] = {}  # numId -> abstractNumId
        self._start_overrides: dict[tuple[str, int | None], int] = {}  # (numId, ilvl) -> start
        self._levels: dict[tuple[str | None, int | None], tuple[str, int]] = {}  # -> (numFmt, start)
        numbering = _numbering_element(document)
        if numbering is not None:
            for abstract in numbering.iterchildren(qn("w:abstractNum")):
                for lvl in abstract.iterchildren(qn("w:lvl")):
                    start = _int(_val(lvl, "w:start"))
                    key = (abstract.get(qn("w:abstractNumId")), _int(lvl.get(qn("w:ilvl"))))
                    self._levels[key] = (_val(lvl, "w:numFmt") or "decimal", 1 if start is None else start)
            for num in numbering.iterchildren(qn("w:num")):
                num_id = num.get(qn("w:numId"), "")
                self._abstract_of[num_id] = _val(num, "w:abstractNumId")
                for override in num.iterchildren(qn("w:lvlOverride")):
                    value = _int(_val(override, "w:startOverride"))
                    if value is not None:
                        self._start_overrides[(num_id, _int(override.get(qn("w:ilvl"))))] = value
        self._counts: dict[tuple[str | None, int], int] = {}  # (abstractNumId, level) -> last
        self._overridden: set[tuple[str, int | None]] = set()  # start overrides already applied

    def number(self, paragraph: Paragraph, style: _Style) -> tuple[str, int] | None:
        """The (number, level) Word shows for the paragraph; None if it is not a list item."""
        num_id, ilvl = _numbering_of(paragraph._p.pPr)
        num_id = num_id if num_id is not None else style.num_id
        ilvl = ilvl if ilvl is not None else style.ilvl
        # numId 0 switches numbering off; an undefined list shows no number in Word either.
        if num_id is None or num_id not in self._abstract_of:
            return None
        list_id = self._abstract_of[num_id]
        number_format, start = self._levels.get((list_id, ilvl or 0), ("decimal", 1))
        if number_format == "none":
            return None
        level = max(0, ilvl if ilvl is not None else _list_style_depth(style.name))
        if number_format == "bullet" or level >= TIRET:
            return WORD_TIRET, TIRET
        override = (num_id, ilvl or 0)
        if override in self._start_overrides and override not in self._overridden:
            self._overridden.add(override)
            count = self._start_overrides[override]
        else:
            last = self._counts.get((list_id, level))
            count = start if last is None else last + 1
        self._counts[(list_id, level)] = count
        for deeper in [key for key in self._counts if key[1] > level]:
            del self._counts[deeper]
        return _format_number(count, level), level


def _numbering_element(document: WordDocument) -> BaseOxmlElement | None:
    try:
        return document.part.numbering_part.element
    except NotImplementedError:
        # python-docx tries to create a missing numbering.xml and cannot; a document
        # without it simply has no automatic lists.
        return None


def _val(parent: BaseOxmlElement, tag: str) -> str | None:
    """The w:val of the child ``tag``, as the raw string."""
    child = parent.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _numbering_of(pPr: CT_PPr | None) -> tuple[str | None, int | None]:
    """numId and ilvl of a w:numPr in paragraph or style properties (None when absent).

    python-docx has no public API for list membership, hence the oxml access; values
    are read raw because python-docx's typed accessors raise on malformed ones.
    """
    numPr = pPr.numPr if pPr is not None else None
    if numPr is None:
        return None, None
    return _val(numPr, "w:numId"), _int(_val(numPr, "w:ilvl"))


def _list_style_depth(style_name: str) -> int:
    """Level implied by "List Number N" when no w:ilvl says otherwise ("List Number 2" -> 1)."""
    match = _LIST_NUMBER_STYLE.match(style_name)
    return int(match[1]) - 1 if match and match[1] else 0


def _format_number(count: int, level: int) -> str:
    if level == USTEP:
        return f"{count}."
    if level == PUNKT:
        return f"{count})"
    # Word's lowerLetter: a … z, then aa, bb, …; a start below 1 cannot be a letter.
    count = max(count, 1)
    letter = chr(ord("a") + (count - 1) % 26) * ((count - 1) // 26 + 1)
    return f"{letter})"


# --------------------------------------------------------------------------- odt
#
# An OpenDocument text is read straight from its content.xml (and styles.xml, for the
# styles of named lists and of the title), with an XML parser that resolves no
# entities and fetches nothing. Lists are numbered by the reader, as in Word: the
# number comes from the nesting depth (ustęp, punkt, litera, then tirets), and the
# count goes on across lists that say text:continue-numbering.

_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _odf(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_ODF[prefix]}}}{local}"


def _not_odt() -> str:
    return _("The file is not a valid .odt document.")


def parse_odt(data: bytes) -> ParsedDraft:
    """Parse an OpenDocument text (.odt), recomputing the numbers of its lists."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED_BYTES:
                raise DraftImportError(
                    _(
                        "The unpacked .odt document is larger than %(limit)s.",
                        limit=_megabytes(MAX_DOCX_UNPACKED_BYTES),
                    )
                )
            names = set(archive.namelist())
            if "content.xml" not in names or ("mimetype" in names and archive.read("mimetype").strip() != ODT_MIMETYPE):
                raise DraftImportError(_not_odt())
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            content = etree.fromstring(archive.read("content.xml"), parser)
            styles = etree.fromstring(archive.read("styles.xml"), parser) if "styles.xml" in names else None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, zlib.error, EOFError):
        raise DraftImportError(_not_odt()) from None
    body = content.find(f"{_odf('office:body')}/{_odf('office:text')}")
    if body is None:
        raise DraftImportError(_not_odt())
    lines = list(_OdtReader(content, styles).lines(body))
    if not any(line.text for line in lines):
        raise DraftImportError(_("The document contains no text."))
    return _build(lines)


class _OdtReader:
    def __init__(self, content, styles) -> None:
        self._list_formats: dict[tuple[str, int], str] = {}  # (list style, level 1..) -> "1", "a", "bullet", ""
        self._title_styles = {"Title"}
        for root in (r for r in (styles, content) if r is not None):
            for list_style in root.iter(_odf("text:list-style")):
                name = list_style.get(_odf("style:name"), "")
                for level_style in list_style:
                    level = _int(level_style.get(_odf("text:level"))) or 1
                    if level_style.tag == _odf("text:list-level-style-bullet"):
                        self._list_formats[(name, level)] = "bullet"
                    elif level_style.tag == _odf("text:list-level-style-number"):
                        self._list_formats[(name, level)] = level_style.get(_odf("style:num-format"), "")
            for style in root.iter(_odf("style:style")):
                if style.get(_odf("style:parent-style-name")) in self._title_styles or style.get(
                    _odf("style:name")
                ) in ("Title", "Tytuł"):
                    self._title_styles.add(style.get(_odf("style:name"), ""))
        self._counts: dict[int, int] = {}  # level -> last number, for the list being read
        self._list_style: str = ""

    def lines(self, container) -> Iterator[_Line]:
        for element in container:
            tag = element.tag
            if tag == _odf("text:h"):
                level = _int(element.get(_odf("text:outline-level"))) or 1
                yield _Line(_one_line(_odt_text(element)), heading=min(max(level, 1), 6))
                yield _Line()
            elif tag == _odf("text:p"):
                text = _odt_text(element)
                if element.get(_odf("text:style-name")) in self._title_styles:
                    yield _Line(_one_line(text), heading=1, is_title=True)
                else:
                    for line in text.split("\n"):
                        yield _Line(line.strip())
                yield _Line()
            elif tag == _odf("text:list"):
                if element.get(_odf("text:continue-numbering")) != "true" and not element.get(
                    _odf("text:continue-list")
                ):
                    self._counts = {}
                self._list_style = element.get(_odf("text:style-name")) or self._list_style
                yield from self._list(element, 1)
            elif tag in (_odf("text:section"), _odf("table:table"), _odf("table:table-row"), _odf("table:table-cell")):
                yield from self.lines(element)
            elif tag in (_odf("table:table-header-rows"), _odf("table:table-rows")):
                yield from self.lines(element)

    def _list(self, element, level: int) -> Iterator[_Line]:
        style = element.get(_odf("text:style-name")) or self._list_style
        for item in element:
            numbered = item.tag == _odf("text:list-item")
            if not numbered and item.tag != _odf("text:list-header"):
                continue
            first = True
            for child in item:
                if child.tag == _odf("text:list"):
                    yield from self._list(child, level + 1)
                    continue
                if child.tag not in (_odf("text:p"), _odf("text:h")):
                    continue
                text = _one_line(_odt_text(child))
                number = self._number(style, level, item) if numbered and first else None
                first = False
                if number is not None and text:
                    yield _Line(text, number=number[0], level=number[1])
                elif text:
                    yield _Line(text)
                yield _Line()

    def _number(self, style: str, level: int, item) -> tuple[str, int] | None:
        number_format = self._list_formats.get((style, level), "1")
        if number_format == "":
            return None
        depth = level - 1
        if number_format == "bullet" or depth >= TIRET:
            return WORD_TIRET, TIRET
        start = _int(item.get(_odf("text:start-value")))
        count = start if start is not None else self._counts.get(depth, 0) + 1
        self._counts[depth] = count
        for deeper in [d for d in self._counts if d > depth]:
            del self._counts[deeper]
        return _format_number(count, depth), depth


def _odt_text(element) -> str:
    """The text of a paragraph: spans, links and spaces kept, notes and deleted changes left out."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _odf("text:s"):
            parts.append(" " * (_int(child.get(_odf("text:c"))) or 1))
        elif tag == _odf("text:tab"):
            parts.append("\t")
        elif tag == _odf("text:line-break"):
            parts.append("\n")
        elif tag in (_odf("text:note"), _odf("text:tracked-changes"), _odf("office:annotation")):
            pass
        elif tag == _odf("draw:frame"):
            pass
        else:
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
