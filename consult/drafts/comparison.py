"""The difference between two versions of a draft, provision by provision.

Pure functions: the provisions of both versions and the edges between them (see
:mod:`consult.drafts.matching`) in, a list of :class:`Change` out. Versions further
apart are compared through the edges of every version in between, composed.
"""

import bisect
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from consult.core.diff import DiffPart, has_changes, word_diff


class ChangeKind(enum.Enum):
    KEPT = "kept"
    CHANGED = "changed"
    ADDED = "added"
    DELETED = "deleted"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"


# The order of the summary ("2 changed, 1 added, …").
SUMMARY_KINDS = (
    ChangeKind.CHANGED,
    ChangeKind.ADDED,
    ChangeKind.DELETED,
    ChangeKind.MOVED,
    ChangeKind.SPLIT,
    ChangeKind.MERGED,
)


@dataclass(frozen=True)
class Provision:
    """A paragraph as a comparison sees it."""

    id: int
    key: str
    label: str
    text: str
    position: int  # document order within its version


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    old: tuple[Provision, ...]  # in document order; empty for an added provision
    new: tuple[Provision, ...]  # empty for a deleted provision
    words_changed: bool  # the wording differs (a moved, split or merged one may keep every word)
    receipts: tuple[int, ...] = field(default=())  # comments an official linked to the change
    # Comments the platform suggested and no official has confirmed yet: officials see them
    # (to confirm or remove), nobody else does.
    suggested: tuple[int, ...] = field(default=())

    @property
    def key(self) -> str:
        """Identifies the change: the key its provision has after it (or had, if deleted)."""
        return self.new[0].key if self.new else self.old[0].key

    @property
    def old_text(self) -> str:
        return " ".join(p.text for p in self.old)

    @property
    def new_text(self) -> str:
        return " ".join(p.text for p in self.new)

    @property
    def old_label(self) -> str:
        return ", ".join(p.label for p in self.old)

    @property
    def new_label(self) -> str:
        return ", ".join(p.label for p in self.new)

    @property
    def diff(self) -> list[DiffPart]:
        return word_diff(self.old_text, self.new_text)

    @property
    def anchor(self) -> str:
        return f"change-{self.key}"


def compose(steps: Sequence[Iterable[tuple[int, int]]]) -> set[tuple[int, int]]:
    """Edges from the first version to the last, through each step's edges (old id, new id)."""
    composed: set[tuple[int, int]] | None = None
    for step in steps:
        step_edges = set(step)
        if composed is None:
            composed = step_edges
            continue
        forward: dict[int, list[int]] = defaultdict(list)
        for middle, new in step_edges:
            forward[middle].append(new)
        composed = {(old, new) for old, middle in composed for new in forward.get(middle, ())}
    return composed or set()


def _components(old: Sequence[Provision], new: Sequence[Provision], edges: set[tuple[int, int]]):
    """Groups of provisions joined by edges (union-find over ids; old and new ids never collide)."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    old_ids = {p.id for p in old}
    new_ids = {p.id for p in new}
    for old_id, new_id in edges:
        if old_id in old_ids and new_id in new_ids:
            parent[find(old_id)] = find(new_id)
    groups: dict[int, tuple[list[Provision], list[Provision]]] = defaultdict(lambda: ([], []))
    for p in old:
        groups[find(p.id)][0].append(p)
    for p in new:
        groups[find(p.id)][1].append(p)
    return list(groups.values())


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[at] = value
            tail_index[at] = index
        previous[index] = tail_index[at - 1] if at else -1
    result: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        result.add(index)
        index = previous[index]
    return result


def compare(old: Sequence[Provision], new: Sequence[Provision], edges: Iterable[tuple[int, int]]) -> list[Change]:
    """Every provision of both versions in one change each, in the new version's order.

    A deleted provision comes after the change of the provision that preceded it.
    Kept provisions are included (kind KEPT); :func:`changes_only` drops them.
    """
    old = sorted(old, key=lambda p: p.position)
    new = sorted(new, key=lambda p: p.position)
    groups = _components(old, new, set(edges))
    old_rank = {p.id: rank for rank, p in enumerate(old)}
    new_rank = {p.id: rank for rank, p in enumerate(new)}

    # Provisions present on both sides in an order the insertions and deletions do not
    # explain were moved: those outside the longest run that kept its order.
    linked = sorted((g for g in groups if g[0] and g[1]), key=lambda g: new_rank[g[1][0].id])
    in_order = _longest_increasing([old_rank[g[0][0].id] for g in linked])
    moved = {id(g) for index, g in enumerate(linked) if index not in in_order}

    changes: list[tuple[tuple[float, int], Change]] = []
    # Where each old provision's content went, to place deleted ones after their predecessor.
    new_place_of_old: dict[int, float] = {}
    for olds, news in groups:
        if news:
            for p in olds:
                new_place_of_old[old_rank[p.id]] = new_rank[news[0].id]
    for group in groups:
        olds, news = group
        words_changed = has_changes(word_diff(" ".join(p.text for p in olds), " ".join(p.text for p in news)))
        if not olds:
            kind = ChangeKind.ADDED
        elif not news:
            kind = ChangeKind.DELETED
        elif len(olds) == 1 and len(news) > 1:
            kind = ChangeKind.SPLIT
        elif len(olds) > 1:
            kind = ChangeKind.MERGED if len(olds) >= len(news) else ChangeKind.SPLIT
        elif id(group) in moved:
            kind = ChangeKind.MOVED
        elif words_changed or olds[0].text != news[0].text:
            kind = ChangeKind.CHANGED
        else:
            kind = ChangeKind.KEPT
        if news:
            order = (float(new_rank[news[0].id]), 0)
        else:
            rank = old_rank[olds[0].id]
            before = max((new_place_of_old[r] for r in range(rank) if r in new_place_of_old), default=-1.0)
            order = (before + 0.5, rank)
        changes.append((order, Change(kind, tuple(olds), tuple(news), words_changed)))
    changes.sort(key=lambda item: item[0])
    return [change for _order, change in changes]


def changes_only(changes: Iterable[Change]) -> list[Change]:
    return [c for c in changes if c.kind != ChangeKind.KEPT]


def summary(changes: Iterable[Change]) -> dict[ChangeKind, int]:
    counts = {kind: 0 for kind in SUMMARY_KINDS}
    for change in changes:
        if change.kind in counts:
            counts[change.kind] += 1
    return counts
