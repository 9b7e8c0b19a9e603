"""`flask --app wsgi analysis duplicates FILE` and `analysis themes FILE [--themes N]`.

Both read JSON lines of ``{"id": …, "text": …}`` (any ids, other keys ignored; ``-``
reads standard input; for themes an optional ``"provision"``, the label of the provision
the comment is on, "§ 6 ust. 1", is used as the web uses the paragraph) and print JSON lines, using the functions the web uses and no
database. A summary of the themes goes to standard error, so standard output stays data.
"""

import json
from collections.abc import Iterable
from typing import IO

import click
from flask.cli import AppGroup

from consult.analysis.duplicates import group_texts
from consult.analysis.themes import propose

analysis_cli = AppGroup("analysis", help="Near-duplicates and themes of comments in a JSON-lines file.")


def read_comments(lines: Iterable[str]) -> tuple[list, list[str], list[str | None]]:
    """Ids, texts and provisions (None where a line has none) from JSON lines.

    A line that is not an object with a text, or whose provision is not a string, stops with its number.
    """
    ids: list = []
    texts: list[str] = []
    provisions: list[str | None] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            raise click.ClickException(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("text"), str):
            raise click.ClickException(f'line {number}: expected an object with "id" and a string "text"')
        provision = row.get("provision")
        if provision is not None and not isinstance(provision, str):
            raise click.ClickException(f'line {number}: "provision" must be a string (the provision\'s label)')
        ids.append(row["id"])
        texts.append(row["text"])
        provisions.append(provision)
    return ids, texts, provisions


def _print(row: dict) -> None:
    click.echo(json.dumps(row, ensure_ascii=False))


@analysis_cli.command("duplicates")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def duplicates_command(file: IO[str]) -> None:
    """Print {"id", "group"} per comment: comments saying substantially the same share a group number."""
    ids, texts, _provisions = read_comments(file)
    for comment_id, group in zip(ids, group_texts(texts), strict=True):
        _print({"id": comment_id, "group": group})


@analysis_cli.command("themes")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--themes",
    "count",
    type=click.IntRange(1, 200),
    default=None,
    help="Number of themes (default: chosen from the data).",
)
def themes_command(file: IO[str], count: int | None) -> None:
    """Print {"id", "theme", "theme_name", "confidence"} per comment (theme null: none near enough).

    A line may name the provision it is on ("provision": "§ 6 ust. 1"): comments on one §
    of the draft are then nearer each other as far as their words agree, as on the web.
    Without any, themes come from the texts alone.
    """
    ids, texts, provisions = read_comments(file)
    proposal = propose(texts, count, group_texts(texts), provisions=provisions)
    names = {theme.key: theme.name for theme in proposal.themes}
    for comment_id, found in zip(ids, proposal.mappings, strict=True):
        best = found[0] if found else None
        _print(
            {
                "id": comment_id,
                "theme": best.theme if best else None,
                "theme_name": names[best.theme] if best else None,
                "confidence": best.confidence if best else 0.0,
            }
        )
    for theme in proposal.themes:
        examples = "; ".join(str(ids[i]) for i in theme.representatives)
        click.echo(f"{theme.key}\t{theme.size}\t{', '.join(theme.key_terms)}\t{examples}", err=True)
