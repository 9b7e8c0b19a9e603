"""Which provisions of a new draft version are which provisions of the previous one.

Pure functions over texts and positions: no database, no Flask. A provision is found
by what it says and where it stands, never by its number, because the number is what
a revision changes first (a point inserted at the top of a list renumbers every point
below it).

The answer is a set of edges ``(old index, new index)``:

* one old and one new provision joined only to each other: the same provision (kept,
  changed or moved);
* one old joined to several new: split; several old joined to one new: merged;
* a new provision without an edge was added, an old one without an edge deleted.

:func:`assign_keys` then says which new provision inherits which old key: keys are the
identity of a provision, so renumbering never changes them.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from consult.core.text import slugify

Edge = tuple[int, int]  # (index in the old version, index in the new version)

# A changed provision must keep at least this share of its words (Dice coefficient of
# the word multisets, then the order-aware ratio of difflib) to count as the same one.
SAME_PROVISION = 0.5
# Between two provisions already matched exactly, a candidate standing in the same gap
# of the old version needs less: position is evidence too.
SAME_PROVISION_IN_PLACE = 0.4
# A part of a split (or a merged-in provision) must have this share of its words in
# the provision it came from (or went into).
CONTAINED = 0.75
# Common words ("w", "i", "organizacji") say little about identity; a word in more than
# this many provisions does not propose candidates (it still counts in the score).
COMMON_WORD_SHARE = 0.2

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-case words without punctuation: "1) pomocy społecznej," -> ["1", "pomocy", "społecznej"]."""
    return _WORD.findall((text or "").casefold())


def _dice(a: Counter, b: Counter, size_a: int, size_b: int) -> float:
    if not size_a or not size_b:
        return 0.0
    return 2 * sum((a & b).values()) / (size_a + size_b)


def similarity(old: Sequence[str], new: Sequence[str]) -> float:
    """How alike two word lists are, 0..1: the mean of word overlap and of order-aware matching."""
    if not old and not new:
        return 1.0
    if not old or not new:
        return 0.0
    dice = _dice(Counter(old), Counter(new), len(old), len(new))
    if dice < 0.2:
        return dice
    ratio = SequenceMatcher(None, old, new, autojunk=False).ratio()
    return (dice + ratio) / 2


def _contained(part: Counter, part_size: int, whole: Counter) -> float:
    """Share of ``part``'s words that ``whole`` also has."""
    return sum((part & whole).values()) / part_size if part_size else 0.0


class _Side:
    def __init__(self, texts: Sequence[str]) -> None:
        self.words = [words(t) for t in texts]
        self.counts = [Counter(w) for w in self.words]
        self.normal = [" ".join(w) for w in self.words]

    def __len__(self) -> int:
        return len(self.words)


def match_provisions(old_texts: Sequence[str], new_texts: Sequence[str]) -> set[Edge]:
    """Edges between the provisions of two versions, each list in document order."""
    old, new = _Side(old_texts), _Side(new_texts)
    edges: set[Edge] = set()
    old_matched: dict[int, int] = {}  # one-to-one matches so far
    new_matched: dict[int, int] = {}

    def join(i: int, j: int) -> None:
        edges.add((i, j))
        old_matched[i], new_matched[j] = j, i

    # 1. The same words in the same order: the provision, wherever it now stands. Among
    # repeated texts ("(uchylony)") the first unused one, which keeps their order.
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(old.normal):
        if text:
            by_text[text].append(i)
    for j, text in enumerate(new.normal):
        candidates = by_text.get(text)
        if candidates:
            join(candidates.pop(0), j)

    # 2. Changed wording: the most similar pairs first, helped by their place.
    gaps = _gaps(len(old), len(new), new_matched)
    scored = []
    for i, j, score in _candidates(old, new, old_matched, new_matched):
        low, high = gaps[j]
        in_place = low < i < high
        if score >= SAME_PROVISION or (in_place and score >= SAME_PROVISION_IN_PLACE):
            # Ties go to the pair standing in its gap, then to the nearer relative position.
            distance = abs(i / max(len(old), 1) - j / max(len(new), 1))
            scored.append((-score, not in_place, distance, i, j))
    for _score, _out, _distance, i, j in sorted(scored):
        if i not in old_matched and j not in new_matched:
            join(i, j)

    # 3. Splits and merges: an unmatched provision whose words sit inside a neighbour's match.
    _attach_parts(old, new, edges, old_matched, new_matched, reverse=False)
    _attach_parts(new, old, edges, new_matched, old_matched, reverse=True)
    return edges


def _gaps(old_count: int, new_count: int, new_matched: dict[int, int]) -> list[tuple[int, int]]:
    """For each new provision, the old indices of the nearest exact matches before and after it."""
    gaps = []
    low = -1
    for j in range(new_count):
        if j in new_matched:
            low = new_matched[j]
        gaps.append(low)
    result = [(0, 0)] * new_count
    high = old_count
    for j in range(new_count - 1, -1, -1):
        if j in new_matched:
            high = new_matched[j]
        result[j] = (gaps[j], high)
    return result


def _candidates(old: _Side, new: _Side, old_matched, new_matched) -> Iterable[tuple[int, int, float]]:
    """Unmatched pairs sharing an uncommon word, with their similarity."""
    free_old = [i for i in range(len(old)) if i not in old_matched]
    if not free_old:
        return
    postings: dict[str, list[int]] = defaultdict(list)
    for i in free_old:
        for word in old.counts[i]:
            postings[word].append(i)
    common = max(3, int(COMMON_WORD_SHARE * len(free_old)))
    for j in range(len(new)):
        if j in new_matched or not new.words[j]:
            continue
        seen: set[int] = set()
        rare = [word for word in new.counts[j] if 0 < len(postings.get(word, ())) <= common]
        # A provision of common words only is compared with every free old provision.
        pool = (i for word in rare for i in postings[word]) if rare else iter(free_old)
        for i in pool:
            if i in seen:
                continue
            seen.add(i)
            dice = _dice(old.counts[i], new.counts[j], len(old.words[i]), len(new.words[j]))
            if dice >= SAME_PROVISION_IN_PLACE - 0.1:
                yield i, j, similarity(old.words[i], new.words[j])


def _attach_parts(whole_side, part_side, edges, whole_matched, part_matched, *, reverse: bool) -> None:
    """Join unmatched provisions of ``part_side`` to the ``whole_side`` provision they were cut from.

    Called as (old, new) it finds splits: an unmatched new provision next to the match
    of an old one, made of that old one's words. Called as (new, old) it finds merges.
    ``reverse`` says the edges are written (part, whole) rather than (whole, part).
    """

    def edge(whole: int, part: int) -> Edge:
        return (part, whole) if reverse else (whole, part)

    parts_of: dict[int, list[int]] = defaultdict(list)
    for i, j in edges:
        whole, part = (j, i) if reverse else (i, j)
        parts_of[whole].append(part)

    def joined_similarity(whole: int, parts: list[int]) -> float:
        joined = [word for p in sorted(parts) for word in part_side.words[p]]
        return similarity(whole_side.words[whole], joined)

    free = [p for p in range(len(part_side)) if p not in part_matched and part_side.words[p]]
    for part in free:
        whole = _neighbour_cut_from(part, whole_side, part_side, part_matched, parts_of, joined_similarity)
        if whole is not None:
            edges.add(edge(whole, part))
            parts_of[whole].append(part)
            part_matched[part] = whole

    # A provision cut into parts none of which alone is similar enough: a run of
    # consecutive unmatched parts that together say what it said.
    for whole in range(len(whole_side)):
        if whole in whole_matched or not whole_side.words[whole]:
            continue
        run = _run_cut_from(whole, whole_side, part_side, part_matched, joined_similarity)
        for part in run:
            edges.add(edge(whole, part))
            part_matched[part] = whole
        if run:
            whole_matched[whole] = run[0]


def _neighbour_cut_from(part, whole_side, part_side, part_matched, parts_of, joined_similarity) -> int | None:
    """The matched provision next to ``part`` that ``part`` was cut from (joining it helps most), or None."""
    best: tuple[float, int] | None = None
    for neighbour in (part - 1, part + 1):
        whole = part_matched.get(neighbour)
        if whole is None:
            continue
        if _contained(part_side.counts[part], len(part_side.words[part]), whole_side.counts[whole]) < CONTAINED:
            continue
        before = joined_similarity(whole, parts_of[whole])
        after = joined_similarity(whole, [*parts_of[whole], part])
        if after > before and (best is None or after > best[0]):
            best = (after, whole)
    return None if best is None else best[1]


def _run_cut_from(whole, whole_side, part_side, part_matched, joined_similarity) -> list[int]:
    """Two or more consecutive unmatched parts that together say what ``whole`` said, or []."""
    run: list[int] = []
    for part in range(len(part_side)):
        usable = (
            part not in part_matched
            and part_side.words[part]
            and _contained(part_side.counts[part], len(part_side.words[part]), whole_side.counts[whole]) >= CONTAINED
        )
        if usable:
            run.append(part)
            continue
        if len(run) >= 2 and joined_similarity(whole, run) >= SAME_PROVISION:
            break
        run = []
    return run if len(run) >= 2 and joined_similarity(whole, run) >= SAME_PROVISION else []


def assign_keys(old_keys: Sequence[str], new_count: int, edges: Iterable[Edge]) -> list[str | None]:
    """The key each new provision inherits, or None where it needs a new one.

    A provision keeps the key of the first old provision joined to it, provided it is
    that provision's first part: the first part of a split keeps the key, the merged
    provision keeps the key of the first of those merged.
    """
    sources: dict[int, list[int]] = defaultdict(list)
    targets: dict[int, list[int]] = defaultdict(list)
    for i, j in edges:
        sources[j].append(i)
        targets[i].append(j)
    keys: list[str | None] = [None] * new_count
    used: set[int] = set()
    for j in range(new_count):
        for i in sorted(sources.get(j, ())):
            if i not in used and min(targets[i]) == j:
                keys[j] = old_keys[i]
                used.add(i)
                break
    return keys


def fresh_key(label: str, taken: set[str], version_number: int) -> str:
    """A readable key for a provision new in this version, never used before in the consultation.

    Version 1 reads like the label (#p-par-3-ust-2-pkt-4); a later version adds its
    number when the label's key belongs to another provision (#p-par-3-ust-2-pkt-1-v2).
    """
    base = slugify(label.replace("§", "par"), max_length=100) or "p"
    candidates = [base] if version_number <= 1 else [base, f"{base}-v{version_number}"]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    n = 2
    while f"{candidates[-1]}-{n}" in taken:
        n += 1
    key = f"{candidates[-1]}-{n}"
    taken.add(key)
    return key


def rank_candidates(paragraph, old_paragraphs: Sequence, matched_ids: set[int], limit: int) -> list:
    """The old provisions most like ``paragraph`` (those it is matched to first), for the official to choose from."""
    new_words = words(paragraph.text)
    scored = sorted(
        ((p.id not in matched_ids, -similarity(words(p.text), new_words), p.position, p) for p in old_paragraphs),
        key=lambda item: item[:3],
    )
    return [item[3] for item in scored[:limit]]
