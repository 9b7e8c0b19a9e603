"""Small text helpers shared across modules."""

import re
import unicodedata

# Polish letters that NFKD does not reduce to ASCII on its own.
_EXTRA_ASCII = str.maketrans({"ł": "l", "Ł": "L"})
_FOLD_EXTRA = str.maketrans({"ł": "l", "ß": "ss", "ø": "o", "đ": "d"})
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s+")
_UNTYPABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters but tab and new line


# What a form or the address may not carry: C0 and C1 controls, DEL, and lone surrogates (which
# no encoding can store). Tab, new line and carriage return are text in a multi-line field.
_REFUSED_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def untypable_characters(text: str, *, multi_line: bool = False) -> bool:
    """True when ``text`` holds a character no one types and no database should store."""
    return (_REFUSED_MULTI_LINE if multi_line else _REFUSED_SINGLE_LINE).search(text) is not None


def strip_untypable(text: str) -> str:
    """``text`` without the characters :func:`untypable_characters` finds (a one-line value)."""
    return _REFUSED_SINGLE_LINE.sub("", text)


def clean_text(text: str | None) -> str:
    """Text as typed, without control characters (NUL included) and with Unix line ends, stripped."""
    text = _BREAKS.sub("\n", text or "")  # Word pastes a line break as \x0b, a page break as \x0c
    return _UNTYPABLE.sub("", text).strip()


# What XML 1.0 (and so DOCX and ODT) cannot hold: control characters but tab, line feed and
# carriage return; lone surrogates; U+FFFE and U+FFFF. The vertical tab and form feed Word
# pastes for a line or page break become a line break, not nothing.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("\r\n?|[\x0b\x0c]")


def xml_text(text: str | None) -> str:
    """``text`` as a word processor's XML can hold it: line breaks as "\\n", other control characters gone."""
    return _NOT_XML.sub("", _BREAKS.sub("\n", text or ""))


def one_line(text: str | None, limit: int | None = None) -> str:
    """``text`` on one line, for an e-mail header or a document property: control characters
    and line breaks (CR, LF, U+2028 …) become spaces, runs of white space one space, and a
    text over ``limit`` characters is cut with "…".

    An organisation name or a consultation title may carry a line break (pasted text);
    Python's e-mail library refuses such a header (and a mail server could be told extra
    headers by it), and a DOCX property holds at most 255 characters.
    """
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text or "")
    cleaned = " ".join(_NOT_XML.sub("", cleaned).split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def fold_for_search(text: str) -> str:
    """The form names are compared in, the same on every database: "  ŻÓŁW  Kraków" -> "zolw krakow".

    Case and diacritics are folded in Python, not by the database: SQLite's lower() knows only
    ASCII, and PostgreSQL's depends on the collation.
    """
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_FOLD_EXTRA))
    return _SPACES.sub(" ", _CONTROL.sub(" ", _COMBINING.sub("", folded))).strip()


def like_pattern(text: str) -> str:
    """A LIKE pattern finding ``text`` anywhere, its own % and _ taken literally (escape "\\")."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def slugify(text: str, max_length: int = 80) -> str:
    """ "§ 3 ust. 2 pkt 4" -> "3-ust-2-pkt-4"; "Łódź" -> "lodz"."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_EXTRA_ASCII)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")
