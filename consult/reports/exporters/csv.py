"""CSV: UTF-8 with a byte-order mark (so that Excel reads Polish letters), comma-separated,
RFC 4180 quoting, one row per comment. The response names the charset once (text/csv; charset=utf-8).

A spreadsheet program that opens a CSV takes a cell starting with "=", "+", "-" or "@"
(or a tab or carriage return before one) for a formula and runs it, so such a cell gets
a leading apostrophe, as OWASP recommends ("CSV injection"): ``=HYPERLINK(...)`` is
written ``'=HYPERLINK(...)``. Every other cell is exact. report.xlsx keeps every text as
text without the apostrophe, and report.json keeps the exact text; docs/report-formats.md
says so.
"""

import csv
import io
from typing import BinaryIO

from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.columns import headers, rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """``cell`` as a spreadsheet program will not run it: an apostrophe before a formula's first sign."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow([neutralise(cell) for cell in headers(report)])
        tick = Ticker(progress, report.row_count)
        for done, cells in enumerate(rows(report), start=1):
            writer.writerow([neutralise(cell) for cell in cells])  # written at once: memory does not grow with the rows
            tick(done)
    finally:
        text.flush()
        text.detach()  # leave the caller's stream open
