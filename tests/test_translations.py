"""Every string the code and templates show has a Polish translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}


def _source_messages() -> set[tuple[str | None, str]]:
    """(context, message) of every string the code and templates show."""
    method_map = [("consult/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        ROOT, method_map, options, keywords=KEYWORDS
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def test_every_user_visible_string_has_a_polish_translation():
    catalogue = read_po((ROOT / "consult/translations/pl/LC_MESSAGES/messages.po").open("rb"))
    translated = {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string]) and not m.fuzzy
    }
    missing = sorted(_source_messages() - translated, key=lambda cm: (cm[0] or "", cm[1]))
    assert missing == [], "Run `make messages` and translate: " + "; ".join(
        f"{c}|{m}" if c else m for c, m in missing[:20]
    )
