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
