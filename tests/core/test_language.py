"""No page speaks the other language: a Polish page shows no English interface text and an
English page no Polish interface text, on every page type of every kind of visitor.

The words looked for are the catalogue's own: its English source strings (msgid) on Polish
pages, its Polish translations (msgstr) on English pages. Content in the other language is
allowed where it is marked with ``lang`` (WCAG 3.1.2): an English page shows the Polish draft
inside ``lang="pl"``; the interface around it must be English.
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.scene import ADMIN_PAGES, MEMBER_PAGES, OFFICIAL_PAGES, PUBLIC_PAGES, expand

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# a word; a file name or a code with dots ("draft.md", "comment.hide") is one word
WORD = re.compile(r"[^\W\d_][\w'’-]*(?:\.\w+)*")
# Words both languages write alike (names, formats, abbreviations), whatever the catalogue pairs them with.
SHARED = {"ePUAP", "CSV", "PDF", "DOCX", "ODT", "XLSX", "JSON", "KRS", "NIP", "REGON", "BIP", "Atom", "iCal", "RODO"}
SKIPPED_TAGS = {"script", "style", "template"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


@cache
def _catalogue() -> list[tuple[str, str]]:
    """(English, Polish) for every translated message, plural forms included."""
    pairs = []
    with (ROOT / "consult/translations/pl/LC_MESSAGES/messages.po").open("rb") as po:
        for message in read_po(po):
            if not message.id or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for english in ids:
                for polish in strings:
                    if polish and polish != english:
                        pairs.append((english, polish))
    return pairs


def _fragments(message: str, other_side: set[str]) -> set[str]:
    """The runs of words of ``message`` between its placeholders and markup that the other
    language never writes the same way (so "Status" or "e-mail" say nothing)."""
    found = set()
    for part in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", message)):
        words = WORD.findall(part)
        text = " ".join(part.split()).strip(" .,:;–—-()[]«»\"'")
        if not words or all(w in SHARED for w in words) or text in other_side:
            continue
        if len(words) == 1 and (len(words[0]) < 4 or words[0].lower() in other_side):
            continue
        found.add(text)
    return found


@cache
def _foreign_words(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The interface text of the other language: single words, and longer phrases."""
    pairs = _catalogue()
    english = {e for e, _ in pairs}
    polish = {p for _, p in pairs}
    english_words = {w.lower() for e in english for w in WORD.findall(e)}
    polish_words = {w.lower() for p in polish for w in WORD.findall(p)}
    if lang == "pl":  # English words that are not also Polish words
        fragments = set().union(*(_fragments(e, polish_words) for e in english))
    else:
        fragments = set().union(*(_fragments(p, english_words) for p in polish))
        # a Polish phrase without a Polish letter may also be English ("Program", "Status")
        fragments = {f for f in fragments if any(c in POLISH_LETTERS for c in f) or " " in f}
    single = frozenset(f for f in fragments if " " not in f)
    return single, tuple(sorted(f for f in fragments if " " in f))


class _ShownText(HTMLParser):
    """The text a reader sees or hears, without the parts marked as the other language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, other_lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.other_lang = other_lang
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from this check)
        self.chunks: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = self._hidden() or tag in SKIPPED_TAGS or (attrs.get("lang") or "").startswith(self.other_lang)
        if not hidden:
            self.chunks.extend(attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.chunks.append(data)


def foreign_text(html: str, lang: str, context: bool = False) -> list[str]:
    """Interface text of the other language on a page in ``lang`` (an empty list: none);
    with ``context``, each with the text around it."""
    parser = _ShownText("en" if lang == "pl" else "pl")
    parser.feed(html)
    found: dict[str, str] = {}
    single, phrases = _foreign_words(lang)
    for chunk in parser.chunks:
        text = " ".join(chunk.split())
        hits = [w for w in set(WORD.findall(text)) if w in single]
        hits += [p for p in phrases if p in text and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        for hit in hits:
            found.setdefault(hit, text[:120])
    longest = sorted(f for f in found if not any(f != g and f in g for g in found))
    return [f"{f} «{found[f]}»" for f in longest] if context else longest


def test_the_check_finds_english_on_a_polish_page_and_polish_on_an_english_page():
    polish_page = (
        '<main><h1>Moderacja</h1><select><option>partly accepted</option></select><p lang="en">Noted</p></main>'
    )
    english_page = '<main><h1>Moderation</h1><p>Zgłoś uwagę</p><blockquote lang="pl">Usuń</blockquote></main>'
    assert foreign_text(polish_page, "pl") == ["partly accepted"]
    assert foreign_text('<button title="Hide">x</button>', "pl") == ["Hide"]
    assert foreign_text(english_page, "en") == ["Zgłoś uwagę"]
    assert foreign_text("<p>Konsultacje: status, PDF, e-mail</p>", "pl") == []


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(
    ("who", "paths"),
    [(None, PUBLIC_PAGES), ("member", MEMBER_PAGES), ("official", OFFICIAL_PAGES), ("admin", ADMIN_PAGES)],
    ids=["public", "member", "official", "admin"],
)
def test_no_page_shows_interface_text_of_the_other_language(client, login, scene, who, paths, lang):
    if who:
        login(scene[who])
    leaks = {}
    for path in paths:
        url = expand(path, scene)
        response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert response.status_code == 200, url
        found = foreign_text(response.get_data(as_text=True), lang, context=True)
        if found:
            leaks[path] = found
    assert leaks == {}, "\n".join(f"{path}: {found}" for path, found in leaks.items())
