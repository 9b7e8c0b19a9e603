"""Every fact about a report format, in one place: a new format is one entry here and one exporter.

The download URLs (``report.<name>``), the ``Content-Type`` and file name of a download, the
links and their descriptions on the report page, the progress page, the choice between
building a file while the visitor waits and building it in the background, and the job that
builds it all read :data:`REPORT_FORMATS`. The exporter modules are imported only when a file
is built (the PDF libraries take a while to import).
"""

from dataclasses import dataclass
from importlib import import_module
from typing import BinaryIO

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from consult.reports.builder import Report
from consult.reports.exporters import Progress


@dataclass(frozen=True)
class ReportFormat:
    name: str  # in the URL (report.pdf), the file name and ReportExport.format (at most 8 letters)
    label: str  # what the download link says
    mimetype: str  # without parameters: Flask adds "; charset=utf-8" to text types
    description: LazyString  # one line under the link: what the file is for
    background: bool  # True: a large report is built by the job queue; False: always at once (streamed)
    attachment: bool = True  # False: shown in the browser (JSON, as the API serves it)
    # Text: sent gzip-compressed to clients that accept it (the others are zip archives or PDF,
    # compressed already).
    compressible: bool = False
    exporter: str = ""  # module with ``export(report, stream, progress, *, sha256)``; default by name

    @property
    def extension(self) -> str:
        return self.name

    def export(self, report: Report, stream: BinaryIO, progress: Progress, *, sha256: str | None = None) -> None:
        module = import_module(self.exporter or f"consult.reports.exporters.{self.name}")
        module.export(report, stream, progress, sha256=sha256)


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("pdf", "PDF", "application/pdf", _l("a document to read and print"), background=True),
    ReportFormat(
        "docx",
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _l("a document to edit (Word)"),
        background=True,
    ),
    ReportFormat(
        "odt",
        "ODT",
        "application/vnd.oasis.opendocument.text",
        _l("a document to edit (LibreOffice, OpenOffice)"),
        background=True,
    ),
    ReportFormat(
        "xlsx",
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _l("a spreadsheet, one row per comment"),
        background=True,
    ),
    ReportFormat(
        "csv", "CSV", "text/csv", _l("a table as text, one row per comment"), background=False, compressible=True
    ),
    ReportFormat(
        "json",
        "JSON",
        "application/json",
        _l("the same data for programs"),
        background=False,
        attachment=False,
        compressible=True,
    ),
)

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in REPORT_FORMATS)
_BY_NAME = {f.name: f for f in REPORT_FORMATS}


def report_format(name: str) -> ReportFormat:
    """The format named ``name`` (a KeyError for another name: the URL converter lets only these through)."""
    return _BY_NAME[name]
