"""Normalising the text of a comment before comparing it with others.

Two comments of one campaign differ in case, Polish letters typed or not, spacing,
punctuation, the greeting in front and the signature at the end. :func:`normalise`
removes all of these, so what is left is what the comment says. Pure functions, no
Flask: the command line, the background jobs and the tests call the same code.
"""

import re
import unicodedata

# Polish letters that NFKD does not reduce to ASCII on its own.
_EXTRA_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "đ": "d"})

# A salutation at the very start, up to its comma, exclamation mark or line end.
_GREETING = re.compile(
    r"""^\s*(?:
        (?:szanown\w*|drog\w*|drodzy|wielce\s+szanown\w*)\s+(?:pani\w*|pan\w*|państw\w*|państwo|panstw\w*|
            urzędni\w*|urzedni\w*|radn\w*|prezydent\w*|dyrektor\w*|komisj\w*)(?:[ \t]+[^\s,!.:;]+){0,4}
      | dzień\s+dobry | dzien\s+dobry | witam(?:\s+serdecznie|\s+państwa|\s+panstwa)?
      | witajcie | cześć | czesc | hej
    )\s*[,!.:;]?[ \t]*\n?""",
    re.IGNORECASE | re.VERBOSE,
)

# "W imieniu Fundacji X zgłaszamy następującą uwagę:" - who sends it, not what it says.
_ON_BEHALF = re.compile(
    r"^\s*(?:w\s+imieniu|jako\s+(?:przedstawiciel\w*|prezes\w*|członk\w*|czlonk\w*))\b[^.:\n]{0,200}?"
    r"\b(?:zgłasz|zglasz|przesył|przesyl|składa|sklada|przedstawia|wnosi|prze?kazuj|proponuj)\w*"
    r"[^.:\n]{0,120}?[.:]\s*",
    re.IGNORECASE,
)

# A closing formula; it and everything after it (names, functions, addresses) is the signature.
_CLOSING = re.compile(
    r"""(?:^|[\s.,!])(?:
        z\s+(?:wyrazami\s+)?(?:poważaniem|powazaniem|szacunkiem|szacunku)
      | z\s+wyrazami\s+szacunku
      | (?:serdecznie\s+|ciepło\s+|cieplo\s+)?pozdrawiam\w*(?:\s+serdecznie)?
      | (?:serdeczne\s+)?pozdrowienia
      | łączę\s+\w+ | łączymy\s+\w+ | laczę\s+\w+ | lacze\s+\w+
      | z\s+góry\s+dziękuj\w* | z\s+gory\s+dziekuj\w*
      | z\s+nadzieją\s+na\s+(?:pozytywne|przychylne)\s+\w+ | z\s+nadzieja\s+na\s+(?:pozytywne|przychylne)\s+\w+
      | dziękuj\w*\s+za\s+(?:uwagę|uwage|możliwość|mozliwosc|rozpatrzenie|uwzględnienie|uwzglednienie)
      | dziekuj\w*\s+za\s+(?:uwagę|uwage|możliwość|mozliwosc|rozpatrzenie|uwzględnienie|uwzglednienie)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A signature separator on a line of its own ("-- ").
_SEPARATOR = re.compile(r"\n--\s*\n")
_NON_WORD = re.compile(r"[\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")

# A closing formula counts only near the end: "z góry dziękujemy" may open a sentence elsewhere.
_CLOSING_TAIL_SHARE = 0.35
_CLOSING_TAIL_MIN = 200


def fold(text: str) -> str:
    """Lower case, no Polish letters: "Łąka Żółta" -> "laka zolta"."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA_ASCII)))


def strip_courtesy(text: str) -> str:
    """The comment without its greeting, "on behalf of" opening, closing formula and signature."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    separator = _SEPARATOR.search(text)
    if separator:
        text = text[: separator.start()]
    for _ in range(3):  # "Szanowni Państwo,\nDzień dobry! W imieniu ..." - several in a row
        shorter = _ON_BEHALF.sub("", _GREETING.sub("", text, count=1), count=1)
        if shorter == text:
            break
        text = shorter
    tail_start = max(0, min(len(text) - _CLOSING_TAIL_MIN, int(len(text) * (1 - _CLOSING_TAIL_SHARE))))
    closing = _CLOSING.search(text, tail_start)
    if closing and closing.start() > 0:
        text = text[: closing.start() + 1]
    return text.strip()


def normalise(text: str) -> str:
    """What a comment says, for comparing: no courtesy, case, diacritics, punctuation or extra spaces."""
    folded = fold(strip_courtesy(text))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of a text, roughly (for building and checking the evaluation set)."""
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part.strip()]
