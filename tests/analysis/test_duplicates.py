import json
from pathlib import Path

import pytest

from consult.analysis.duplicates import (
    THRESHOLD,
    DuplicateIndex,
    fingerprint,
    fingerprints,
    group_texts,
    similarity,
)

EVALUATION_SET = Path(__file__).resolve().parent.parent / "data" / "analysis" / "comments.jsonl"

CAMPAIGN = (
    "Wnosimy o wprowadzenie jednolitej stawki czynszu dla organizacji w wysokości 1 zł za metr kwadratowy. "
    "Organizacje pożytku publicznego nie powinny płacić za lokale tyle co firmy. "
    "Wysokie czynsze pochłaniają środki, które mogłyby trafić do mieszkańców. "
    "Prosimy również o umowy najmu na co najmniej pięć lat."
)
VARIANTS = [
    CAMPAIGN,
    "Szanowni Państwo,\n" + CAMPAIGN + "\nZ poważaniem\nAnna Nowak\nFundacja Most",  # courtesy added
    CAMPAIGN.replace("czynszu", "czysnzu").replace("kwadratowy", "kwadratwoy"),  # typos
    " ".join(reversed(CAMPAIGN.split(". "))),  # sentences reordered
    CAMPAIGN.replace(
        "Wysokie czynsze pochłaniają środki, które mogłyby trafić do mieszkańców.", "Nasz lokal jest za drogi."
    ),
    CAMPAIGN.translate(str.maketrans("ąćęłńóśźż", "acelnoszz")).upper(),  # no Polish letters, shouting
]
DIFFERENT = [
    "Termin składania ofert w konkursach powinien wynosić 30 dni, a nie 21 dni.",
    "Prosimy o wsparcie klubów seniora i zajęć ruchowych dla osób starszych w każdej dzielnicy.",
    "Miasto powinno udostępniać organizacjom sale w szkołach po lekcjach, bez opłat.",
]


def test_variants_of_one_campaign_form_one_group_and_different_comments_none():
    groups = group_texts(VARIANTS + DIFFERENT)
    assert groups[: len(VARIANTS)] == [1] * len(VARIANTS)
    assert groups[len(VARIANTS) :] == [None] * len(DIFFERENT)


def test_every_variant_is_a_near_duplicate_of_the_original_and_no_different_comment_is():
    original = fingerprint(CAMPAIGN)
    assert all(similarity(original, fingerprint(v)) >= THRESHOLD for v in VARIANTS)
    assert all(similarity(original, fingerprint(d)) < THRESHOLD for d in DIFFERENT)


def test_a_newcomer_joins_the_group_without_moving_anyone():
    index = DuplicateIndex()
    for new in fingerprints(DIFFERENT + [CAMPAIGN, VARIANTS[1]]):
        index.add(new)
    before = index.groups
    group = index.add(fingerprint(VARIANTS[2]))
    assert group == before[3] and index.groups[:-1] == before
    assert index.add(fingerprint("Zupełnie inna uwaga o wolontariacie w hospicjach i superwizji.")) not in before


def test_adding_one_at_a_time_gives_the_same_groups_as_all_at_once():
    texts = [row["text"] for row in map(json.loads, EVALUATION_SET.read_text(encoding="utf-8").splitlines())][:200]
    index = DuplicateIndex()
    for text in texts:
        index.add(fingerprint(text))
    numbers: dict[int, int] = {}
    sizes = {g: index.groups.count(g) for g in index.groups}
    one_by_one = [numbers.setdefault(g, len(numbers) + 1) if sizes[g] > 1 else None for g in index.groups]
    assert one_by_one == group_texts(texts)


def test_a_comment_linking_two_groups_of_the_same_text_makes_them_one():
    a = CAMPAIGN + " Nasza świetlica działa od dwudziestu lat na Kazimierzu i potrzebuje stałego miejsca."
    b = CAMPAIGN + " W tym roku czynsz wzrósł nam dwukrotnie, a dotacja pozostała ta sama co przed laty."
    index = DuplicateIndex(threshold=0.7)  # strict: a and b (0.64) do not match, each matches the text (0.78)
    first, second = index.add(fingerprint(a)), index.add(fingerprint(b))
    assert first != second
    index.add(fingerprint(CAMPAIGN))
    assert index.group(first) == index.group(second)


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", "!!!", "Szanowni Państwo,"])
def test_empty_comments_never_group(text):
    assert group_texts([text, text, CAMPAIGN]) == [None, None, None]
    assert similarity(fingerprint(text), fingerprint(text)) == 0.0


def test_identical_short_comments_group():
    assert group_texts(["Popieram.", "popieram", "Sprzeciw."]) == [1, 1, None]


def test_evaluation_set_precision_and_recall_reach_the_goal():
    rows = [json.loads(line) for line in EVALUATION_SET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 500
    groups = group_texts([row["text"] for row in rows])
    pairs_true = pairs_found = both = 0
    for i in range(len(rows)):
        for j in range(i):
            same = rows[i]["campaign"] is not None and rows[i]["campaign"] == rows[j]["campaign"]
            found = groups[i] is not None and groups[i] == groups[j]
            pairs_true += same
            pairs_found += found
            both += same and found
    assert both / pairs_found >= 0.95 and both / pairs_true >= 0.90
