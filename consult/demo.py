"""The demo consultation: Kraków's programme of cooperation with NGOs for 2012.

Loaded by ``flask seed-demo`` (and ``make run``). It is loaded once: a second run
finds the demo consultation and changes nothing. Its dates are set relative to the
day it is loaded, so it is open for comments when a newcomer looks at it.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from consult.accounts.models import Area, Membership, MembershipStatus, Organisation, OrganisationStatus, UserRole
from consult.accounts.operations import create_user
from consult.consultations.models import Consultation, ConsultationState, ModerationMode, Participation
from consult.consultations.operations import ConsultationData, create_consultation
from consult.core.time import LOCAL_TZ, from_local, utcnow
from consult.demo_data.areas import AREAS
from consult.drafts.importers import parse_markdown
from consult.drafts.operations import import_draft, publish_version
from consult.extensions import db

DEMO_SLUG = "program-wspolpracy-2012"
DRAFT_FILE = Path(__file__).parent / "demo_data" / "program-wspolpracy-2012.md"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: UserRole
    name: str


DEMO_LOGINS = (
    DemoLogin("admin@example.org", "demo-admin-2012", UserRole.ADMIN, "Administrator"),
    DemoLogin("urzednik@example.org", "demo-urzednik-2012", UserRole.OFFICIAL, "Katarzyna Nowak (WSS UMK)"),
    DemoLogin("anna@example.org", "demo-anna-2012", UserRole.MEMBER, "Anna Kowalska"),
    DemoLogin("piotr@example.org", "demo-piotr-2012", UserRole.MEMBER, "Piotr Wiśniewski"),
)

# Fictional organisations; the register numbers pass their checksums.
DEMO_ORGANISATIONS = (
    {"name": "Fundacja Pod Wawelem", "legal_form": "fundacja", "krs": "0000123456", "nip": "6762468130",
     "regon": "123456785", "address": "ul. Grodzka 1, 31-001 Kraków", "contact_email": "biuro@podwawelem.example.org",
     "status": OrganisationStatus.VERIFIED, "areas": (1, 5, 7), "member": "anna@example.org"},
    {"name": "Stowarzyszenie Seniorzy Nowej Huty", "legal_form": "stowarzyszenie", "krs": "0000654321",
     "nip": "6783124565", "regon": "356789010", "address": "os. Centrum A 1, 31-923 Kraków",
     "contact_email": "kontakt@seniorzy-nh.example.org", "status": OrganisationStatus.VERIFIED,
     "areas": (2, 4, 16), "member": "piotr@example.org"},
    {"name": "Klub Sportowy Zakrzówek", "legal_form": "stowarzyszenie kultury fizycznej", "krs": None,
     "nip": None, "regon": None, "address": "ul. Wyłom 2, 30-302 Kraków", "contact_email": None,
     "status": OrganisationStatus.PENDING, "areas": (8, 6), "member": "piotr@example.org"},
)


def load_areas() -> None:
    """The 16 areas of public benefit, added where missing."""
    existing = set(db.session.scalars(sa.select(Area.number)))
    for number, name_pl, name_en in AREAS:
        if number not in existing:
            db.session.add(Area(number=number, name_pl=name_pl, name_en=name_en))
    db.session.flush()


def seed_demo() -> bool:
    """Load the demo data; False (and nothing written) when it is already there."""
    load_areas()
    if db.session.scalar(sa.select(Consultation.id).where(Consultation.slug == DEMO_SLUG)) is not None:
        return False
    users = {login.email: create_user(None, login.email, login.role, login.password, login.name)
             for login in DEMO_LOGINS}
    official = users["urzednik@example.org"]
    areas = {a.number: a for a in db.session.scalars(sa.select(Area))}
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation(
            name=spec["name"], legal_form=spec["legal_form"], krs=spec["krs"], nip=spec["nip"],
            regon=spec["regon"], address=spec["address"], contact_email=spec["contact_email"],
            status=spec["status"], areas=[areas[n] for n in spec["areas"]],
            verified_at=utcnow() if spec["status"] == OrganisationStatus.VERIFIED else None,
            verified_by_id=official.id if spec["status"] == OrganisationStatus.VERIFIED else None,
        )
        db.session.add(organisation)
        db.session.add(Membership(organisation=organisation, user=users[spec["member"]],
                                  status=MembershipStatus.ACTIVE))

    # Opened three days ago at 8:00 Kraków time, closing at 23:59 eighteen days on:
    # a 21-day consultation, as Kraków requires.
    today = utcnow().astimezone(LOCAL_TZ).date()
    opens_local = today - timedelta(days=3)
    closes_local = today + timedelta(days=18)
    consultation = create_consultation(official, ConsultationData(
        slug=DEMO_SLUG,
        title="Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi na rok 2012",
        summary=("Prezydent Miasta Krakowa zaprasza organizacje pozarządowe do konsultacji projektu "
                 "programu współpracy na rok 2012. Uwagi można zgłaszać do każdego ustępu i punktu projektu."),
        organiser="Wydział Spraw Społecznych Urzędu Miasta Krakowa",
        legal_basis=("art. 5 ust. 5 i art. 5a ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku "
                     "publicznego i o wolontariacie; uchwała Rady Miasta Krakowa w sprawie szczegółowego "
                     "sposobu konsultowania z organizacjami pozarządowymi projektów aktów prawa miejscowego"),
        opens_at=from_local(datetime.combine(opens_local, time(8, 0))),
        closes_at=from_local(datetime.combine(closes_local, time(23, 59))),
        participation=Participation.VERIFIED_ORGANISATIONS,
        moderation_mode=ModerationMode.POST,
        receipt_prefix="KONS-2012",
        area_ids=[a.id for a in areas.values()],
    ))
    parsed = parse_markdown(DRAFT_FILE.read_text(encoding="utf-8"))
    version = import_draft(consultation, parsed, official, source_filename=DRAFT_FILE.name)
    publish_version(version, official)
    consultation.state = ConsultationState.PUBLISHED
    db.session.flush()
    return True

