"""Publishing a consultation for many matching organisations answers at once; the e-mails follow.

    make bench-announce   (or: PYTHONPATH=. .venv/bin/python bench/announce_consultation.py [--organisations 2000])

Builds a throw-away SQLite database (or BENCH_DATABASE_URL, an empty database) with N
verified organisations, one representative each, all in area 1. Publishes a
consultation of area 2 (nobody to tell: the baseline) and one of area 1 (N to tell)
through Flask's test client, with jobs in a background thread as on a server without
Redis and the memory mail backend. Prints the time of each publishing request, their
ratio, and how long the background took to queue and deliver every message.
"""

import argparse
import os
import tempfile
import time
from datetime import timedelta

import sqlalchemy as sa

from config import TestingConfig
from consult import create_app
from consult.accounts.models import Area, Membership, MembershipStatus, Organisation, OrganisationStatus, User, UserRole
from consult.accounts.operations import create_user
from consult.consultations.models import Consultation, ConsultationState
from consult.core.models import MailStatus, OutboxMessage
from consult.core.time import utcnow
from consult.demo_data.areas import AREAS
from consult.drafts.importers import parse_markdown
from consult.drafts.operations import import_draft, publish_version
from consult.extensions import db

PASSWORD = "zielone-jabłko-na-wiośnie"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=2000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
        JOBS = "thread"  # as a server without Redis: the request only records the work

    app = create_app(BenchConfig)
    with app.app_context():
        db.create_all()
        areas = [Area(number=n, name_pl=pl, name_en=en) for n, pl, en in AREAS]
        db.session.add_all(areas)
        official = create_user(None, "urzednik@example.org", UserRole.OFFICIAL, PASSWORD, "Urzędnik")
        for n in range(args.organisations):
            user = User(email=f"czlonek{n}@example.org", role=UserRole.MEMBER, display_name=f"Członek {n}")
            organisation = Organisation(name=f"Organizacja {n}", status=OrganisationStatus.VERIFIED, areas=[areas[0]])
            db.session.add_all(
                [user, organisation, Membership(user=user, organisation=organisation, status=MembershipStatus.ACTIVE)]
            )
        slugs = {}
        for label, area in (("baseline", areas[1]), ("matching", areas[0])):
            consultation = Consultation(
                slug=f"bench-{label}",
                title=f"Konsultacje {label}",
                opens_at=utcnow() + timedelta(days=1),
                closes_at=utcnow() + timedelta(days=22),
                officials=[official],
                areas=[area],
            )
            db.session.add(consultation)
            db.session.flush()
            version = import_draft(consultation, parse_markdown("# Projekt\n\n§ 1. Treść."), official)
            publish_version(version, official)
            slugs[label] = consultation.slug
        db.session.commit()

    client = app.test_client()
    client.post("/login", data={"email": "urzednik@example.org", "password": PASSWORD})
    timings = {}
    for label in ("baseline", "matching"):
        start = time.perf_counter()
        response = client.post(f"/manage/consultations/{slugs[label]}/publish")
        timings[label] = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
    background_start = time.perf_counter()
    with app.app_context():
        while True:
            counts = dict(
                db.session.execute(
                    sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
                ).all()
            )
            db.session.rollback()
            if counts.get(MailStatus.SENT, 0) >= args.organisations and not counts.get(MailStatus.QUEUED):
                break
            time.sleep(0.1)
        published = db.session.scalar(
            sa.select(sa.func.count()).where(Consultation.state == ConsultationState.PUBLISHED)
        )
    background = time.perf_counter() - background_start + timings["matching"]
    print(f"organisations to tell: {args.organisations}; consultations published: {published}")
    print(f"publish, nobody to tell:       {timings['baseline'] * 1000:8.1f} ms")
    print(f"publish, {args.organisations} to tell:        {timings['matching'] * 1000:8.1f} ms")
    print(f"ratio (matching / baseline):   {timings['matching'] / timings['baseline']:8.2f}")
    print(f"all {counts.get(MailStatus.SENT, 0)} e-mails delivered in the background after {background:.1f} s")


if __name__ == "__main__":
    main()
