"""Themes of comments: Polish stems, TF-IDF, clustering, names, representatives, confidence.

A comment becomes the stems of its words (``pystempel``'s Polimorf table reduces
"organizacjami", "organizacji" and "organizacje" to "organizacja"), weighted by TF-IDF.
The provision each comment is on, when given, is a soft feature beside its words: comments
on one § of the draft are nearer each other, as much as their words earn it (a § whose
comments say one thing pulls them together, a § whose comments say many things, or that
comments were put on at random, hardly at all); comments on one § that say different things
still fall apart by their words.
Comments of one near-duplicate group are one document, weighted by the square root of
their number (capped), so a campaign of 300 copies pulls its theme without becoming ten
themes of its own. Documents are clustered on the first five letters of their words,
folded (forms the stemmer splits or does not know fall together), reduced by LSA, by
k-means with several deterministic restarts; every comment gets its group's cluster. Each
cluster is proposed as a theme named after its key terms, with its three most typical
comments.

A theme, proposed or defined by an official (name and description), is kept as a
:class:`ThemeModel`: the IDF of the consultation's stems and each theme's weighted
terms. :func:`assign` maps any comment, old or new, to the themes it is near enough to,
with a confidence (cosine similarity to the theme's terms), with no clustering run again.
Pure functions; the command line, the background jobs and the tests call the same code.
"""

import gzip
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from consult.analysis.text import fold, strip_courtesy

MIN_CONFIDENCE = 0.12  # below this a comment is mapped to no theme
SECOND_THEME_SHARE = 0.8  # a further theme counts when its confidence is this close to the best
TERMS_KEPT = 40  # terms kept per theme in its model
LSA_DIMENSIONS = 30  # few: short comments share few words, the reduction joins words used together
KMEANS_RESTARTS = 20  # seeds 0..19 from ``seed``: the best of them, the same every run
PREFIX_LENGTH = 5
# The § a comment is on, beside its words: at most this much against the words' unit vector,
# times what the § earns and its share of a theme (see :func:`_provision_weights`). Chosen on
# the evaluation set over ten seeds (bench/analysis.py --seeds 10): 1.0 and 1.5 gain less,
# 2.5 is as good with its §§ right but worse with half of them random; a round value.
PROVISION_WEIGHT = 2.0

_WORD = re.compile(r"[^\W\d_]{3,}")
_UNIT = re.compile(r"(?:§|art\.)\s*\d+[a-z]*", re.IGNORECASE)  # "§ 6", "art. 19a": the unit a provision is in

# Function words and the words every comment on a draft uses (asking for a change of a paragraph's
# wording); they say nothing about its theme.
STOPWORDS = frozenset(
    """
    aby ale albo ani bardzo bez bo bowiem być będzie będą był była było były chcemy chcielibyśmy
    czy czyli dla dlatego do dość gdy gdyż gdzie go ich ile im innych iż jak jaki jakie jako jakoś je
    jego jej jest jeszcze jeśli jeżeli już każdy każdej każdego kiedy kilka kto która które którego
    której który których którym ku lub ma mają mamy może można mu musi na nad nam nas naszej naszych
    nasza nasze nasz naszym naszą nawet nic nie niech niego niej niż no o obecnie od oraz ono oni
    one po pod podczas ponieważ przed przez przy również sam sama się są ta tak takie taki także tam
    te tego tej ten też to tu tych tylko tym tymi tą w we więc wszystkie wszystkich wszystko wtedy z
    za zaś ze że żeby już dziś dzisiaj bardziej mniej często wiele wielu lat roku rok który która
    prosimy proponujemy postulujemy wnosimy proszę proponuję uważamy uważam należy powinien powinna
    powinno powinny zapis zapisu zapisie zapisać program programu programie programem projekt projektu
    projekcie uwaga uwagi uwagę miasto miasta mieście miastem gmina gminy organizacja organizacji
    organizacje organizacjom organizacjami organizacjach pozarządowych pozarządowe pozarządowym
    szczególnie przypadku sposób przykład przykładu np itp itd zł złotych
    zmiana zmiany zmianę zmiane zmianie zmian zmianach zmianami zmienić brzmienie brzmienia brzmieniu brzmi
    otrzymuje paragraf paragrafu paragrafie ustęp ustępu ustępie ust punkt punktu punkcie pkt art artykuł
    artykułu artykule dodanie dodać usunięcie usunąć skreślenie skreślić wykreślenie wykreślić
    """.split()
)
# Stems of the same words, compared after stemming.
_STOP_STEMS = frozenset({"organizacja", "miasto", "program", "projekt", "uwaga", "pozarządowy", "gmina"})


@cache
def _stemmer():
    """Stempel with the Polimorf table, loaded once (about 3 s, 11 MB) and quietly."""
    from pystempel import Stemmer
    from pystempel.streams import DataInputStream

    table = resources.files("pystempel.data.polimorf").joinpath("stemmer_polimorf.tbl.gz")
    with table.open("rb") as raw, gzip.open(raw, "rb") as stream:
        return Stemmer.from_stream(DataInputStream(stream))  # no size given: no progress bar


@cache
def stem(word: str) -> str:
    """The stem of a lower-case Polish word ("dotacjami" -> "dotacja"); the word itself if unknown."""
    try:
        result = _stemmer()(word)
    except (IndexError, KeyError, ValueError):  # the trie has no path for a few odd words
        result = None
    return result or word


def words(text: str) -> list[str]:
    """The content words of a comment in lower case, courtesy and stop words left out."""
    return [w for w in _WORD.findall(strip_courtesy(text).casefold()) if w not in STOPWORDS]


def stems(text: str) -> list[str]:
    return [s for s in (stem(w) for w in words(text)) if s not in _STOP_STEMS and len(s) > 2]


def prefixes(text: str) -> list[str]:
    """The first letters of the content words, case and diacritics folded ("dotacjami" -> "dotac")."""
    return [fold(w)[:PREFIX_LENGTH] for w in words(text)]


def _tf(stem_list: list[str]) -> dict[str, float]:
    counts = Counter(stem_list)
    return {term: 1.0 + math.log(count) for term, count in counts.items()}


@dataclass
class ThemeTerms:
    key: str  # "t1", "t2", … for proposals; anything for themes defined by an official
    name: str
    terms: dict[str, float]  # stem -> weight, unit length


@dataclass
class ThemeModel:
    """What mapping comments to themes needs, storable as JSON (:meth:`to_json`)."""

    idf: dict[str, float]
    themes: list[ThemeTerms] = field(default_factory=list)

    def vector(self, text: str) -> dict[str, float]:
        """The comment's TF-IDF weights over the model's stems, of unit length."""
        weights = {t: w * self.idf[t] for t, w in _tf(stems(text)).items() if t in self.idf}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def theme_from_text(self, key: str, name: str, text: str) -> ThemeTerms:
        """A theme described by a text (its name and description)."""
        vector = self.vector(text)
        top = dict(sorted(vector.items(), key=lambda item: -item[1])[:TERMS_KEPT])
        return ThemeTerms(key, name, _unit(top))

    def to_json(self) -> dict:
        return {
            "idf": {t: round(w, 4) for t, w in self.idf.items()},
            "themes": [{"key": t.key, "name": t.name, "terms": t.terms} for t in self.themes],
        }

    @classmethod
    def from_json(cls, data: dict) -> "ThemeModel":
        themes = [ThemeTerms(str(t["key"]), str(t["name"]), dict(t["terms"])) for t in data.get("themes", [])]
        return cls(dict(data.get("idf", {})), themes)


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: round(w / norm, 5) for t, w in weights.items()} if norm else {}


@dataclass(frozen=True)
class Mapping:
    theme: str
    confidence: float


def assign(model: ThemeModel, text: str) -> list[Mapping]:
    """The themes a comment belongs to, best first: zero, one, or several nearly as good."""
    return _assign_vector(model, model.vector(text))


def _assign_vector(model: ThemeModel, vector: dict[str, float]) -> list[Mapping]:
    scores = [
        Mapping(theme.key, round(sum(w * theme.terms.get(t, 0.0) for t, w in vector.items()), 4))
        for theme in model.themes
    ]
    scores.sort(key=lambda m: -m.confidence)
    if not scores or scores[0].confidence < MIN_CONFIDENCE:
        return []
    best = scores[0].confidence
    return [m for m in scores if m.confidence >= max(MIN_CONFIDENCE, best * SECOND_THEME_SHARE)]


@dataclass
class ProposedTheme:
    key: str
    name: str
    key_terms: list[str]  # words as the comments write them, most characteristic first
    representatives: list[int]  # indices into the texts given, the most typical first
    size: int  # comments whose best theme this is


@dataclass
class Proposal:
    themes: list[ProposedTheme]
    model: ThemeModel
    labels: list[str | None]  # best theme of each text (None: no theme near enough)
    mappings: list[list[Mapping]]  # every theme of each text, with confidence


def propose(
    texts: Sequence[str],
    count: int | None = None,
    groups: Sequence[int | None] | None = None,
    seed: int = 0,
    provisions: Sequence[str | None] | None = None,
) -> Proposal:
    """Cluster ``texts`` into ``count`` themes (chosen from the data when None).

    ``provisions`` (the label of the provision each text is on, "§ 6 ust. 1"; None for a
    comment on the draft as a whole) puts the provision's § beside the words, weighted by
    how much more alike the words of its comments are than chance
    (:func:`_provision_features`): comments on one § are nearer, never forced together.
    Without it, or with no label at all, the result is the text-only one; the number of
    themes, when it is chosen, is chosen from the words.

    ``groups`` (near-duplicate group per text, None alone) makes each group one document,
    weighted by the square root of its size (:func:`_weights`): a campaign of 60 copies
    pulls its theme's centre more than one comment does, but does not become a theme of
    its own or split one. Every comment gets the theme of its group's cluster (its campaign stays
    together), with its confidence (cosine to the theme's terms); other themes nearly as
    close follow it.
    """
    from scipy import sparse
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n = len(texts)
    if provisions is not None and len(provisions) != n:
        raise ValueError(f"{len(provisions)} provisions for {n} texts")
    units = _units(n, groups)  # one unit per group or lone comment; index of its first text
    unit_of = _unit_of(n, groups)
    copies = Counter(unit_of)
    copies_of_units = np.array([copies[u] for u in units], dtype=float)
    unit_stems = [stems(texts[i]) for i in units]
    model = _fit(unit_stems)
    idf = model.idf
    vocabulary = {t: i for i, t in enumerate(sorted(idf))}
    if not vocabulary or len(units) < 2:
        return Proposal([], model, [None] * n, [[] for _ in range(n)])

    matrix = normalize(_tfidf(unit_stems, vocabulary, idf))
    # Clustered on folded word prefixes: they join the forms the stemmer splits or does not
    # know ("umowa"/"umówić", typos, letters without diacritics); the themes' terms are stems.
    unit_prefixes = [prefixes(texts[i]) for i in units]
    prefix_idf = _fit(unit_prefixes).idf
    features = _tfidf(unit_prefixes, {t: i for i, t in enumerate(sorted(prefix_idf))}, prefix_idf)
    if features.shape[1] == 0:
        features = matrix
    features = normalize(sparse.csr_matrix(features))
    dimensions = min(LSA_DIMENSIONS, features.shape[1] - 1, len(units) - 1)
    reduced = features
    if dimensions >= 2:
        reduced = normalize(TruncatedSVD(dimensions, random_state=seed).fit_transform(features))
    k = count or _choose_count(reduced, copies_of_units, seed)
    k = max(1, min(k, len(units)))
    labels_of_units = (
        [[label for i in m if (label := provisions[i]) and label.strip()] for m in _members(units, unit_of)]
        if provisions
        else []
    )
    if any(labels_of_units):
        # After the reduction, so that its words do not fold a provision into one topic of the text.
        words_part = reduced.toarray() if sparse.issparse(reduced) else np.asarray(reduced)
        reduced = np.hstack([words_part, _provision_features(words_part, labels_of_units, k)])
    weights = _weights(copies_of_units, k)
    clusters = KMeans(n_clusters=k, n_init=KMEANS_RESTARTS, random_state=seed).fit_predict(
        reduced, sample_weight=weights
    )

    terms = list(vocabulary)
    surface = _surface_forms([texts[i] for i in units])
    overall = np.asarray(matrix.mean(axis=0)).ravel()
    themes: list[ProposedTheme] = []
    theme_of_cluster: dict[int, str] = {}
    for cluster in range(k):
        members = np.flatnonzero(clusters == cluster)
        if members.size == 0:
            continue
        centroid = np.asarray(matrix[members].multiply(weights[members][:, None]).sum(axis=0)).ravel()
        top = np.argsort(-centroid, kind="stable")[:TERMS_KEPT]
        weights_of_terms = _unit({terms[i]: float(centroid[i]) for i in top if centroid[i] > 0})
        if not weights_of_terms:  # only comments with no term in common with the others
            continue
        key = f"t{len(themes) + 1}"
        theme_of_cluster[cluster] = key
        # Named after the terms the cluster uses much more than the others, not the most common.
        distinctive = np.argsort(-(centroid / centroid.sum() - overall / overall.sum()), kind="stable")[:5]
        key_terms = [surface.get(terms[i], terms[i]) for i in distinctive if centroid[i] > 0]
        model.themes.append(ThemeTerms(key, ", ".join(key_terms[:3]), weights_of_terms))
        typical = np.asarray(matrix[members] @ np.array([weights_of_terms.get(t, 0.0) for t in terms])).ravel()
        representatives = [int(units[members[i]]) for i in np.argsort(-typical, kind="stable")[:3]]
        themes.append(ProposedTheme(key, ", ".join(key_terms[:3]), key_terms, representatives, 0))

    unit_mapping: dict[int, list[Mapping]] = {}
    for position, u in enumerate(units):
        unit_mapping[u] = _with_cluster_first(
            model, model.vector(texts[u]), theme_of_cluster.get(int(clusters[position]))
        )
    labels: list[str | None] = []
    mappings: list[list[Mapping]] = []
    for i in range(n):
        found = unit_mapping[unit_of[i]]
        mappings.append(found)
        labels.append(found[0].theme if found else None)
    sizes = Counter(label for label in labels if label)
    for theme in themes:
        theme.size = sizes.get(theme.key, 0)
    return Proposal(themes, model, labels, mappings)


def provision_unit(label: str) -> str | None:
    """The § unit of a provision, folded: "§6  Ust. 1" -> "§ 6"; None for a blank label.

    A provision that is its own unit ("§ 10") or has none ("Preambuła akapit 2") is itself.
    """
    folded = " ".join(label.replace("§", "§ ").split()).casefold()
    if not folded:
        return None
    found = _UNIT.match(folded)
    return found.group(0) if found else folded


def _members(units: list[int], unit_of: list[int]) -> list[list[int]]:
    """The texts of each unit (a near-duplicate group or a lone comment)."""
    position = {u: p for p, u in enumerate(units)}
    members: list[list[int]] = [[] for _ in units]
    for i, u in enumerate(unit_of):
        members[position[u]].append(i)
    return members


def _provision_features(vectors: np.ndarray, labels_of_units: list[list[str]], count: int) -> np.ndarray:
    """One column per § unit, weighted by :func:`_provision_weights`; a unit's row the mean of its comments'.

    A comment's row is its § (1 in its column); a group whose copies came on several §§
    spreads over them; a comment with no provision has a zero row and is placed by its words
    alone. Two comments on different §§ are apart by the two §§' weights, two on one § not at
    all: a distance beside the words', never a partition. Only the § and not the provision
    itself: on the evaluation set the finer label adds columns that take clusters from the
    themes that share a provision, and gains little (bench/analysis.py).
    """
    columns: dict[str, int] = {}
    rows = [[unit for label in labels if (unit := provision_unit(label))] for labels in labels_of_units]
    for row in rows:
        for unit in row:
            columns.setdefault(unit, len(columns))
    matrix = np.zeros((len(rows), len(columns)))
    for position, row in enumerate(rows):
        for unit in row:
            matrix[position, columns[unit]] += 1.0 / len(row)
    return matrix * _provision_weights(vectors, matrix > 0, count)


def _provision_weights(vectors: np.ndarray, member: np.ndarray, count: int) -> np.ndarray:
    """Each §'s weight: ``PROVISION_WEIGHT`` × what its comments' words earn × its share of a theme.

    ``vectors`` are the units' words (LSA, unit length), ``member[u, j]`` whether unit u is
    on § j. No label of any theme is used, only the words and the §§:

    * earned = max(0, 1 − 2 / F), F = n (c² − m²) / (1 − m²), where c is the length of
      the mean of the § 's n vectors (1 if they all say the same, lower the more they
      differ) and m that of all the units' mean. n vectors drawn at random from the
      consultation give E[c²] = m² + (1 − m²) / n, so F is the §'s likeness beyond the
      consultation's in units of what chance gives (about 1 by chance, more the more its
      comments agree and the more of them agree). Up to twice chance a § earns nothing (§§
      put on at random add nothing, and the themes are the text-only ones), at 4 × half, then
      towards all of it. One comment alone earns 0 (nothing to compare). Not the effect
      alone, (c − r) / (1 − r): a § whose comments share one sentence among others of
      their own is coherent beyond doubt, but only a little;
    * share = min(1, (units / count) / n): a § with more comments than an average theme
      holds several themes, and pulling them together would take clusters from their
      separation by words (the § of a list of priority areas, each its own theme).
    """
    total = vectors.shape[0]
    overall = vectors.mean(axis=0)
    overall_square = float(overall @ overall)
    weights = np.zeros(member.shape[1])
    if overall_square >= 1.0 - 1e-9:  # every unit says the same: nothing to earn against
        return weights
    for column in range(member.shape[1]):
        rows = np.flatnonzero(member[:, column])
        n = rows.size
        if n < 2:
            continue
        mean = vectors[rows].mean(axis=0)
        beyond_chance = n * (float(mean @ mean) - overall_square) / (1.0 - overall_square)
        if beyond_chance <= 2.0:
            continue
        earned = 1.0 - 2.0 / beyond_chance
        share = min(1.0, total / count / n)
        weights[column] = PROVISION_WEIGHT * earned * share
    return weights


def _tfidf(documents: list[list[str]], vocabulary: dict[str, int], idf: dict[str, float]):
    """Sublinear term frequency times IDF, one row per document (not normalised)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    for row, document in enumerate(documents):
        for term, weight in _tf(document).items():
            if term in vocabulary:
                rows.append(row)
                cols.append(vocabulary[term])
                values.append(weight * idf[term])
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(documents), len(vocabulary)))


def _with_cluster_first(model: ThemeModel, vector: dict[str, float], key: str | None) -> list[Mapping]:
    """The comment's cluster's theme first (the clustering decided it), then themes nearly as close."""
    found = _assign_vector(model, vector)
    if key is None or not vector:
        return found
    own = round(
        sum(w * next(t.terms for t in model.themes if t.key == key).get(term, 0.0) for term, w in vector.items()), 4
    )
    others = [m for m in found if m.theme != key and m.confidence >= own * SECOND_THEME_SHARE]
    return [Mapping(key, own)] + others


def _fit(unit_stems: list[list[str]]) -> ThemeModel:
    """IDF of the stems found in at most half of the comments (and, given 20 or more, in two)."""
    document_frequency = Counter(t for s in unit_stems for t in set(s))
    least = 2 if len(unit_stems) >= 20 else 1  # a word of one comment says nothing about a theme
    limit = max(2, 0.5 * len(unit_stems))
    return ThemeModel(
        {
            t: math.log((1 + len(unit_stems)) / (1 + df)) + 1.0
            for t, df in sorted(document_frequency.items())
            if least <= df <= limit
        }
    )


def fit_model(texts: Sequence[str], groups: Sequence[int | None] | None = None) -> ThemeModel:
    """A model with the consultation's stem weights and no themes yet (for themes an official defines)."""
    return _fit([stems(texts[i]) for i in _units(len(texts), groups)])


def define(model: ThemeModel, key: str, name: str, description: str) -> ThemeTerms:
    """A theme an official defines by its name and description."""
    return model.theme_from_text(key, name, f"{name}. {description}")


def refine(model: ThemeModel, texts: Sequence[str], rounds: int = 1) -> ThemeModel:
    """Each theme's terms joined by the average of the comments it is now the best theme of.

    A definition of a few words finds the comments that use them; the comments then
    teach the theme the other words they use. The definition keeps half the weight, so a
    theme does not drift away from what the official meant.
    """
    vectors = [model.vector(text) for text in texts]
    for _ in range(rounds):
        sums: dict[str, Counter] = defaultdict(Counter)
        counts: Counter = Counter()
        for vector in vectors:
            found = _assign_vector(model, vector)
            if found:
                sums[found[0].theme].update(vector)
                counts[found[0].theme] += 1
        themes = []
        for theme in model.themes:
            total = counts.get(theme.key, 0)
            combined = Counter(theme.terms)
            for term, weight in sums.get(theme.key, Counter()).items():
                combined[term] += weight / total
            top = dict(sorted(combined.items(), key=lambda item: -item[1])[:TERMS_KEPT])
            themes.append(ThemeTerms(theme.key, theme.name, _unit(top)))
        model = ThemeModel(model.idf, themes)
    return model


def _units(n: int, groups: Sequence[int | None] | None) -> list[int]:
    if groups is None:
        return list(range(n))
    seen: set[int] = set()
    units = []
    for i, group in enumerate(groups):
        if group is None or group not in seen:
            units.append(i)
            if group is not None:
                seen.add(group)
    return units


def _unit_of(n: int, groups: Sequence[int | None] | None) -> list[int]:
    if groups is None:
        return list(range(n))
    first: dict[int, int] = {}
    return [i if g is None else first.setdefault(g, i) for i, g in enumerate(groups)]


def _weights(copies, k: int):
    """Each document's weight in clustering: the square root of its copies, at most half an average theme.

    A campaign pulls its theme's centre more than one comment does; capped, it cannot make a
    theme of its own out of copies alone when there are few distinct comments.
    """
    return np.minimum(np.sqrt(copies), max(1.0, len(copies) / k / 2))


def _choose_count(reduced, copies, seed: int) -> int:
    """The number of clusters with the best silhouette, between 2 and about sqrt(n/2)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = reduced.shape[0]
    if n < 6:
        return 1
    upper = max(2, min(30, int(math.sqrt(n / 2)) + 2))
    sample = min(n, 3000)
    best, best_score = 2, -1.0
    for k in range(2, upper + 1):
        labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(
            reduced, sample_weight=_weights(copies, k)
        )
        score = silhouette_score(reduced, labels, metric="cosine", sample_size=sample, random_state=seed)
        if score > best_score:
            best, best_score = k, score
    return best


def _surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """For each stem, the word form the comments use most ("dotacja" -> "dotacji")."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for word in words(text):
            forms[stem(word)][word] += 1
    return {s: counter.most_common(1)[0][0] for s, counter in forms.items()}


def folded_name(name: str) -> str:
    """A theme's name for comparing (case and diacritics ignored)."""
    return fold(name).strip()
