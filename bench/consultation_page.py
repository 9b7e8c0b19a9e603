"""Median time of the consultation page and its JSON for a large draft.

    make bench      (or: PYTHONPATH=. .venv/bin/python bench/consultation_page.py [--paragraphs 200] [--runs 30])

Builds a throw-away SQLite database (or uses BENCH_DATABASE_URL, which must point
at an empty database) with one open consultation of the given size, then times
requests through Flask's test client (no network, so the figure is the server's
own work) and prints the median and the 90th percentile.
"""

import argparse
import os
import statistics
import tempfile
import time
from datetime import timedelta

from config import TestingConfig
from consult import create_app
from consult.core.time import utcnow
from consult.extensions import db


def large_draft(paragraphs: int) -> str:
    """Chapters of five § units, each with an ustęp and points, until the count is reached."""
    lines = ["# Program współpracy — wersja do testów wydajności", "", "## Preambuła", "",
             "Gmina Miejska Kraków współpracuje z organizacjami pozarządowymi.", ""]
    made, unit, chapter = 1, 0, 0
    while made < paragraphs:
        if unit % 5 == 0:
            chapter += 1
            lines += [f"## Rozdział {chapter}. Część {chapter} programu", ""]
        unit += 1
        lines.append(f"§ {unit}. 1. Ustęp pierwszy paragrafu {unit}, o zasadach współpracy z organizacjami.")
        made += 1
        lines += ["", "2. W ramach tego paragrafu Gmina:"]
        made += 1
        for point in range(1, 7):
            if made >= paragraphs:
                break
            lines.append(f"{point}) zadanie {point} realizowane wspólnie z organizacjami pozarządowymi;")
            made += 1
        lines.append("")
    return "\n".join(lines)


def timed(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm up templates and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200)
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
        consultation = Consultation(slug="bench", title="Benchmark", opens_at=now - timedelta(days=1),
                                    closes_at=now + timedelta(days=20), state=ConsultationState.PUBLISHED)
        db.session.add(consultation)
        parsed = parse_markdown(large_draft(args.paragraphs))
        publish_version(import_draft(consultation, parsed, None), None)
        db.session.commit()
        print(f"draft: {parsed.section_count} sections, {parsed.paragraph_count} paragraphs "
              f"({db.engine.dialect.name})")

    client = app.test_client()
    for name, url in [("consultation page", "/consultations/bench"), ("JSON document", "/api/v1/consultations/bench")]:
        times = timed(client, url, args.runs)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{name:<18} median {statistics.median(times) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   "
              f"({args.runs} runs)")
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main()
