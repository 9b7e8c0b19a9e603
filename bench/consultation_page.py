"""Median time of the consultation page and its JSON for a large draft.

    make bench      (or: PYTHONPATH=. .venv/bin/python bench/consultation_page.py [--paragraphs 200]
                     [--comments 3000] [--runs 30])

Builds a throw-away SQLite database (or uses BENCH_DATABASE_URL, which must point
at an empty database) with one open consultation of the given size (and as many published comments,
spread over its paragraphs, a third of them supported by another organisation), then times
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
    lines = [
        "# Program współpracy — wersja do testów wydajności",
        "",
        "## Preambuła",
        "",
        "Gmina Miejska Kraków współpracuje z organizacjami pozarządowymi.",
        "",
    ]
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


def add_comments(consultation, count: int) -> None:
    """Published comments of every kind from ten organisations, inserted in bulk."""
    import sqlalchemy as sa

    from consult.accounts.models import Organisation, OrganisationStatus
    from consult.comments.models import Comment, CommentKind, CommentStatus, Support
    from consult.drafts.models import Paragraph

    if not count:
        return
    organisations = [Organisation(name=f"Organizacja {n}", status=OrganisationStatus.VERIFIED) for n in range(10)]
    db.session.add_all(organisations)
    db.session.flush()
    version = consultation.versions[-1]
    paragraphs = db.session.execute(
        sa.select(Paragraph.id, Paragraph.key, Paragraph.text).where(Paragraph.version_id == version.id)
    ).all()
    kinds = list(CommentKind)
    rows = []
    for n in range(count):
        paragraph_id, key, text = paragraphs[n % len(paragraphs)]
        kind = kinds[n % len(kinds)]
        proposed = (
            text.replace("organizacjami", "organizacjami pozarządowymi i grupami nieformalnymi")
            if kind == CommentKind.CHANGE
            else "Nowy przepis o konsultacjach."
            if kind == CommentKind.ADD
            else ""
        )
        rows.append(
            {
                "consultation_id": consultation.id,
                "version_id": version.id,
                "paragraph_id": paragraph_id,
                "paragraph_key": key,
                "organisation_id": organisations[n % 10].id,
                "number": n + 1,
                "kind": kind,
                "status": CommentStatus.PUBLISHED,
                "proposed_text": proposed,
                "justification": f"Uzasadnienie uwagi numer **{n + 1}**: proponujemy doprecyzować przepis.",
                "submitted_at": utcnow(),
                "updated_at": utcnow(),
                "submission_token": f"bench-{n}",
            }
        )
    db.session.execute(sa.insert(Comment), rows)
    ids = db.session.scalars(
        sa.select(Comment.id).where(Comment.consultation_id == consultation.id).order_by(Comment.number)
    ).all()
    db.session.execute(
        sa.insert(Support),
        [
            {"comment_id": comment_id, "organisation_id": organisations[(i + 1) % 10].id}
            for i, comment_id in enumerate(ids)
            if i % 3 == 0
        ],
    )


def timed(client, url: str, runs: int) -> tuple[float, list[float]]:
    """The first request (templates compiled, Markdown and diff caches empty), then ``runs`` more."""
    start = time.perf_counter()
    client.get(url)
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return first, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--comments", type=int, default=0, help="published comments spread over the paragraphs")
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
        parsed = parse_markdown(large_draft(args.paragraphs))
        publish_version(import_draft(consultation, parsed, None), None)
        db.session.commit()
        add_comments(consultation, args.comments)
        db.session.commit()
        print(
            f"draft: {parsed.section_count} sections, {parsed.paragraph_count} paragraphs, "
            f"{args.comments} published comments ({db.engine.dialect.name})"
        )

    client = app.test_client()
    pages = [
        ("consultation page", "/consultations/bench"),
        ("JSON document", "/api/v1/consultations/bench"),
        ("JSON comments", "/api/v1/consultations/bench/comments"),
    ]
    for name, url in pages:
        first, times = timed(client, url, args.runs)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"{name:<18} median {statistics.median(times) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   "
            f"({args.runs} runs; first request {first * 1000:.0f} ms)"
        )
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main()
