"""English pages mark what people wrote in Polish with lang="pl" (WCAG 3.1.2): the draft, titles,
provisions, comments, answers, organisation names. A screen reader then reads it with Polish rules.
Polish pages need no marks: the whole page is Polish."""

from html.parser import HTMLParser

import pytest

from tests.scene import ADMIN_PAGES, MEMBER_PAGES, OFFICIAL_PAGES, PUBLIC_PAGES, expand

# Texts of the scene (tests/scene.py and the SMALL_DRAFT of tests/conftest.py), written in Polish.
CONTENT = [
    "Program współpracy na rok 2027",  # a consultation's title
    "Gmina współpracuje z organizacjami pozarządowymi.",  # a provision
    "Postanowienia ogólne",  # a chapter's heading
    "ustawie – należy przez to rozumieć",  # a provision, and the wording a comment proposes
    "Fundacja Dostępna",  # organisation names
    "Stowarzyszenie Drugie",
    "Uwzględniono częściowo.",  # the organiser's answer
    "Uwaga z pisma.",  # a comment's justification
    "Sala Obrad",  # a meeting's place
    "Omówienie projektu.",  # a meeting's description
    "Uzasadnienie projektu",  # a document's title
    "Słowniczek pojęć",  # a theme's description
]
# The <title> is one string in the page's language; a chart is an image (role="img", its text not
# read out), its figures repeated in a table that is checked.
SKIPPED = {"script", "style", "title", "svg"}


class _Unmarked(HTMLParser):
    """Known Polish texts met where the nearest lang is not "pl"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang of the element or inherited)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or (self.stack[-1][1] if self.stack else None)
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.stack or self.stack[-1][0] in SKIPPED or any(tag in SKIPPED for tag, _l in self.stack):
            return
        text = " ".join(data.split())
        for known in CONTENT:
            if known in text and self.stack[-1][1] != "pl":
                self.found.append(f"{known!r} in <{self.stack[-1][0]}> «{text[:80]}»")


def unmarked(html: str) -> list[str]:
    parser = _Unmarked()
    parser.feed(html)
    return parser.found


def test_the_check_finds_unmarked_polish_text():
    assert unmarked('<html lang="en"><p>Fundacja Dostępna</p></html>') == [
        "'Fundacja Dostępna' in <p> «Fundacja Dostępna»"
    ]
    assert unmarked('<html lang="en"><div lang="pl"><p>Fundacja Dostępna</p></div></html>') == []


@pytest.mark.parametrize(
    ("who", "paths"),
    [(None, PUBLIC_PAGES), ("member", MEMBER_PAGES), ("official", OFFICIAL_PAGES), ("admin", ADMIN_PAGES)],
    ids=["public", "member", "official", "admin"],
)
def test_english_pages_mark_polish_content(client, login, scene, who, paths):
    if who:
        login(scene[who])
    found = {}
    seen = 0
    for path in paths:
        url = expand(path, scene)
        html = client.get(url + ("&" if "?" in url else "?") + "lang=en").get_data(as_text=True)
        seen += sum(known in html for known in CONTENT)
        if problems := unmarked(html):
            found[path] = problems
    assert seen, "the pages show the scene's texts"
    assert found == {}, "\n".join(f"{path}: {problems}" for path, problems in found.items())


def test_polish_pages_need_no_marks(client, scene):
    html = client.get("/consultations/program-dostepny?lang=pl").get_data(as_text=True)
    assert "Gmina współpracuje z organizacjami pozarządowymi." in html
    assert 'lang="pl"' not in html.split("<body", 1)[1]  # the page is Polish as a whole
