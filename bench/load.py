"""Comments sent by many clients at once, and the public page under load, through gunicorn and PostgreSQL.

    make bench-load   (or: PYTHONPATH=. .venv/bin/python bench/load.py [--clients 50] [--seconds 20]
                            [--workers 4] [--page-clients 10] [--page-comments 5464] [--burst 500]
                            [--app-dir DIR ...])

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/consult_scale_load;
the database is dropped and made again) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/5: the job
queue and the page cache; nothing consumes the jobs, the receipts wait in the outbox).

For each application directory given (by default this checkout; give another checkout of Consult to compare
before and after in the same run), it builds the database with that checkout's models, starts gunicorn on a
free loopback port with rate limits off, and measures, each for ``--seconds``:

* ``/healthz`` with ``--clients`` clients: the baseline of the machine and the stack;
* ``/bench/select-1`` (a route of this bench only): one ``SELECT 1`` through the whole stack, as ``/healthz``
  was when issue 15 set its goal. No request can cost less: it is the floor the submissions are compared with;
* comment submissions with ``--clients`` clients (each a signed-in member of its own verified organisation,
  each POST a new comment on a provision of one open consultation): per second, p50/p95, and the ratio
  to ``/healthz`` (goal: at least 200 per second and p95 at most 200 ms at 50 clients);
* the public page of a consultation with ``--page-comments`` published comments with ``--page-clients``
  clients (goal: at least 50 pages per second at 10 clients);
* a burst of ``--burst`` comments (500) sent evenly over the two seconds around the deadline of the
  consultation, each stamped as nginx stamps it (``X-Request-Start``; the server trusts one proxy, as in
  docs/deploy.md): lost, duplicated and mistimed comments are counted from the database (all must be 0).

Each measurement prints the CPU it cost per request on the whole machine (the application's workers,
PostgreSQL, Redis, this client), and the submissions what that CPU allows on this machine's cores.

To compare with the code as issue 15 found it, in the same run:
``git worktree add --detach /tmp/before c0cd31b`` and ``--app-dir /tmp/before .``.

The client is a small asyncio HTTP/1.1 client (a new connection per request, as gunicorn's sync workers close
each one), so it needs nothing beyond the standard library. Client and server share the machine: the ratio to
``/healthz`` measured in the same run is the figure to compare.
"""

import argparse
import asyncio
import collections
import math
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
PASSWORD = "Bench-hasło-2026-długie"
KEY = "par-1-ust-1"

SETUP = r"""
import os, sys
from datetime import timedelta
import sqlalchemy as sa
from config import TestingConfig
from consult import create_app
from consult.extensions import db

clients, page_comments = int(sys.argv[1]), int(sys.argv[2])

class SetupConfig(TestingConfig):
    SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"

app = create_app(SetupConfig)
with app.app_context():
    from consult.accounts.models import Membership, MembershipStatus, Organisation, OrganisationStatus, User
    from consult.accounts.passwords import hash_password
    from consult.comments.models import Comment, CommentKind, CommentStatus
    from consult.consultations.models import Consultation, ConsultationState
    from consult.core.time import utcnow
    from consult.drafts.importers import parse_markdown
    from consult.drafts.models import Paragraph
    from consult.drafts.operations import import_draft, publish_version
    sys.path.insert(0, os.environ["BENCH_DIR"])
    from consultation_page import large_draft

    db.create_all()
    now = utcnow()
    password = hash_password(os.environ["BENCH_PASSWORD"])
    for slug, size in (("submissions", 0), ("public", page_comments)):
        consultation = Consultation(slug=slug, title="Bench " + slug, opens_at=now - timedelta(days=1),
                                    closes_at=now + timedelta(days=20), state=ConsultationState.PUBLISHED)
        db.session.add(consultation)
        publish_version(import_draft(consultation, parse_markdown(large_draft(200)), None), None)
        db.session.commit()
        if size:
            organisations = [Organisation(name=f"Organizacja {n}", status=OrganisationStatus.VERIFIED)
                             for n in range(50)]
            db.session.add_all(organisations)
            db.session.flush()
            paragraphs = db.session.execute(sa.select(Paragraph.id, Paragraph.key, Paragraph.text)
                                            .where(Paragraph.version_id == consultation.versions[-1].id)).all()
            db.session.execute(sa.insert(Comment), [
                {"consultation_id": consultation.id, "version_id": consultation.versions[-1].id,
                 "paragraph_id": paragraphs[n % len(paragraphs)][0], "paragraph_key": paragraphs[n % len(paragraphs)][1],
                 "paragraph_text": paragraphs[n % len(paragraphs)][2],
                 "organisation_id": organisations[n % 50].id, "number": n + 1, "kind": CommentKind.GENERAL,
                 "status": CommentStatus.PUBLISHED, "proposed_text": "",
                 "justification": f"Uzasadnienie uwagi {n + 1}.", "submitted_at": now, "updated_at": now,
                 "submission_token": f"bench-{n}"} for n in range(size)])
            db.session.commit()
    for n in range(clients):
        user = User(email=f"bench{n}@example.org", password_hash=password, display_name=f"Bench {n}",
                    email_confirmed_at=now)
        organisation = Organisation(name=f"Fundacja Obciążenia {n}", status=OrganisationStatus.VERIFIED)
        db.session.add_all([user, organisation, Membership(user=user, organisation=organisation,
                                                             status=MembershipStatus.ACTIVE)])
    db.session.commit()
"""

BENCH_WSGI = r"""
import os
from config import config_from_environment
from consult import create_app

config = config_from_environment()
config.RATELIMIT_ENABLED = False  # every client comes from 127.0.0.1
app = create_app(config)


# /healthz as it was when issue 15 set its goal (one SELECT 1 through the whole stack): the floor of
# any request. Today's /healthz also asks Redis and the job queue.
@app.get("/bench/select-1")
def select_one():
    import sqlalchemy as sa
    from flask import jsonify
    from consult.extensions import db

    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok", database="ok")
"""


# --- a small HTTP client -------------------------------------------------------------------------


async def http(
    port: int, method: str, path: str, *, cookie: str = "", form: dict | None = None, headers: tuple[str, ...] = ()
):
    """One request on a new connection: (status, headers, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = urlencode(form).encode() if form is not None else b""
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Accept-Language: pl", *headers]
    if cookie:
        head.append(f"Cookie: {cookie}")
    if form is not None:
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    data = await reader.read()
    writer.close()
    header_bytes, _, content = data.partition(b"\r\n\r\n")
    lines = header_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = [tuple(line.split(": ", 1)) for line in lines[1:] if ": " in line]
    return status, headers, content


def _cookies(headers, jar: dict) -> str:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


async def signed_in_client(port: int, n: int) -> tuple[str, str, str]:
    """Sign in as bench<n>: (cookie, CSRF token, organisation id) for the comment form."""
    jar: dict = {}
    status, headers, body = await http(port, "GET", "/login")
    cookie = _cookies(headers, jar)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
    form = {"csrf_token": token, "email": f"bench{n}@example.org", "password": PASSWORD}
    status, headers, body = await http(port, "POST", "/login", cookie=cookie, form=form)
    assert status == 302, (status, body[:500])
    cookie = _cookies(headers, jar)
    status, headers, body = await http(
        port, "GET", f"/consultations/submissions/comment?paragraph={KEY}", cookie=cookie
    )
    assert status == 200, status
    cookie = _cookies(headers, jar)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
    organisation = re.search(rb'name="organisation"[^>]*value="(\d+)"|<option[^>]*value="(\d+)"', body)
    organisation_id = (organisation.group(1) or organisation.group(2)).decode()
    return cookie, token, organisation_id


def comment_form(token: str, organisation_id: str, justification: str) -> dict:
    """The comment form as a member sends it (a new submission token each time)."""
    return {
        "csrf_token": token,
        "submission_token": secrets.token_urlsafe(24),
        "organisation": organisation_id,
        "kind": "general",
        "proposed_text": "",
        "justification": justification,
        "action": "send",
    }


async def run_for(seconds: float, clients: int, make_request) -> tuple[int, int, list[float]]:
    """``clients`` loops calling ``make_request(i)`` until the time is up: (ok, failed, latencies)."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    failed = 0

    async def loop(i: int):
        nonlocal failed
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                good = await make_request(i)
            except (OSError, asyncio.IncompleteReadError):
                good = False
            if good:
                latencies.append(time.perf_counter() - start)
            else:
                failed += 1

    await asyncio.gather(*(loop(i) for i in range(clients)))
    return len(latencies), failed, latencies


def cpu_seconds() -> collections.Counter:
    """CPU time used so far (user + system) by the processes on this machine, by what they are: the
    application (gunicorn), PostgreSQL, Redis, this client and the rest."""
    tick = os.sysconf("SC_CLK_TCK")
    used: collections.Counter = collections.Counter()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            command = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == os.getpid():
            group = "client"
        elif b"gunicorn" in command:
            group = "application"
        elif name.startswith("postgres") or command.startswith(b"postgres"):
            group = "PostgreSQL"
        elif name.startswith("redis"):
            group = "Redis"
        else:
            group = "other"
        used[group] += seconds
    return used


def cpu_per_request(before: collections.Counter, after: collections.Counter, requests: int) -> dict[str, float]:
    """Where the CPU went between two ``cpu_seconds()``, in milliseconds per request."""
    return {group: (after[group] - before[group]) * 1000 / max(requests, 1) for group in after}


def cpu_line(spent: dict[str, float]) -> str:
    order = ("application", "PostgreSQL", "Redis", "client", "other")
    parts = ", ".join(f"{group} {spent.get(group, 0.0):.1f}" for group in order)
    return f"    CPU per request (ms): {parts}; total {sum(spent.values()):.1f}"


async def measured(seconds: float, clients: int, make_request) -> tuple[tuple[int, int, list[float]], dict[str, float]]:
    """``run_for``, with the CPU each request cost on the whole machine."""
    before = cpu_seconds()
    result = await run_for(seconds, clients, make_request)
    return result, cpu_per_request(before, cpu_seconds(), result[0] + result[1])


def summary(name: str, seconds: float, result, base_rate: float | None = None) -> float:
    ok, failed, latencies = result
    rate = ok / seconds
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else float("nan")
    ratio = f", {rate / base_rate:.1%} of /healthz" if base_rate else ""
    print(f"  {name:<28} {rate:8.1f} per s  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({ok} ok, {failed} failed{ratio})")
    return rate


async def measure(port: int, args) -> None:
    # No RQ worker runs (nothing consumes the jobs), so readiness answers 503 "jobs: error": the
    # answer, whatever it says, is the baseline of the stack.
    healthz, cpu = await measured(args.seconds, args.clients, lambda i: _answered(port, "/healthz"))
    base = summary(f"/healthz, {args.clients} clients", args.seconds, healthz)
    print(cpu_line(cpu))
    select_one, floor = await measured(args.seconds, args.clients, lambda i: _ok(port, "/bench/select-1"))
    summary(f"SELECT 1, {args.clients} clients", args.seconds, select_one)
    print(cpu_line(floor))
    sessions = [await signed_in_client(port, n) for n in range(args.clients)]

    async def submit(i: int) -> bool:
        cookie, token, organisation_id = sessions[i]
        form = comment_form(token, organisation_id, f"Uwaga z testu obciążenia {secrets.token_hex(4)}.")
        status, _, body = await http(
            port, "POST", f"/consultations/submissions/comment?paragraph={KEY}", cookie=cookie, form=form
        )
        return status == 302

    sent, cpu = await measured(args.seconds, args.clients, submit)
    rate = summary(f"submissions, {args.clients} clients", args.seconds, sent, base)
    print(cpu_line(cpu))
    p95 = statistics.quantiles(sent[2], n=20)[-1] * 1000 if len(sent[2]) > 1 else float("nan")
    print(f"  submissions: {rate:.0f} per s (goal 200: {rate / 200:.2f}), p95 {p95:.0f} ms (goal 200: {p95 / 200:.2f})")
    print(cpu_budget(sum(cpu.values()), sum(floor.values()), args.clients))
    page, cpu = await measured(args.seconds, args.page_clients, lambda i: _ok(port, "/consultations/public"))
    rate = summary(f"public page, {args.page_clients} clients", args.seconds, page, base)
    print(cpu_line(cpu))
    print(f"  public page with {args.page_comments} comments: {rate:.1f} pages per s (goal 50: {rate / 50:.2f})")
    await deadline_burst(port, args, sessions)


def cpu_budget(submission_ms: float, floor_ms: float, clients: int) -> str:
    """What the machine's cores allow: a closed loop of clients is CPU-bound once every core is busy."""
    cores = os.cpu_count() or 1
    needed_for_p95 = clients / 0.2  # Little's law: clients / mean latency, and p95 is above the mean
    most_for_rate, most_for_p95 = cores * 1000 / 200, cores * 1000 / needed_for_p95
    return (
        f"  CPU budget on {cores} cores: {submission_ms:.1f} ms per submission allows {cores * 1000 / submission_ms:.0f} "
        f"per s; it is {submission_ms / floor_ms:.1f}× a request that only runs SELECT 1 ({floor_ms:.1f} ms). 200 per s "
        f"needs at most {most_for_rate:.1f} ms ({most_for_rate / floor_ms:.1f}× that floor); p95 ≤ 200 ms at "
        f"{clients} clients needs more than {needed_for_p95:.0f} per s, at most {most_for_p95:.1f} ms "
        f"({most_for_p95 / floor_ms:.1f}×)"
    )


async def deadline_burst(port: int, args, sessions) -> None:
    """``--burst`` comments sent evenly over the two seconds around the consultation's deadline,
    each stamped with the moment it left the client as nginx stamps a request it accepts
    (``X-Request-Start``; the server trusts one proxy). Every comment that arrived before the
    deadline must be kept, once; every one after it refused. Counted from the database."""
    import sqlalchemy as sa

    engine = sa.create_engine(args.database_url)
    deadline = math.ceil(time.time()) + 3.0
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE consultations SET closes_at = :closes WHERE slug = 'submissions'"),
            {"closes": datetime.fromtimestamp(deadline, UTC)},
        )
    outcomes: dict[int, tuple[float, int]] = {}

    async def send(i: int) -> None:
        # Never exactly on the deadline: a moment on it is "after" (closes_at is the first closed instant).
        leaves = deadline - 1.0 + (2.0 * i + 1) / args.burst  # the middles of 500 slots over 2 s
        await asyncio.sleep(max(0.0, leaves - time.time()))
        cookie, token, organisation_id = sessions[i % len(sessions)]
        form = comment_form(token, organisation_id, f"Uwaga przy terminie {i}.")
        stamp = time.time()
        try:
            status, _, _ = await http(
                port,
                "POST",
                f"/consultations/submissions/comment?paragraph={KEY}",
                cookie=cookie,
                form=form,
                headers=(f"X-Request-Start: t={stamp:.6f}", f"X-Forwarded-For: 10.0.{i // 250}.{i % 250 + 1}"),
            )
        except (OSError, asyncio.IncompleteReadError):
            status = 0
        outcomes[i] = (stamp, status)

    await asyncio.gather(*(send(i) for i in range(args.burst)))
    await asyncio.sleep(1.0)
    with engine.connect() as connection:
        kept = collections.Counter(
            int(text.split()[-1].rstrip("."))
            for text in connection.execute(
                sa.text(
                    "SELECT c.justification FROM comments c JOIN consultations k ON k.id = c.consultation_id "
                    "WHERE k.slug = 'submissions' AND c.justification LIKE 'Uwaga przy terminie %'"
                )
            ).scalars()
        )
    engine.dispose()
    before = [i for i, (stamp, _) in outcomes.items() if stamp < deadline]
    accepted = {i for i, (_, status) in outcomes.items() if status == 302}
    failed = sum(1 for _, status in outcomes.values() if status in (0, 500, 502, 503))
    lost = sum(1 for i in accepted if kept[i] == 0)
    duplicated = sum(1 for count in kept.values() if count > 1)
    refused_in_time = sum(1 for i in before if i not in accepted)
    accepted_late = sum(1 for i in accepted if outcomes[i][0] >= deadline) + sum(
        1 for i in kept if i not in accepted and outcomes[i][0] >= deadline
    )
    print(
        f"  deadline burst: {len(outcomes)} sent over 2 s ({len(before)} before the deadline), "
        f"{len(accepted)} accepted, {failed} failed; lost {lost}, duplicated {duplicated}, "
        f"mistimed {refused_in_time + accepted_late} (refused though on time {refused_in_time}, "
        f"accepted though late {accepted_late}); all must be 0"
    )


async def _ok(port: int, path: str) -> bool:
    status, _, _ = await http(port, "GET", path)
    return status == 200


async def _answered(port: int, path: str) -> bool:
    status, _, _ = await http(port, "GET", path)
    return status in (200, 503)


# --- the server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _recreate_database(url: str) -> None:
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def run_one(app_dir: Path, args, database_url: str, redis_url: str) -> None:
    python = sys.executable
    _recreate_database(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="consult-load-"))
    (workdir / "bench_wsgi.py").write_text(BENCH_WSGI)
    env = {
        **os.environ,
        "PYTHONPATH": f"{app_dir}:{workdir}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "MAIL_BACKEND": "file",
        "CONSULT_INSTANCE_DIR": str(workdir / "instance"),
        "BENCH_DIR": str(HERE),
        "BENCH_PASSWORD": PASSWORD,
        # As behind the documented nginx: the deadline burst sends X-Request-Start and X-Forwarded-For.
        "TRUSTED_PROXIES": "1",
    }
    subprocess.run([python, "-c", SETUP, str(args.clients), str(args.page_comments)], cwd=app_dir, env=env, check=True)
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=False, capture_output=True)
    port = _free_port()
    log = open(workdir / "gunicorn.log", "w")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "bench_wsgi:app",
        ],
        cwd=app_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.2)
        for path in ("/healthz", "/consultations/public"):  # each worker warmed a little
            for _ in range(args.workers * 2):
                asyncio.run(_answered(port, path))
        print(f"{app_dir} (gunicorn -w {args.workers}, PostgreSQL, Redis; load {os.getloadavg()[0]:.2f})")
        asyncio.run(measure(port, args))
        print(f"  load after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--page-clients", type=int, default=10)
    parser.add_argument("--page-comments", type=int, default=5464)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--burst", type=int, default=500, help="comments sent around the deadline")
    parser.add_argument("--app-dir", type=Path, nargs="+", default=[HERE.parent])
    args = parser.parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/consult_scale_load"
    )
    args.database_url = database_url
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    for app_dir in args.app_dir:
        run_one(app_dir.resolve(), args, database_url, redis_url)


if __name__ == "__main__":
    main()
