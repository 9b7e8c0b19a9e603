import json

import pytest


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
