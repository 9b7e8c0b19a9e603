"""PDF through WeasyPrint, from the same template as the web page.

A4 with page numbers, the comments table on landscape pages with its header row
repeated on each, DejaVu Sans embedded (Polish letters), tagged as PDF/UA-1 with
the document's language and title, so screen readers can follow it.
"""

from pathlib import Path
from typing import BinaryIO

from flask import current_app, render_template

from consult.reports.builder import Report
from consult.reports.exporters import Progress, no_progress
from consult.reports.presentation import report_context


def stylesheet_path() -> Path:
    return Path(current_app.static_folder) / "css" / "report-print.css"


def render_html(report: Report, sha256: str | None) -> str:
    return render_template("reports/report_print.html", **report_context(report, sha256=sha256))


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *,
           sha256: str | None = None) -> None:
    from weasyprint import CSS, HTML  # heavy: loaded only when a PDF is made

    progress(5)
    html = render_html(report, sha256)
    progress(20)
    document = HTML(string=html, base_url=current_app.static_folder).render(
        stylesheets=[CSS(filename=str(stylesheet_path()))], pdf_variant="pdf/ua-1")
    progress(80)
    document.write_pdf(stream, pdf_variant="pdf/ua-1")
