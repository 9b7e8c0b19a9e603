"""What a search asks for, and the words of a text it found: pure functions.

A searched word is folded (case and diacritics, ł → l) and cut to its stem by taking off the
longest Polish inflectional ending that leaves at least four letters: "organizacji" and
"organizacje" both become "organizacj", which the indexes match as a prefix (``organizacj*``),
so every form of the word that keeps that stem is found. Forms that change inside the word
("miasto" → "mieście") are not: a light stemmer, chosen for being predictable and cheap.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from consult.core.text import fold_for_search

MAX_QUERY = 200  # characters of a search, the rest ignored
MAX_TERMS = 8
MIN_STEM = 4
_WORD = re.compile(r"[^\W_]+")

# Endings of Polish nouns, adjectives and verbs (folded), longest first.
_ENDINGS = sorted(
    """
    owie owi ami ach ich ych ymi imi emu ego iej ej om ow em um ie ia iu io
    a e i o u y
    """.split(),
    key=len,
    reverse=True,
)


@dataclass(frozen=True)
class Terms:
    """The prefixes a search matches, folded; empty when it holds no word."""

    prefixes: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.prefixes)


def stem_prefix(word: str) -> str:
    """The folded word without its inflectional ending: the prefix its forms share."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def search_terms(query: str | None) -> Terms:
    """The words of a search as prefixes: at most 8 distinct, each at most 40 letters, none of one letter."""
    words = _WORD.findall(fold_for_search((query or "")[:MAX_QUERY]))
    prefixes: list[str] = []
    for word in words:
        if len(word) < 2:  # "w", "z", "i": in every text
            continue
        prefix = stem_prefix(word[:40])
        if prefix not in prefixes:
            prefixes.append(prefix)
    return Terms(tuple(prefixes[:MAX_TERMS]))


def _matches(word: str, terms: Terms) -> bool:
    folded = fold_for_search(word)
    return any(folded.startswith(prefix) for prefix in terms.prefixes)


def highlight(text: str, terms: Terms, *, around: int | None = None) -> Markup:
    """The text escaped, each word a search matched in ``<mark>``; with ``around``, only that many
    words on either side of the first match (an ellipsis where the text was cut)."""
    pieces = re.split(r"([^\W_]+)", text or "")  # words at odd positions
    marked = {i for i in range(1, len(pieces), 2) if _matches(pieces[i], terms)}
    start, end = 0, len(pieces)
    if around is not None and marked:
        first = min(marked)
        start, end = max(0, first - 2 * around), min(len(pieces), first + 2 * around + 1)
    parts = [Markup("… ") if start > 0 else Markup("")]
    for i in range(start, end):
        piece = escape(pieces[i])
        parts.append(Markup("<mark>%s</mark>") % piece if i in marked else piece)
    if end < len(pieces):
        parts.append(Markup(" …"))
    return Markup("").join(parts)
