"""Small text helpers shared across modules."""

import re
import unicodedata

# Polish letters that NFKD does not reduce to ASCII on its own.
_EXTRA_ASCII = str.maketrans({"ł": "l", "Ł": "L"})


def slugify(text: str, max_length: int = 80) -> str:
    """ "§ 3 ust. 2 pkt 4" -> "3-ust-2-pkt-4"; "Łódź" -> "lodz"."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_EXTRA_ASCII)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


# Control characters other than tab and newline: invisible, and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str | None) -> str:
    """Typed text as stored: line breaks as "\\n", no control characters, no outer spaces."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
