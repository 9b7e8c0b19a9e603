import json

import pytest

from tests.analysis.samples import ANIMALS, LOCAL, SENIORS, UNWORDED


@pytest.fixture()
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        return runner.invoke(args=["analysis", *args], **kwargs)

    return invoke


def _lines(rows):
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


CAMPAIGN = "Prosimy o stawkę czynszu 1 zł za metr kwadratowy w lokalach komunalnych dla organizacji pozarządowych."


def test_duplicates_prints_a_group_per_comment_keeping_any_ids(run, tmp_path):
    path = tmp_path / "uwagi.jsonl"
    rows = [
        {"id": 7, "text": CAMPAIGN, "author": "ignored"},
        {"id": "b", "text": "Szanowni Państwo, " + CAMPAIGN.upper() + " Z poważaniem, Anna Nowak"},
        {"id": [1, 2], "text": "Kluby seniora potrzebują stałego finansowania przez cały rok."},
    ]
    path.write_text(_lines(rows) + "\n", encoding="utf-8")
    result = run("duplicates", str(path))
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.output.splitlines()] == [
        {"id": 7, "group": 1},
        {"id": "b", "group": 1},
        {"id": [1, 2], "group": None},
    ]


def test_themes_reads_standard_input_and_names_each_comment_s_theme(run):
    rows = [
        {"id": i, "text": text}
        for i, text in enumerate(
            [
                "Czynsz za lokale komunalne dla organizacji jest za wysoki.",
                "Lokale dla stowarzyszeń po niższym czynszu i bez przetargu.",
                "Najem lokali przez organizacje po preferencyjnym czynszu.",
                "Kluby seniora potrzebują stałego finansowania.",
                "Seniorzy potrzebują klubów seniora w dzielnicach.",
                "Zajęcia dla seniorów w klubach seniora przez cały rok.",
            ]
        )
    ]
    result = run("themes", "-", "--themes", "2", input=_lines(rows))
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == list(range(6))
    assert len({row["theme"] for row in out[:3]}) == 1 and out[0]["theme"] != out[3]["theme"]
    assert all(row["theme_name"] and 0 < row["confidence"] <= 1 for row in out)
    assert "t1\t" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json}\n", "line 1: not JSON"),
        ('{"id": 1, "text": "a"}\n[1, 2]\n', "line 2: expected an object"),
        ('{"text": "bez id"}\n', 'line 1: expected an object with "id"'),
        ('{"id": 1, "text": 5}\n', 'a string "text"'),
    ],
)
@pytest.mark.parametrize("command", ["duplicates", "themes"])
def test_bad_lines_are_refused_with_their_number(run, tmp_path, content, message, command):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    result = run(command, str(path))
    assert result.exit_code == 1 and message in result.output


def test_a_missing_file_and_an_empty_one(run, tmp_path):
    assert run("duplicates", str(tmp_path / "none.jsonl")).exit_code == 2
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    for command in ("duplicates", "themes"):
        result = run(command, str(tmp_path / "empty.jsonl"))
        assert result.exit_code == 0 and result.stdout == ""


PROVISIONS = ["§ 4 ust. 2 pkt 3"] * 4 + ["§ 5 ust. 1"] * 8 + ["§ 4 ust. 2 pkt 3"] * 2


def test_themes_use_the_provision_of_each_line_and_without_it_the_texts_alone(run):
    from consult.analysis.duplicates import group_texts
    from consult.analysis.themes import propose

    texts = LOCAL + SENIORS + ANIMALS + UNWORDED
    with_provisions = [
        {"id": i, "text": t, "provision": p} for i, (t, p) in enumerate(zip(texts, PROVISIONS, strict=True))
    ]
    result = run("themes", "-", "--themes", "3", input=_lines(with_provisions))
    assert result.exit_code == 0, result.output
    themes = [json.loads(line)["theme"] for line in result.stdout.splitlines()]
    # The provisions reach the clustering (whether a § pulls its comments is its words' to earn).
    assert themes == propose(texts, 3, group_texts(texts), provisions=PROVISIONS).labels
    assert len({themes[0], themes[4], themes[8]}) == 3

    # Lines without "provision" (or with null) give exactly the text-only proposal.
    without = [{"id": i, "text": t} for i, t in enumerate(texts)]
    without[3]["provision"] = None
    result = run("themes", "-", "--themes", "3", input=_lines(without))
    assert result.exit_code == 0, result.output
    alone = propose(texts, 3, group_texts(texts))
    assert [json.loads(line)["theme"] for line in result.stdout.splitlines()] == alone.labels


def test_a_provision_that_is_not_a_string_is_refused_with_its_line(run):
    result = run("themes", "-", input='{"id": 1, "text": "a", "provision": 6}\n')
    assert result.exit_code == 1 and 'line 1: "provision" must be a string' in result.output


def test_the_help_of_themes_mentions_the_provision(run):
    assert '"provision"' in run("themes", "--help").output
