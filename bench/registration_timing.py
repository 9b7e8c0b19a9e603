"""Does the registration answer tell which addresses have accounts? Time both kinds.

    make bench-registration   (or: PYTHONPATH=. .venv/bin/python bench/registration_timing.py [--runs 30])

Posts the registration form through Flask's test client with production-strength
password hashing (scrypt), alternating a new address and one that has an account,
against a throw-away SQLite database (or BENCH_DATABASE_URL, an empty database).
Mail goes through the outbox and is delivered by the job thread, as on a server
without Redis, to the memory backend; the bench waits (untimed) for each message to
go out before the next request. Prints the median and the 90th percentile of each,
and their ratio.
"""

import argparse
import os
import statistics
import tempfile
import time

import sqlalchemy as sa

from config import TestingConfig
from consult import create_app
from consult.accounts.models import UserRole
from consult.accounts.operations import create_user
from consult.core.models import MailStatus, OutboxMessage
from consult.extensions import db

PASSWORD = "zielone-jabłko-na-wiośnie"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
        PASSWORD_HASH_METHOD = "scrypt"  # what production uses
        MAIL_JOBS = "thread"  # as a server without Redis: the request only queues

    app = create_app(BenchConfig)
    with app.app_context():
        db.create_all()
        create_user(None, "znany@example.org", UserRole.MEMBER, PASSWORD, "Znany")
        db.session.commit()
    client = app.test_client()

    def post(email: str) -> float:
        start = time.perf_counter()
        response = client.post(
            "/register",
            data={"display_name": "Ewa", "email": email, "password": PASSWORD, "password_repeat": PASSWORD},
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        with app.app_context():
            while db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status != MailStatus.SENT)):
                db.session.rollback()
                time.sleep(0.005)
            db.session.rollback()
        return elapsed

    post("rozgrzewka@example.org")
    new, known = [], []
    for run in range(args.runs):
        new.append(post(f"nowy{run}@example.org"))
        known.append(post("znany@example.org"))
    for name, times in (("new address", new), ("known address", known)):
        times.sort()
        print(
            f"{name:<14} median {statistics.median(times) * 1000:7.1f} ms"
            f"   p90 {times[int(len(times) * 0.9) - 1] * 1000:7.1f} ms"
        )
    print(f"known / new (medians): {statistics.median(known) / statistics.median(new):.2f}")
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main()
