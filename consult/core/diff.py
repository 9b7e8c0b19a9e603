"""Word-by-word difference between two wordings: a comment's proposal against the
wording it was made on, and a provision in one draft version against another.

The result reads without colour: deleted and inserted words are ``<del>`` and
``<ins>`` (struck through and underlined, with bracket markers from the stylesheet),
each opened by a visually hidden "deleted:" / "inserted:" that screen readers
announce. Every piece of text is escaped here; nothing a user typed becomes markup.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from consult.core.labels import CONTENT_LANGUAGE

# A word with the whitespace after it, so the rendered text keeps its line breaks.
_TOKEN = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class DiffPart:
    op: Literal["equal", "delete", "insert"]
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[DiffPart]:
    """Runs of equal, deleted and inserted words; a replacement is a deletion then an insertion."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    # Compare words, not their trailing whitespace: a re-wrapped line is not a change.
    matcher = SequenceMatcher(None, [t.rstrip() for t in old_tokens], [t.rstrip() for t in new_tokens], autojunk=False)
    parts: list[DiffPart] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("equal", "".join(new_tokens[j1:j2])))
            continue
        if op in ("delete", "replace"):
            parts.append(DiffPart("delete", "".join(old_tokens[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(DiffPart("insert", "".join(new_tokens[j1:j2])))
    return parts


def has_changes(parts: list[DiffPart]) -> bool:
    return any(part.op != "equal" for part in parts)


def _marked(tag: Literal["del", "ins"], announcement: str, text: str, announcement_lang: Markup) -> Markup:
    # Trailing whitespace goes outside the tag, so the marker closes right after the word.
    words = text.rstrip()
    trailing = text[len(words) :]
    # The words sit in their own span so that the stylesheet can strike or underline them
    # and not the bracket markers around them (which must not break away from the words).
    return Markup(
        '<{tag} class="diff-{tag}"><span class="visually-hidden"{lang}>{announcement} </span>'
        '<span class="diff-words">{words}</span></{tag}>{trailing}'
    ).format(tag=Markup(tag), lang=announcement_lang, announcement=announcement, words=words, trailing=trailing)


def render_diff(parts: list[DiffPart] | tuple[DiffPart, ...]) -> Markup:
    """The texts marked up; the container is marked as Polish on other pages (``content_lang()``),
    so the announcements, in the page's language, say which language they are in."""
    deleted, inserted = _("deleted:"), _("inserted:")
    language = get_locale().language if get_locale() is not None else CONTENT_LANGUAGE
    announcement_lang = Markup("") if language == CONTENT_LANGUAGE else Markup(' lang="{}"').format(language)
    html = []
    for part in parts:
        if part.op == "equal":
            html.append(escape(part.text))
        elif part.op == "delete":
            html.append(_marked("del", deleted, part.text, announcement_lang))
        else:
            html.append(_marked("ins", inserted, part.text, announcement_lang))
    return Markup("").join(html)


@lru_cache(maxsize=8192)
def _cached_render(old: str, new: str, locale: str) -> Markup:
    # A page lists thousands of comments whose texts rarely change; the result depends only
    # on the two texts and the language of the announcements.
    return render_diff(word_diff(old, new))


def render_word_diff(old: str | None, new: str | None) -> Markup:
    """Template filter: ``{{ current|word_diff(proposed) }}``."""
    return _cached_render(old or "", new or "", str(get_locale()))


def _side(old: str | None, new: str | None, keep: str) -> Markup:
    return render_diff([part for part in word_diff(old or "", new or "") if part.op in ("equal", keep)])


def render_old_side(old: str | None, new: str | None) -> Markup:
    """The left column of a side-by-side comparison: the old wording, deletions marked."""
    return _side(old, new, "delete")


def render_new_side(old: str | None, new: str | None) -> Markup:
    """The right column: the new wording, insertions marked."""
    return _side(old, new, "insert")
