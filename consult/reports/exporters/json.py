"""JSON: the published data itself, written piece by piece (docs/report-json.md).

The body is ``{"format", "sha256" ..., "report": <the snapshot>}`` with the report's
comments under ``report.sections[].rows[]``; each row is encoded and written on its
own, so memory does not grow with the number of comments.
"""

import json
from dataclasses import asdict, fields
from typing import BinaryIO

from consult.reports.builder import Report, SectionGroup
from consult.reports.exporters import Progress, Ticker, no_progress

FORMAT = "consult.report.json/1"


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _write_group(stream: BinaryIO, group: SectionGroup, tick, done: int) -> int:
    stream.write(b"{")
    for name in ("heading", "hidden", "label"):
        stream.write(_dump(name) + b":" + _dump(getattr(group, name)) + b",")
    stream.write(b'"rows":[')
    for index, row in enumerate(group.rows):
        stream.write((b",\n" if index else b"\n") + _dump(asdict(row)))
        done += 1
        tick(done)
    stream.write(b'],"withdrawn":' + _dump(group.withdrawn) + b"}")
    return done


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    tick = Ticker(progress, report.row_count)
    stream.write(b"{" + b'"format":' + _dump(FORMAT) + b',"sha256":' + _dump(sha256) + b',"report":{')
    # The report's own keys in sorted order, as in the canonical snapshot.
    names = sorted(f.name for f in fields(report))
    done = 0
    for index, name in enumerate(names):
        stream.write((b"," if index else b"") + _dump(name) + b":")
        if name == "sections":
            stream.write(b"[")
            for group_index, group in enumerate(report.sections):
                if group_index:
                    stream.write(b",")
                done = _write_group(stream, group, tick, done)
            stream.write(b"]")
        else:
            value = getattr(report, name)
            if isinstance(value, tuple):  # of dataclasses (the themes)
                value = [asdict(item) for item in value]
            stream.write(_dump(asdict(value) if hasattr(value, "__dataclass_fields__") else value))
    stream.write(b"}}\n")
