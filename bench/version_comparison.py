"""Median time of the comparison of two 200-provision versions, against the consultation page.

    PYTHONPATH=. .venv/bin/python bench/version_comparison.py [--paragraphs 200] [--comments 600] [--runs 30]

Version 1 is the benchmark draft of bench/consultation_page.py with its published comments;
version 2 rewords every fourth provision and inserts a point at the head of every list
(so everything after it is renumbered). Prints the medians and the ratio of each page to
the consultation page with its comments, measured in the same run.
"""

import argparse
import os
import re
import statistics
import tempfile
from datetime import timedelta

from bench.consultation_page import add_comments, large_draft, timed
from config import TestingConfig
from consult import create_app
from consult.core.time import utcnow
from consult.extensions import db


def revised(draft: str) -> str:
    lines, count = [], 0
    for line in draft.splitlines():
        match = re.match(r"^(\d+)\) (.*)$", line)
        if match:
            count += 1
            if match[1] == "1":
                lines.append("1) zadanie dodane w drugiej wersji programu;")
            text = match[2].replace("wspólnie", "wspólnie i jawnie") if count % 4 == 0 else match[2]
            lines.append(f"{int(match[1]) + 1}) {text}")
        else:
            lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--comments", type=int, default=600)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="consult-bench-")

    class BenchConfig(TestingConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite"

    app = create_app(BenchConfig)
    from consult.consultations.models import Consultation, ConsultationState
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version

    with app.app_context():
        db.create_all()
        now = utcnow()
        consultation = Consultation(
            slug="bench",
            title="Benchmark",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=20),
            state=ConsultationState.PUBLISHED,
        )
        db.session.add(consultation)
        draft = large_draft(args.paragraphs)
        publish_version(import_draft(consultation, parse_markdown(draft), None), None)
        db.session.commit()
        add_comments(consultation, args.comments)
        db.session.commit()
        second = import_draft(consultation, parse_markdown(revised(draft)), None)
        publish_version(second, None, comments_open_confirmed=True)
        db.session.commit()
        print(f"two versions of {args.paragraphs} provisions, {args.comments} comments ({db.engine.dialect.name})")

    client = app.test_client()
    pages = [
        ("consultation page", "/consultations/bench"),
        ("comparison inline", "/consultations/bench/versions/1..2"),
        ("comparison side", "/consultations/bench/versions/1..2?view=side"),
        ("comparison JSON", "/api/v1/consultations/bench/versions/1..2"),
    ]
    baseline = None
    for name, url in pages:
        first, times = timed(client, url, args.runs)
        median = statistics.median(times)
        baseline = baseline or median
        print(
            f"{name:<18} median {median * 1000:7.1f} ms   ratio to the consultation page {median / baseline:5.2f}   "
            f"({args.runs} runs; first request {first * 1000:.0f} ms)"
        )
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main()
