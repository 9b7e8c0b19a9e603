"""The consultation page with 300, 3,000 and 30,000 comments against the same page with none.

    make bench      (or: PYTHONPATH=. .venv/bin/python bench/consultation_page.py [--paragraphs 200]
                     [--sizes 0 300 3000 30000] [--runs 15] [--organisations 5000])

Builds a throw-away SQLite database (or uses BENCH_DATABASE_URL, which must point
at an empty database) with one open consultation per size, each with the same draft and that many
published comments spread over its paragraphs and over up to 5,000 organisations (a third of them
supported by another organisation),
then times requests through Flask's test client (no network, so the figure is the server's own
work), the sizes interleaved, and prints each median with its ratio to the page with no comments
(the goal: at most 1.2 at every size). The largest page is requested many times in one process:
the 30,000-comment page used to crash the interpreter on the third request.

Then the comments as open data: a page of the JSON list at each size, and the whole list streamed
(its time, and the peak of the memory Python allocated while it was written); and the search page
for a word every comment holds and for words a few hold.
"""

import argparse
import os
import statistics
import tempfile
import time
import tracemalloc
from datetime import timedelta

import sqlalchemy as sa

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


def add_comments(consultation, count: int, organisation_count: int = 10) -> None:
    """Published comments of every kind, spread over ``organisation_count`` organisations (at most
    one per comment), inserted in bulk."""
    import sqlalchemy as sa

    from consult.accounts.models import Organisation, OrganisationStatus
    from consult.comments.models import Comment, CommentKind, CommentStatus, Support
    from consult.drafts.models import Paragraph

    if not count:
        return
    organisations = [
        Organisation(name=f"Organizacja {consultation.id}-{n}", status=OrganisationStatus.VERIFIED)
        for n in range(max(2, min(organisation_count, count)))
    ]
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
                "organisation_id": organisations[n % len(organisations)].id,
                "number": n + 1,
                "kind": kind,
                "status": CommentStatus.PUBLISHED,
                "proposed_text": proposed,
                "justification": f"Uzasadnienie uwagi numer **{n + 1}**: proponujemy doprecyzować przepis.",
                "submitted_at": utcnow(),
                "updated_at": utcnow(),
                "submission_token": f"bench-{consultation.id}-{n}",
            }
        )
    db.session.execute(sa.insert(Comment), rows)
    ids = db.session.scalars(
        sa.select(Comment.id).where(Comment.consultation_id == consultation.id).order_by(Comment.number)
    ).all()
    db.session.execute(
        sa.insert(Support),
        [
            {"comment_id": comment_id, "organisation_id": organisations[(i + 1) % len(organisations)].id}
            for i, comment_id in enumerate(ids)
            if i % 3 == 0
        ],
    )


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def open_data(client, sizes: list[int], runs: int) -> None:
    """The comments as open data: a page of 100 (the second, full at every size) against the same
    page at the smallest size, and the whole list streamed: its time and its peak of Python memory."""
    if not sizes:
        return
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for size in sizes:
        timed(client, f"/api/v1/consultations/bench-{size}/comments?page=2")
    for _ in range(runs):
        for size in sizes:
            times[size].append(timed(client, f"/api/v1/consultations/bench-{size}/comments?page=2"))
    base = statistics.median(times[sizes[0]])
    for size in sizes:
        median = statistics.median(times[size])
        print(
            f"comments API page  {size:>6} comments: median {median * 1000:7.1f} ms, ratio {median / base:4.2f} to {sizes[0]}"
        )
    for size in sizes:
        url = f"/api/v1/consultations/bench-{size}/comments/all"
        start = time.perf_counter()
        length = sum(len(chunk) for chunk in client.get(url, buffered=False).response)
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        response = client.get(url, buffered=False)
        for _chunk in response.response:
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        response.close()
        print(
            f"comments streamed  {size:>6} comments: {elapsed:6.2f} s, {length / 1e6:6.1f} MB, "
            f"peak Python memory {peak / 1e6:5.1f} MB"
        )


def search_times(client, sizes: list[int], runs: int) -> None:
    """The search page: a word in every comment (the count covers them all) and words in a few."""
    import re

    for words in ("przepisu", "nieformalnych grup"):
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(runs + 1):
            for size in sizes:
                times[size].append(timed(client, f"/consultations/bench-{size}/search?q={words}"))
        for size in sizes:
            page = client.get(f"/consultations/bench-{size}/search?q={words}").get_data(as_text=True)
            found = re.search(r'role="status">([^<]*)<', page).group(1)
            median = statistics.median(times[size][1:])
            print(f"search {words!r:<20} {size:>6} comments: median {median * 1000:7.1f} ms ({found})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[0, 300, 3000, 30000], help="published comments of each consultation"
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--no-page-cache", action="store_true", help="render every request (what each change of a consultation costs)"
    )
    parser.add_argument(
        "--organisations", type=int, default=5000, help="organisations the comments come from (at most one per comment)"
    )
    parser.add_argument("--limit", type=float, default=1.2, help="the largest ratio to the page with no comments")
    args = parser.parse_args()
    sizes = sorted(set([0, *args.sizes]))

    workdir = tempfile.mkdtemp(prefix="consult-bench-")

    class BenchConfig(TestingConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite"
        PAGE_CACHE = not args.no_page_cache

    app = create_app(BenchConfig)
    from consult.consultations.models import Consultation, ConsultationState
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version

    with app.app_context():
        db.create_all()
        now = utcnow()
        parsed = parse_markdown(large_draft(args.paragraphs))
        for size in sizes:
            consultation = Consultation(
                slug=f"bench-{size}",
                title="Benchmark",
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=20),
                state=ConsultationState.PUBLISHED,
            )
            db.session.add(consultation)
            publish_version(import_draft(consultation, parsed, None), None)
            db.session.commit()
            add_comments(consultation, size, args.organisations)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does a minute after a load: each comment inserted updated its provision's
            # row of comment_counts, and a table read at once still holds the 30,000 dead row versions.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
        print(
            f"draft: {parsed.section_count} sections, {parsed.paragraph_count} paragraphs; "
            f"consultations with {', '.join(map(str, sizes))} published comments ({db.engine.dialect.name}); "
            f"load {os.getloadavg()[0]:.2f}"
        )

    client = app.test_client()
    pages = [
        ("consultation page", "/consultations/bench-{size}"),
        ("JSON document", "/api/v1/consultations/bench-{size}"),
    ]
    for name, url in pages:
        for size in sizes:  # first requests: templates compiled, caches filled
            timed(client, url.format(size=size))
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(args.runs):  # sizes interleaved, so a change of the machine's load hits all alike
            for size in sizes:
                times[size].append(timed(client, url.format(size=size)))
        base = statistics.median(times[0])
        worst = 0.0
        for size in sizes:
            median = statistics.median(times[size])
            ratio = median / base
            if size:
                worst = max(worst, ratio)
            bytes_ = len(client.get(url.format(size=size)).data)
            print(
                f"{name:<18} {size:>6} comments: median {median * 1000:7.1f} ms, {bytes_ / 1024:7.0f} KiB, "
                f"ratio {ratio:4.2f} (limit {args.limit})"
            )
        print(f"{name:<18} worst ratio {worst:.2f} / {args.limit}: {'PASS' if worst <= args.limit else 'FAIL'}")
    open_data(client, [size for size in sizes if size >= 300], args.runs)
    search_times(client, sizes, args.runs)
    print(f"load {os.getloadavg()[0]:.2f} after {args.runs} interleaved runs per size")
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main()
