"""Every string the code and templates show has a Polish translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _source_messages() -> set[str]:
    method_map = [("consult/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_user_visible_string_has_a_polish_translation():
    catalogue = read_po((ROOT / "consult/translations/pl/LC_MESSAGES/messages.po").open("rb"))
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string]) and not m.fuzzy
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], "Run `make messages` and translate: " + "; ".join(missing[:20])
