"""Quality, time and peak memory of consult/analysis (near-duplicates and themes).

    make bench-analysis   (or: PYTHONPATH=. .venv/bin/python bench/analysis.py [--sizes 3000 30000] [--no-themes]
                           [--seeds 10] [--random-provisions 0.25 0.5 1])

Quality, on the labelled evaluation set tests/data/analysis/comments.jsonl:

* near-duplicates: pairwise precision and recall against the campaigns (a pair of
  comments is positive when both belong to one campaign); goal ≥ 0.95 and ≥ 0.90;
* themes proposed by clustering (as many as there are labels), from the texts alone and
  with the provision each comment is on (its "provision" label; the web uses the
  comment's paragraph), with seed 0 and, with ``--seeds N``, the mean and the lowest
  figure over seeds 0..N-1; with ``--random-provisions F ...``, also with a share F of the
  provisions replaced by one drawn at random from the set's (seeded), which should be no worse
  than the texts alone (a § earns its pull by its comments' words);
* themes an official defines by name and description (tests/data/analysis/source.txt,
  refined once by the comments).

Both theme figures are the adjusted Rand index and the per-theme F1 against the labels (each
proposed theme matched to one label by the Hungarian method); goal F1 ≥ 0.75.

Scale, on sets of 3,000 and 30,000 comments made by bench/analysis_data.py: wall time and
peak memory of grouping (goal for 30,000: under a minute and under 1 GB) and of proposing
themes, each in a fresh process, so that the peaks do not mix. "Peak" is that process's
high-water resident set (VmHWM: Python, numpy, scikit-learn, the stemmer's table, the
comments and the work). The baseline, measured in the same process, is exact duplicates
after normalisation (one set of normalised texts): the ratios say what the near-duplicate
search costs on top of reading the texts.
"""

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_data  # noqa: E402  (a sibling script, not a package)

from consult.analysis import themes as th  # noqa: E402
from consult.analysis.duplicates import group_texts  # noqa: E402
from consult.analysis.text import normalise  # noqa: E402


def pair_scores(truth: list, predicted: list) -> tuple[float, float]:
    """Pairwise precision and recall of predicted groups against true ones (None: alone)."""
    cells = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t is not None and p is not None)
    both = sum(c * (c - 1) // 2 for c in cells.values())
    true_pairs = sum(c * (c - 1) // 2 for c in Counter(t for t in truth if t is not None).values())
    predicted_pairs = sum(c * (c - 1) // 2 for c in Counter(p for p in predicted if p is not None).values())
    return (both / predicted_pairs if predicted_pairs else 1.0), (both / true_pairs if true_pairs else 1.0)


def theme_scores(truth: list[str], predicted: list[str | None]) -> tuple[float, dict[str, float]]:
    """Adjusted Rand index and F1 per true theme, predicted themes matched one-to-one by the Hungarian method."""
    from scipy.optimize import linear_sum_assignment
    from sklearn.metrics import adjusted_rand_score

    predicted = [p if p is not None else "(none)" for p in predicted]
    labels, found = sorted(set(truth)), sorted(set(predicted))
    table = np.zeros((len(labels), len(found)))
    for t, p in zip(truth, predicted, strict=True):
        table[labels.index(t), found.index(p)] += 1
    rows, cols = linear_sum_assignment(-table)
    f1 = dict.fromkeys(labels, 0.0)
    for r, c in zip(rows, cols, strict=True):
        if found[c] != "(none)":
            f1[labels[r]] = 2 * table[r, c] / (table[r].sum() + table[:, c].sum())
    return adjusted_rand_score(truth, predicted), f1


def print_f1(title: str, ari: float, f1: dict[str, float], names: dict[str, str]) -> None:
    good = sum(v >= 0.75 for v in f1.values())
    print(f"{title}: ARI {ari:.3f}, mean F1 {np.mean(list(f1.values())):.3f}, {good}/{len(f1)} themes with F1 ≥ 0.75")
    for key, value in f1.items():
        print(f"    {value:5.2f}  {key:<18} {names.get(key, '')}")


def randomised(provisions: list[str], fraction: float) -> list[str]:
    """A share ``fraction`` of the provisions replaced by one of the set's drawn at random (seeded)."""
    import random

    rng = random.Random(1)
    labels = sorted(set(provisions))
    return [p if rng.random() >= fraction else rng.choice(labels) for p in provisions]


def quality(seeds: int, random_fractions: list[float]) -> None:
    rows = analysis_data.read_jsonl(analysis_data.EVALUATION_SET)
    texts = [row["text"] for row in rows]
    truth = [row["theme"] for row in rows]
    print(f"Evaluation set: {len(rows)} comments, {len({r['campaign'] for r in rows if r['campaign']})} campaigns, ")
    start = time.perf_counter()
    groups = group_texts(texts)
    took = time.perf_counter() - start
    precision, recall = pair_scores([row["campaign"] for row in rows], groups)
    print(f"Near-duplicates: precision {precision:.3f}, recall {recall:.3f} (goal ≥ 0.95 / ≥ 0.90), {took:.2f} s")
    by_variant: dict[str, list[bool]] = defaultdict(list)
    first_of: dict[str, int] = {}
    for row, group in zip(rows, groups, strict=True):
        if row["campaign"]:
            first_of.setdefault(row["campaign"], group)
            for mark in row["variant"].split("+"):
                by_variant[mark].append(group is not None and group == first_of[row["campaign"]])
    print("    campaign members found in their campaign's group, by what was done to the copy:")
    print("    " + ", ".join(f"{mark} {sum(v)}/{len(v)}" for mark, v in sorted(by_variant.items())))

    names = analysis_data.theme_names()
    provisions = [row["provision"] for row in rows]
    variants = [("from the texts alone", None), ("with the provision of each comment", provisions)]
    variants += [(f"with {f:.0%} of the provisions at random", randomised(provisions, f)) for f in random_fractions]
    for title, given in variants:
        start = time.perf_counter()
        proposal = th.propose(texts, len(names), groups, provisions=given)
        took = time.perf_counter() - start
        ari, f1 = theme_scores(truth, proposal.labels)
        print_f1(f"Themes proposed {title} ({len(names)} asked, seed 0, {took:.1f} s)", ari, f1, names)
        for theme in proposal.themes:
            print(f"    proposed {theme.key:<4} {theme.size:4d}  {theme.name}")
        if seeds > 1:
            print_seeds(texts, truth, groups, given, len(names), seeds)

    themes, _ = analysis_data.read_source()
    model = th.fit_model(texts, groups)
    model.themes = [th.define(model, key, theme.name, theme.description) for key, theme in themes.items()]
    refined = th.refine(model, texts)
    for title, used in (("defined by name and description", model), ("defined, refined once by the comments", refined)):
        labels = [(th.assign(used, text) or [th.Mapping("", 0)])[0].theme or None for text in texts]
        ari, f1 = theme_scores(truth, labels)
        print_f1(f"Themes {title}", ari, f1, names)


def print_seeds(texts, truth, groups, provisions, count: int, seeds: int) -> None:
    """Mean and lowest ARI and mean F1 over k-means seeds 0..seeds-1 (one seed's figure can be lucky)."""
    aris, f1s = [], []
    per_theme: dict[str, list[float]] = defaultdict(list)
    for seed in range(seeds):
        ari, f1 = theme_scores(truth, th.propose(texts, count, groups, seed=seed, provisions=provisions).labels)
        aris.append(ari)
        f1s.append(float(np.mean(list(f1.values()))))
        for key, value in f1.items():
            per_theme[key].append(value)
    print(
        f"    over seeds 0-{seeds - 1}: mean F1 {np.mean(f1s):.3f} (lowest {min(f1s):.3f}), "
        f"ARI {np.mean(aris):.3f} (lowest {min(aris):.3f})"
    )
    print("    mean F1 per theme: " + ", ".join(f"{key} {np.mean(v):.2f}" for key, v in per_theme.items()))


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _child(kind: str, size: int, connection) -> None:
    """One measurement in a fresh process (spawned: a forked BLAS thread pool can hang)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark
    except OSError:
        pass
    rows = analysis_data.scaled(size)
    texts = [row["text"] for row in rows]
    start = time.perf_counter()
    baseline_groups = len({normalise(text) for text in texts})
    baseline = time.perf_counter() - start
    stemmer = 0.0
    if kind.startswith("themes"):
        start = time.perf_counter()
        th.stem("organizacjami")
        stemmer = time.perf_counter() - start
    start = time.perf_counter()
    groups = group_texts(texts)
    if kind == "duplicates":
        took = time.perf_counter() - start
        precision, recall = pair_scores([row["campaign"] for row in rows], groups)
        result = f"{len({g for g in groups if g})} groups, precision {precision:.3f}, recall {recall:.3f}"
    else:
        provisions = [row["provision"] for row in rows] if kind == "themes+provisions" else None
        proposal = th.propose(texts, 15, groups, provisions=provisions)
        took = time.perf_counter() - start
        ari, f1 = theme_scores([row["theme"] for row in rows], proposal.labels)
        result = f"ARI {ari:.3f}, mean F1 {np.mean(list(f1.values())):.3f} (stemmer loaded in {stemmer:.1f} s)"
    connection.send((took, baseline, baseline_groups, _status("VmHWM"), result))
    connection.close()


def measure(label: str, kind: str, size: int) -> None:
    """Print the wall time, baseline ratio and peak memory of one kind of work on ``size`` comments."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(kind, size, sender))
    process.start()
    took, baseline, _, peak, result = receiver.recv()
    process.join()
    print(
        f"    {label:<28} {took:7.2f} s ({took / baseline:5.1f} × baseline {baseline:.2f} s)   "
        f"peak {peak / 2**20:5.0f} MB   {result}"
    )


def scale(sizes: list[int], with_themes: bool) -> None:
    for size in sizes:
        print(f"{size:,} comments, load {os.getloadavg()}:")
        measure("near-duplicate groups", "duplicates", size)
        if with_themes:
            measure("groups + 15 themes proposed", "themes", size)
            measure("  the same with provisions", "themes+provisions", size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[3000, 30000])
    parser.add_argument("--no-themes", action="store_true", help="time only the near-duplicate grouping")
    parser.add_argument("--no-quality", action="store_true", help="skip the evaluation set")
    parser.add_argument(
        "--seeds", type=int, default=1, help="also the mean and lowest theme figures over k-means seeds 0..N-1"
    )
    parser.add_argument(
        "--random-provisions",
        type=float,
        nargs="*",
        default=[],
        metavar="FRACTION",
        help="also themes with this share of the provisions replaced at random (robustness), e.g. 0.25 0.5 1",
    )
    args = parser.parse_args()
    print(f"Machine load (1, 5, 15 min): {os.getloadavg()}, {os.cpu_count()} cores")
    if not args.no_quality:
        quality(args.seeds, args.random_provisions)
    scale(args.sizes, not args.no_themes)


if __name__ == "__main__":
    main()
