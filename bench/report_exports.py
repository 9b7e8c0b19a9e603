"""Time and peak memory of each report format for 1,000 and 10,000 comments.

    make bench-reports   (or: PYTHONPATH=. .venv/bin/python bench/report_exports.py [--sizes 1000 10000]
                              [--formats csv json xlsx docx odt pdf] [--pdf-limit N] [--tracemalloc])

For each size it builds a throw-away SQLite database with one closed consultation,
that many comments (with supports and positions), publishes the report, and then,
per format, rebuilds the Report from the published snapshot and runs the exporter
into a temporary file, as the background job does.

Each export runs in a child process forked once the snapshot is loaded, so the formats
do not disturb one another. Printed per format: wall time, and peak memory: how far the
child's resident set rose above what it started with (Linux). CSV and JSON write row by
row, so their peak must stay flat while the number of comments grows tenfold.

--tracemalloc measures Python's own allocations in-process instead (as this script
did at first). It slows the exporters down, so its times are not the real ones; it does not see
the PDF's typesetting processes.
"""

import argparse
import importlib
import os
import resource
import struct
import sys
import tempfile
import time
import traceback
import tracemalloc
from datetime import timedelta

from config import TestingConfig
from consult import create_app
from consult.core.time import utcnow
from consult.extensions import db
from consult.reports.exporters import no_progress

FORMATS = ("csv", "json", "xlsx", "docx", "odt", "pdf")
# The PDF is typeset in parts, each in a process of its own: memory must not grow with the
# comments. Any size above this fails the bench (exit status 1), so "all pages in memory" is caught.
PDF_CEILING_MB = 500


def _draft(paragraphs: int) -> str:
    lines = ["# Program współpracy — raport do testów wydajności", ""]
    for chapter in range(1, paragraphs // 20 + 2):
        lines += [f"## Rozdział {chapter}. Część {chapter}", ""]
        for unit in range(1, 21):
            lines += [f"§ {chapter * 100 + unit}. Ustęp o współpracy z organizacjami, zażółć gęślą jaźń {unit}.", ""]
    return "\n".join(lines)


def populate(comments: int) -> int:
    """One closed consultation with the given number of comments; returns its id."""
    import sqlalchemy as sa

    from consult.accounts.models import Organisation, OrganisationStatus
    from consult.comments.models import Comment, CommentKind, CommentStatus, Support
    from consult.consultations.models import Consultation, ConsultationState
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version
    from consult.moderation.models import Position, PositionState, PositionStatus

    now = utcnow()
    consultation = Consultation(
        slug=f"bench-{comments}",
        title=f"Raport {comments} uwag",
        organiser="Wydział Spraw Społecznych",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        state=ConsultationState.PUBLISHED,
    )
    db.session.add(consultation)
    version = import_draft(consultation, parse_markdown(_draft(200)), None)
    publish_version(version, None)
    organisations = [Organisation(name=f"Fundacja Ławka nr {i}", status=OrganisationStatus.VERIFIED) for i in range(50)]
    db.session.add_all(organisations)
    db.session.flush()
    paragraphs = version.paragraphs
    kinds = list(CommentKind)
    db.session.execute(
        sa.insert(Comment),
        [
            {
                "consultation_id": consultation.id,
                "version_id": version.id,
                "paragraph_id": paragraphs[i % len(paragraphs)].id,
                "paragraph_key": paragraphs[i % len(paragraphs)].key,
                "organisation_id": organisations[i % 50].id,
                "number": i + 1,
                "kind": kinds[i % 4],
                "status": CommentStatus.PUBLISHED,
                "proposed_text": f"Proponowane brzmienie nr {i}: " + "współpraca z organizacjami pozarządowymi " * 4,
                "justification": "Uzasadnienie – dłuższy tekst z polskimi literami: żółć, gęśl, jaźń.\n" * 3,
                "submitted_at": now - timedelta(days=10),
                "row_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(comments)
        ],
    )
    ids = db.session.scalars(
        sa.select(Comment.id).where(Comment.consultation_id == consultation.id).order_by(Comment.number)
    ).all()
    statuses = list(PositionStatus)
    db.session.execute(
        sa.insert(Position),
        [
            {
                "comment_id": comment_id,
                "status": statuses[i % 4],
                "reason": "Stanowisko z uzasadnieniem. " * 3,
                "state": PositionState.PUBLISHED,
                "published_at": now,
                "row_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i, comment_id in enumerate(ids)
            if i % 10
        ],
    )
    db.session.execute(
        sa.insert(Support),
        [
            {"comment_id": comment_id, "organisation_id": organisations[(i + 1) % 50].id, "created_at": now}
            for i, comment_id in enumerate(ids)
            if i % 3 == 0
        ],
    )
    db.session.commit()
    return consultation.id


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _export(export, report, sha256: str) -> tuple[float, int]:
    """Run one exporter into a temporary file: (seconds, bytes written)."""
    with tempfile.TemporaryFile() as target:
        start = time.perf_counter()
        export(report, target, no_progress, sha256=sha256)
        elapsed = time.perf_counter() - start
        target.seek(0, os.SEEK_END)
        return elapsed, target.tell()


def measure_in_child(export, report, sha256: str) -> tuple[float, int, int]:
    """(seconds, peak resident growth in bytes, file size) of one export in a forked child.

    The PDF is typeset in processes of the child's own (consult/reports/exporters/typeset.py):
    the peak is then the larger of the child's growth and the largest of those processes."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: export, report, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            start_rss = _resident_bytes()
            elapsed, size = _export(export, report, sha256)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
            typesetter = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            os.write(write_end, struct.pack("dqq", elapsed, max(peak - start_rss, typesetter, 0), size))
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(write_end)
    data = os.read(read_end, struct.calcsize("dqq"))
    os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    if status or not data:
        raise RuntimeError(f"the export failed in the child process (status {status})")
    return struct.unpack("dqq", data)


def measure_with_tracemalloc(export, report, sha256: str) -> tuple[float, int, int]:
    tracemalloc.start()
    try:
        elapsed, size = _export(export, report, sha256)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return elapsed, peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument(
        "--pdf-limit", type=int, default=None, help="skip the PDF above this many comments (default: never)"
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="peak of Python allocations, in-process (slower; not the PDF typesetting processes)",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="consult-bench-reports-")

    class BenchConfig(TestingConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{workdir}/bench.sqlite"

    app = create_app(BenchConfig)
    from flask_babel import force_locale

    from consult.consultations.models import Consultation
    from consult.reports.builder import report_from_json
    from consult.reports.exporters.columns import headers
    from consult.reports.formats import report_format
    from consult.reports.operations import publish_report

    if "pdf" in args.formats:
        importlib.import_module("typst")  # loaded once here: not counted in the PDF's time and memory

    # One forced locale for the whole run: entering force_locale drops the loaded catalogue,
    # which would then be parsed again inside the first measurement.
    with app.app_context(), app.test_request_context(), force_locale("pl"):
        db.create_all()
        memory = "Python peak" if args.tracemalloc else "peak RSS +"
        print(f"{'comments':>8}  {'format':<6} {'time':>9}  {memory:>12}  {'file size':>10}")
        over: list[str] = []
        for size in args.sizes:
            consultation = db.session.get(Consultation, populate(size))
            start = time.perf_counter()
            published = publish_report(consultation, None)
            db.session.commit()
            print(
                f"{size:>8}  {'build':<6} {time.perf_counter() - start:>8.2f}s  "
                f"{'':>12}  {len(published.data) / 1e6:>8.1f}MB  (query, build, snapshot JSON)"
            )
            report = report_from_json(published.data)
            headers()  # load the catalogue now, not inside the first measurement
            for fmt in args.formats:
                if fmt == "pdf" and args.pdf_limit is not None and size > args.pdf_limit:
                    print(f"{size:>8}  {fmt:<6} skipped (over --pdf-limit {args.pdf_limit})")
                    continue
                measure = measure_with_tracemalloc if args.tracemalloc else measure_in_child
                elapsed, peak, size_on_disk = measure(report_format(fmt).export, report, published.sha256)
                limits = ""
                if fmt == "pdf":
                    # The goals: 60 s and 500 MB for 10,000 comments; the memory ceiling holds at any size.
                    limits = f"  time {elapsed / 60:.2f} of 60 s, memory {peak / 1e6 / PDF_CEILING_MB:.2f} of 500 MB"
                    if peak / 1e6 > PDF_CEILING_MB:
                        over.append(f"PDF of {size} comments: {peak / 1e6:.0f} MB")
                print(
                    f"{size:>8}  {fmt:<6} {elapsed:>8.2f}s  {peak / 1e6:>10.1f}MB  {size_on_disk / 1e6:>8.2f}MB{limits}",
                    flush=True,
                )
        db.drop_all()
    if over:
        sys.exit("Above the PDF's memory ceiling: " + "; ".join(over))


if __name__ == "__main__":
    main()
