"""PDF through Typst, from the outline the DOCX and ODT exporters draw.

The outline (``outline.py``) goes to the template ``report.typ`` as JSON; Typst lays out
A4 pages with the page number and count, the comments tables on landscape pages with
their header row repeated, DejaVu Sans embedded, tagged as PDF/UA-1 with the document's
language and title, so screen readers can follow it.

Typst runs in child processes (``typeset.py``): it keeps every layout in a cache for the
life of its process. Its memory grows with the pages, about 0.25 MB per comment, so a
report of more than ``PART_ROWS`` comments is typeset in parts of at most that many,
one child after another, and one more child joins them into one tagged document with
page numbers that run on. docs/report-formats.md has the figures.
"""

import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

import pikepdf
from flask_babel import get_locale
from flask_babel import gettext as _

from consult.core.sanitise import markdown_runs
from consult.core.text import one_line
from consult.reports.builder import Report
from consult.reports.exporters import Progress, no_progress, typeset
from consult.reports.exporters.outline import Table, Text, outline

TEMPLATE = Path(__file__).with_name("report.typ")
# Comments per part: a part of 800 comments peaks at about 250 MB in its process, and
# the parts of 10,000 comments take about 25 s (make bench-reports).
PART_ROWS = 800


class TypesettingFailed(RuntimeError):
    pass


def _block(item: object) -> dict:
    block = {"type": type(item).__name__.lower(), **dataclasses.asdict(item)}
    if isinstance(item, Text) and item.markdown:
        block["runs"] = markdown_runs(item.text)  # links the reader can follow, marks gone
    return block


def runs(blocks: list[object]) -> list[dict]:
    """The blocks in runs of portrait and landscape pages: the comments tables are wide.

    A heading and a note that introduce the first wide table go with it onto the
    landscape page, so a heading never stays alone at the foot of the page before.
    """
    result: list[dict] = []
    for item in blocks:
        landscape = isinstance(item, Table) and item.wide
        if not result or result[-1]["landscape"] != landscape:
            moved: list[dict] = []
            if landscape and result:
                previous = result[-1]["blocks"]
                while previous and previous[-1]["type"] in ("heading", "text") and len(moved) < 2:
                    if previous[-1]["type"] == "text" and not previous[-1]["note"]:
                        break
                    moved.insert(0, previous.pop())
            result.append({"landscape": landscape, "blocks": moved})
        result[-1]["blocks"].append(_block(item))
    return [run for run in result if run["blocks"]]


def document_data(report: Report, sha256: str | None) -> dict:
    """What the template reads; the outline's texts are cleaned by ``outline``, the title and
    the organiser here (a stored control character would stop Typst: PDF/UA has no glyph for it)."""
    title = one_line(report.title)
    kind = _("Consultation report")
    return {
        "lang": str(get_locale() or "pl"),
        "title": title,
        "document_title": f"{kind}: {title} ({_('version %(number)d', number=report.number)})",
        "author": one_line(report.course.organiser) or _("the organiser"),
        "words": {"page": _("Page"), "of": _("of")},
        "decorate": True,
        "runs": runs(list(outline(report, sha256))),
    }


def parts(document: dict, rows: int | None = None) -> list[dict]:
    """The document cut between the comments tables into parts of at most ``rows`` rows
    (a single table longer than that stays whole); what comes before the tables goes
    with the first part, what comes after with the last."""
    rows = rows or PART_ROWS
    cut: list[list[dict]] = [[]]
    counted = 0
    for run in document["runs"]:
        if not run["landscape"]:
            cut[-1].append(run)
            continue
        blocks: list[dict] = []
        for block in run["blocks"]:
            size = len(block["rows"]) if block["type"] == "table" else 0
            if size and counted and counted + size > rows:
                cut[-1].append(dict(run, blocks=blocks))
                cut.append([])
                blocks, counted = [], 0
            blocks.append(block)
            counted += size
        cut[-1].append(dict(run, blocks=blocks))
    return [dict(document, runs=part) for part in cut]


def _child(command: str, output: Path, arguments: list[str], document: dict) -> None:
    """Run one command of ``typeset.py`` in a child process."""
    # -P: the script's folder stays off the module path (its json.py would hide the standard one).
    done = subprocess.run(
        [sys.executable, "-P", typeset.__file__, command, str(TEMPLATE), str(output), *arguments],
        input=json.dumps(document, ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise TypesettingFailed(done.stderr.decode("utf-8", "replace")[-2000:])


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    progress(5)
    document = document_data(report, sha256)
    pieces = parts(document)
    frames_document = dict(document, runs=[])
    del document
    progress(10)
    with tempfile.TemporaryDirectory(prefix="consult-pdf-") as folder:
        output = Path(folder) / "report.pdf"
        if len(pieces) == 1:
            _child("typeset", output, ["ua-1"], pieces[0])
        else:
            files = []
            for number in range(len(pieces)):
                files.append(Path(folder) / f"part-{number}.pdf")
                # PDF/UA-1 wants a file's first heading at level 1: only the first part has
                # it. The parts after it are tagged all the same, and the joined file is one.
                _child("typeset", files[-1], ["ua-1"] if number == 0 else [], dict(pieces[number], decorate=False))
                pieces[number] = {}
                progress(10 + 75 * (number + 1) // len(pieces))
            # The frames (running title, "Page n of m") of every page, portrait or landscape as
            # the parts came out, typeset on their own and laid over the joined pages.
            frames = []
            for path in files:
                with pikepdf.open(path) as part:
                    frames += [page.mediabox[2] > page.mediabox[3] for page in part.pages]
            frames_file = Path(folder) / "frames.pdf"
            _child("typeset", frames_file, [], dict(frames_document, frames=frames))
            _child("join", output, [str(path) for path in (frames_file, *files)], {})
        progress(95)
        with output.open("rb") as typeset_file:
            shutil.copyfileobj(typeset_file, stream)
