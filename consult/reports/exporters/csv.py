"""CSV: UTF-8 with a byte-order mark (so that Excel reads Polish letters), comma-separated,
RFC 4180 quoting, one row per comment. The response names the charset once (text/csv; charset=utf-8).

The cells hold the data exactly as published: a proposal that starts with "=" stays
"=..." (open data must not be altered). Spreadsheet users should open report.xlsx,
where no cell is ever a formula; docs/report-formats.md says so.
"""

import csv
import io
from typing import BinaryIO

from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.columns import headers, rows


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(headers(report))
        tick = Ticker(progress, report.row_count)
        for done, cells in enumerate(rows(report), start=1):
            writer.writerow(cells)  # written at once: memory does not grow with the rows
            tick(done)
    finally:
        text.flush()
        text.detach()  # leave the caller's stream open
