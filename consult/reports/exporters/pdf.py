"""PDF through WeasyPrint, from the same template as the web page.

A4 with page numbers, the comments table on landscape pages with its header row
repeated on each, DejaVu Sans embedded (Polish letters), tagged as PDF/UA-1 with
the document's language and title, so screen readers can follow it.

WeasyPrint lays out every page before it writes any, so time and memory grow with the
number of pages (about one per five comments). Two things keep that growth linear and
the constant small, see :func:`cyclic_gc_paused` and :func:`_index_page_references`;
docs/report-formats.md has the figures.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from flask import current_app, render_template

from consult.core.text import xml_text
from consult.reports.builder import Report
from consult.reports.exporters import Progress, no_progress
from consult.reports.presentation import report_context

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off while a PDF is made.

    Laying out a long report allocates millions of objects that all stay alive until
    the file is written; the collector would walk them again and again and free
    nothing (a quarter of the time at 1,000 comments). Reference counting still frees
    everything else. Nested and concurrent exports share one pause; the collector comes
    back, if it was on, when the last one ends.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


_index_lock = threading.Lock()


def _index_page_references() -> None:
    """Make ``pydyf.PDF.page_references`` build its tuple once per page count.

    WeasyPrint's tagging (``weasyprint/pdf/tags.py``) reads ``pdf.page_references[n]``
    for every tagged element, and pydyf builds the tuple of all the document's page
    references on each read: time grows with elements × pages, about 1.3 billion
    strings for 10,000 comments. The replacement returns what the original returns,
    computed again whenever a page has been added. Remove it once pydyf caches the
    tuple itself.
    """
    import pydyf

    with _index_lock:
        current = getattr(pydyf.PDF, "page_references", None)
        if not isinstance(current, property) or getattr(current.fget, "indexed", False):
            return  # not the property we know (pydyf changed), or already replaced
        original = current.fget

        def page_references(pdf):
            count = len(pdf.pages["Kids"])
            cached = pdf.__dict__.get("_consult_page_references")
            if cached is None or cached[0] != count:
                cached = pdf.__dict__["_consult_page_references"] = (count, original(pdf))
            return cached[1]

        page_references.indexed = True
        pydyf.PDF.page_references = property(page_references, doc=current.__doc__)


def stylesheet_path() -> Path:
    return Path(current_app.static_folder) / "css" / "report-print.css"


def render_html(report: Report, sha256: str | None) -> str:
    """The print page, without the control characters a stored text may hold (they would
    come out as empty boxes or odd marks in the PDF's text layer)."""
    return xml_text(render_template("reports/report_print.html", **report_context(report, sha256=sha256)))


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    from weasyprint import CSS, HTML  # heavy: loaded only when a PDF is made

    _index_page_references()
    progress(5)
    html = render_html(report, sha256)
    progress(20)
    with cyclic_gc_paused():
        document = HTML(string=html, base_url=current_app.static_folder).render(
            stylesheets=[CSS(filename=str(stylesheet_path()))], pdf_variant="pdf/ua-1"
        )
        del html
        progress(80)
        document.write_pdf(stream, pdf_variant="pdf/ua-1")
