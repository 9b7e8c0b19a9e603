"""The demo consultation: Kraków's programme of cooperation with NGOs for 2012.

Loaded by ``flask seed-demo`` (and ``make run``). It is loaded once: a second run
finds the demo consultation and changes nothing. Its dates are set relative to the
day it is loaded, so it is open for comments when a newcomer looks at it.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from consult.accounts.models import Area, Membership, MembershipStatus, Organisation, OrganisationStatus, User, UserRole
from consult.accounts.operations import create_user
from consult.channels.models import Meeting, MeetingRegistration
from consult.comments.models import Channel, Comment, CommentKind, CommentStatus, HideReason
from consult.comments.operations import (
    CommentData,
    LetterComment,
    LetterData,
    edit_comment,
    enter_letter,
    submit_comment,
    support_comment,
    withdraw_comment,
)
from consult.consultations.models import Consultation, ConsultationState, ModerationMode, Participation
from consult.consultations.operations import ConsultationData, create_consultation
from consult.core.time import LOCAL_TZ, from_local, utcnow
from consult.demo_data.areas import AREAS
from consult.drafts.importers import parse_markdown
from consult.drafts.operations import import_draft, publish_version
from consult.extensions import db
from consult.moderation.models import PositionStatus
from consult.moderation.operations import hide_comment, publish_positions, save_position

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
    {
        "name": "Fundacja Pod Wawelem",
        "legal_form": "fundacja",
        "krs": "0000123456",
        "nip": "6762468130",
        "regon": "123456785",
        "address": "ul. Grodzka 1, 31-001 Kraków",
        "contact_email": "biuro@podwawelem.example.org",
        "status": OrganisationStatus.VERIFIED,
        "areas": (1, 8, 10),
        "member": "anna@example.org",
    },
    {
        "name": "Stowarzyszenie Seniorzy Nowej Huty",
        "legal_form": "stowarzyszenie",
        "krs": "0000654321",
        "nip": "6783124565",
        "regon": "356789010",
        "address": "os. Centrum A 1, 31-923 Kraków",
        "contact_email": "kontakt@seniorzy-nh.example.org",
        "status": OrganisationStatus.VERIFIED,
        "areas": (4, 6, 16),
        "member": "piotr@example.org",
    },
    {
        "name": "Klub Sportowy Zakrzówek",
        "legal_form": "stowarzyszenie kultury fizycznej",
        "krs": None,
        "nip": None,
        "regon": None,
        "address": "ul. Wyłom 2, 30-302 Kraków",
        "contact_email": None,
        "status": OrganisationStatus.PENDING,
        "areas": (11, 9),
        "member": "piotr@example.org",
    },
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
        return seed_report_demo()  # an older demo database gains the closed consultation and its report
    users = {
        login.email: create_user(None, login.email, login.role, login.password, login.name) for login in DEMO_LOGINS
    }
    official = users["urzednik@example.org"]
    areas = {a.number: a for a in db.session.scalars(sa.select(Area))}
    organisations = {}
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation(
            name=spec["name"],
            legal_form=spec["legal_form"],
            krs=spec["krs"],
            nip=spec["nip"],
            regon=spec["regon"],
            address=spec["address"],
            contact_email=spec["contact_email"],
            status=spec["status"],
            areas=[areas[n] for n in spec["areas"]],
            verified_at=utcnow() if spec["status"] == OrganisationStatus.VERIFIED else None,
            verified_by_id=official.id if spec["status"] == OrganisationStatus.VERIFIED else None,
        )
        db.session.add(organisation)
        organisations[spec["name"]] = organisation
        db.session.add(
            Membership(organisation=organisation, user=users[spec["member"]], status=MembershipStatus.ACTIVE)
        )

    # Opened three days ago at 8:00 Kraków time, closing at 23:59 eighteen days on:
    # a 21-day consultation, as Kraków requires.
    today = utcnow().astimezone(LOCAL_TZ).date()
    opens_local = today - timedelta(days=3)
    closes_local = today + timedelta(days=18)
    consultation = create_consultation(
        official,
        ConsultationData(
            slug=DEMO_SLUG,
            title="Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi na rok 2012",
            summary=(
                "Prezydent Miasta Krakowa zaprasza organizacje pozarządowe do konsultacji projektu "
                "programu współpracy na rok 2012. Uwagi można zgłaszać do każdego ustępu i punktu projektu."
            ),
            organiser="Wydział Spraw Społecznych Urzędu Miasta Krakowa",
            legal_basis=(
                "art. 5 ust. 5 i art. 5a ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku "
                "publicznego i o wolontariacie; uchwała Rady Miasta Krakowa w sprawie szczegółowego "
                "sposobu konsultowania z organizacjami pozarządowymi projektów aktów prawa miejscowego"
            ),
            opens_at=from_local(datetime.combine(opens_local, time(8, 0))),
            closes_at=from_local(datetime.combine(closes_local, time(23, 59))),
            participation=Participation.VERIFIED_ORGANISATIONS,
            moderation_mode=ModerationMode.POST,
            receipt_prefix="KONS-2012",
            area_ids=[a.id for a in areas.values()],
        ),
    )
    parsed = parse_markdown(DRAFT_FILE.read_text(encoding="utf-8"))
    version = import_draft(consultation, parsed, official, source_filename=DRAFT_FILE.name)
    publish_version(version, official)
    consultation.state = ConsultationState.PUBLISHED
    db.session.flush()
    add_demo_comments(consultation, users, organisations)
    add_demo_moderation(consultation, official, users, organisations)
    add_demo_channels(consultation, official, organisations)
    seed_report_demo()
    return True


def add_demo_channels(consultation: Consultation, official, organisations: dict) -> None:
    """A meeting held with its minutes and the comments said at it, one ahead with registrations,
    and a paper letter from an organisation not registered on the platform."""
    today = utcnow().astimezone(LOCAL_TZ).date()
    held = Meeting(
        consultation_id=consultation.id,
        starts_at=from_local(datetime.combine(today - timedelta(days=1), time(10, 0))),
        ends_at=from_local(datetime.combine(today - timedelta(days=1), time(12, 0))),
        place="Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4, Sala Portretowa",
        description="1. Przedstawienie projektu programu.\n2. Uwagi organizacji.",
        registration_limit=30,
        minutes="W spotkaniu wzięli udział przedstawiciele 2 organizacji. Zgłoszono 1 uwagę do projektu.",
        created_by_id=official.id,
    )
    ahead = Meeting(
        consultation_id=consultation.id,
        starts_at=from_local(datetime.combine(today + timedelta(days=7), time(17, 0))),
        ends_at=from_local(datetime.combine(today + timedelta(days=7), time(19, 0))),
        place="Centrum Obywatelskie, ul. Reformacka 3",
        online_url="https://spotkania.example.org/program-2012",
        description="Drugie spotkanie konsultacyjne, także online.",
        registration_limit=25,
        created_by_id=official.id,
    )
    db.session.add_all([held, ahead])
    db.session.flush()
    for name in ("Fundacja Pod Wawelem", "Stowarzyszenie Seniorzy Nowej Huty"):
        db.session.add(MeetingRegistration(meeting_id=held.id, organisation_id=organisations[name].id))
    db.session.add(
        MeetingRegistration(meeting_id=ahead.id, organisation_id=organisations["Klub Sportowy Zakrzówek"].id)
    )
    enter_letter(
        consultation,
        official,
        LetterData(
            channel=Channel.MEETING,
            received_on=today - timedelta(days=1),
            organisation=organisations["Stowarzyszenie Seniorzy Nowej Huty"],
            meeting_id=held.id,
        ),
        [
            LetterComment(
                0,
                None,
                CommentData(
                    CommentKind.GENERAL,
                    justification="Prosimy o spotkanie konsultacyjne także w Nowej Hucie, bliżej mieszkańców.",
                ),
            )
        ],
    )
    enter_letter(
        consultation,
        official,
        LetterData(
            channel=Channel.PAPER,
            received_on=today - timedelta(days=2),
            reference="KGW/3/2011",
            new_organisation_name="Koło Gospodyń Wiejskich w Nowej Hucie",
            new_organisation_address="ul. Ludźmierska 1, 31-000 Kraków",
        ),
        [
            LetterComment(
                0,
                None,
                CommentData(
                    CommentKind.GENERAL,
                    justification="Program powinien wspierać także organizacje bez osobowości prawnej.",
                ),
            )
        ],
    )


# (author's e-mail, organisation, paragraph label or None for the whole draft, kind,
#  proposed wording, justification, hours after opening, supporting organisations)
DEMO_COMMENTS = (
    (
        "anna@example.org",
        "Fundacja Pod Wawelem",
        "§ 6",
        CommentKind.CHANGE,
        "Zlecanie realizacji zadań publicznych może nastąpić także z pominięciem otwartego konkursu ofert, w trybie "
        "art. 19a ustawy, o ile zadanie ma charakter lokalny lub regionalny, wysokość dofinansowania lub finansowania "
        "nie przekracza kwoty 20 000 zł, a zadanie realizowane jest w okresie nie dłuższym niż 90 dni.",
        "Kwota 10 000 zł nie wystarcza na zorganizowanie nawet niewielkiego wydarzenia kulturalnego z udziałem "
        "profesjonalnych wykonawców. Podniesienie limitu do **20 000 zł** pozwoli małym organizacjom częściej "
        "korzystać z trybu art. 19a, który jest dla nich najprostszą drogą do współpracy z Gminą.",
        2,
        ("Stowarzyszenie Seniorzy Nowej Huty",),
    ),
    (
        "piotr@example.org",
        "Stowarzyszenie Seniorzy Nowej Huty",
        "§ 5 ust. 3 pkt 7",
        CommentKind.ADD,
        "8) prowadzenia centrów aktywności seniorów we współpracy z organizacjami działającymi na rzecz osób starszych.",
        "Centra aktywności seniorów w Nowej Hucie i w Podgórzu działają dzięki stałej współpracy Gminy z "
        "organizacjami. Ta forma współpracy powinna zostać wprost wymieniona w programie, aby mogła być "
        "kontynuowana w kolejnych latach.",
        5,
        (),
    ),
    (
        "anna@example.org",
        "Fundacja Pod Wawelem",
        "§ 12 ust. 1 pkt 6",
        CommentKind.DELETE,
        "",
        "Wskaźnik nie mówi nic o jakości współpracy, a publikowany bez kontekstu stawia w złym świetle organizacje, "
        "które rozwiązały umowę z ważnych przyczyn (np. choroby koordynatora). Informacja ta i tak znajduje się "
        "w sprawozdaniu z realizacji programu.",
        20,
        (),
    ),
    (
        "piotr@example.org",
        "Stowarzyszenie Seniorzy Nowej Huty",
        "§ 12 ust. 1",
        CommentKind.GENERAL,
        "",
        "Wskaźniki mierzą wyłącznie liczby: konkursów, ofert, umów. Proponujemy uzupełnić ocenę o coroczne badanie "
        "opinii organizacji o współpracy z Gminą, np. krótką ankietę internetową prowadzoną przez Pełnomocnika.",
        26,
        (),
    ),
    (
        "piotr@example.org",
        "Stowarzyszenie Seniorzy Nowej Huty",
        None,
        CommentKind.GENERAL,
        "",
        "Projekt nie przewiduje zawierania umów wieloletnich, choć pozwala na to art. 16 ust. 2 ustawy. Zadania "
        "takie jak prowadzenie placówek wsparcia dziennego wymagają stabilnego finansowania:\n\n"
        "- umowy roczne utrudniają zatrudnianie kadry,\n- co roku powtarza się przerwa na przełomie roku.\n\n"
        "Prosimy o wpisanie do programu możliwości zawierania umów na okres do trzech lat.",
        30,
        ("Fundacja Pod Wawelem",),
    ),
    (
        "piotr@example.org",
        "Stowarzyszenie Seniorzy Nowej Huty",
        "§ 14 ust. 2 pkt 2",
        CommentKind.CHANGE,
        "osoby wskazane przez organizacje, w liczbie nie mniejszej niż połowa składu komisji, z wyłączeniem osób "
        "reprezentujących organizacje biorące udział w konkursie.",
        "Udział przedstawicieli organizacji w komisjach konkursowych nie powinien być symboliczny. Połowa składu "
        "komisji to rozwiązanie stosowane już w kilku miastach.",
        40,
        ("Fundacja Pod Wawelem",),
    ),
)


def add_demo_comments(consultation: Consultation, users: dict, organisations: dict) -> None:
    """Comments of every kind from the demo organisations, with supports, an edit and a withdrawal."""
    paragraphs = {p.label: p for p in consultation.versions[-1].paragraphs}
    opened = consultation.opens_at
    for email, organisation, label, kind, proposed, justification, hours, supporters in DEMO_COMMENTS:
        moment = opened + timedelta(hours=hours)
        comment = submit_comment(
            consultation,
            paragraphs[label] if label else None,
            users[email],
            organisations[organisation],
            CommentData(kind, proposed, justification),
            now=moment,
        ).comment
        for offset, supporter in enumerate(supporters, start=1):
            member = next(m.user for m in organisations[supporter].memberships)
            support_comment(comment, member, organisations[supporter], now=moment + timedelta(hours=offset))

    # One comment corrected after sending (its first text stays in the record) ...
    anna, foundation = users["anna@example.org"], organisations["Fundacja Pod Wawelem"]
    current = paragraphs["§ 10 ust. 4"].text
    comment = submit_comment(
        consultation,
        paragraphs["§ 10 ust. 4"],
        anna,
        foundation,
        CommentData(
            CommentKind.CHANGE,
            current.replace("publikowane są", "publikowane są niezwłocznie"),
            "Organizacje powinny dowiadywać się o konkursach od razu.",
        ),
        now=opened + timedelta(hours=44),
    ).comment
    edit_comment(
        comment,
        anna,
        CommentData(
            CommentKind.CHANGE,
            current.replace("publikowane są", "publikowane są w terminie 3 dni od ich ogłoszenia"),
            "Organizacje powinny dowiadywać się o konkursach i ich wynikach od razu. „Niezwłocznie” to termin "
            "nieostry; proponujemy **3 dni**.",
        ),
        now=opened + timedelta(hours=46),
    )
    # ... and one withdrawn, which stays on record as withdrawn.
    comment = submit_comment(
        consultation,
        paragraphs["§ 11 ust. 1"],
        anna,
        foundation,
        CommentData(
            CommentKind.CHANGE,
            paragraphs["§ 11 ust. 1"].text.replace(
                "65 000 000 zł (słownie: sześćdziesiąt pięć", "70 000 000 zł (słownie: siedemdziesiąt"
            ),
            "Środki powinny wzrosnąć co najmniej o wskaźnik inflacji.",
        ),
        now=opened + timedelta(hours=48),
    ).comment
    withdraw_comment(comment, anna, now=opened + timedelta(hours=50))


DEMO_POSITIONS = (  # (position, reason, published?) for the demo comments, in receipt order
    (PositionStatus.ACCEPTED, "Uwaga uwzględniona: limit w trybie art. 19a podniesiono do 20 000 zł.", True),
    (PositionStatus.PARTLY_ACCEPTED, "Uwzględniono częściowo: termin skrócono do 14 dni, a nie do 7.", True),
    (PositionStatus.REJECTED, "Nie uwzględniono: zakres wynika wprost z art. 4 ustawy.", True),
    (PositionStatus.NOTED, "Przyjęto do wiadomości; uwaga wykracza poza zakres programu.", True),
    (PositionStatus.ACCEPTED, "Proponujemy uwzględnić — do decyzji zespołu.", False),
    (PositionStatus.REJECTED, "Projekt odpowiedzi: środki zostały już zaplanowane w budżecie.", False),
)


def add_demo_moderation(consultation: Consultation, official, users: dict, organisations: dict) -> None:
    """A hidden comment, and drafted and published positions of every kind, on the open consultation."""
    seniors = organisations["Stowarzyszenie Seniorzy Nowej Huty"]
    paragraph = next(p for p in consultation.versions[-1].paragraphs if p.label == "§ 2 ust. 1")
    hidden = submit_comment(
        consultation,
        paragraph,
        users["piotr@example.org"],
        seniors,
        CommentData(
            CommentKind.GENERAL,
            "",
            "W sprawie szczegółów proszę dzwonić do pana Jana K., tel. 600 000 000, mieszka przy ul. Długiej.",
        ),
        now=consultation.opens_at + timedelta(hours=60),
    ).comment
    hide_comment(official, hidden, HideReason.PERSONAL_DATA, "Uwaga zawierała numer telefonu i adres osoby prywatnej.")
    answerable = [
        c
        for c in db.session.scalars(
            sa.select(Comment)
            .where(Comment.consultation_id == consultation.id, Comment.status == CommentStatus.PUBLISHED)
            .order_by(Comment.number)
        )
    ]
    for comment, (status, reason, published) in zip(answerable, DEMO_POSITIONS, strict=False):
        position = save_position(official, comment, status, reason, None)
        if published:
            publish_positions(official, [position])


# ---------------------------------------------------------------- a closed consultation with its report

REPORT_DEMO_SLUG = "program-wspolpracy-2011"
REPORT_DRAFT_FILE = Path(__file__).parent / "demo_data" / "program-wspolpracy-2011.md"

# (organisation, paragraph label or None for the whole draft, kind, proposed wording, justification,
#  position, reason, supporting organisations); "hidden" and "withdrawn" in place of a position.
REPORT_DEMO_COMMENTS = (
    (
        "Fundacja Pod Wawelem",
        "§ 1 pkt 1",
        "change",
        "ustawie – należy przez to rozumieć ustawę z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego "
        "i o wolontariacie (Dz. U. z 2010 r. Nr 234, poz. 1536, z późn. zm.);",
        "Pełne oznaczenie ustawy wraz z miejscem publikacji tekstu jednolitego.",
        "accepted",
        "Uwaga uwzględniona; oznaczenie ustawy uzupełniono.",
        ("Stowarzyszenie Seniorzy Nowej Huty",),
    ),
    (
        "Stowarzyszenie Seniorzy Nowej Huty",
        "§ 2 ust. 2 pkt 3",
        "change",
        "zwiększenie udziału mieszkańców, w tym seniorów, w rozwiązywaniu lokalnych problemów.",
        "Seniorzy to jedna trzecia mieszkańców Nowej Huty.\nProgram powinien o nich wprost wspominać.",
        "partly_accepted",
        "Uwzględniono częściowo: cel dotyczy wszystkich grup mieszkańców, seniorów wymieniono "
        "w priorytetach obszaru „działalność na rzecz osób w wieku emerytalnym”.",
        (),
    ),
    (
        "Klub Sportowy Zakrzówek",
        "§ 3 ust. 2",
        "change",
        "Współpraca finansowa polega na zlecaniu realizacji zadań publicznych w trybie otwartego konkursu ofert "
        "oraz w trybie art. 19a ustawy.",
        "Tryb małych grantów jest szybszy i lepiej służy klubom sportowym.",
        "rejected",
        "Tryb art. 19a wynika wprost z ustawy i nie wymaga powtórzenia w programie.",
        (),
    ),
    (
        "Fundacja Pod Wawelem",
        "§ 3 ust. 3 pkt 3",
        "add",
        "4) udostępnianie organizacjom lokali gminnych na preferencyjnych warunkach.",
        "Brak lokali to najczęstsza bariera rozwoju małych organizacji.",
        "accepted",
        "Dodano pkt 4 w brzmieniu zaproponowanym przez organizację.",
        ("Klub Sportowy Zakrzówek",),
    ),
    (
        "Stowarzyszenie Seniorzy Nowej Huty",
        "§ 4 ust. 1",
        "delete",
        "",
        "Liczba konkursów nie mówi nic o jakości współpracy.",
        "rejected",
        "Miernik jest wymagany przez art. 5a ust. 4 pkt 8 ustawy; program uzupełniono o dalsze mierniki.",
        (),
    ),
    (
        "Klub Sportowy Zakrzówek",
        None,
        "general",
        "",
        "Projekt programu powinien być konsultowany również na spotkaniu otwartym, nie tylko elektronicznie.",
        "noted",
        "Przyjęto do wiadomości; uwaga dotyczy trybu konsultacji, a nie treści programu.",
        (),
    ),
    (
        "Klub Sportowy Zakrzówek",
        "§ 2 ust. 1",
        "change",
        "Treść naruszająca regulamin.",
        "Uwaga zawierała dane osobowe osoby prywatnej.",
        "hidden",
        "",
        (),
    ),
    (
        "Fundacja Pod Wawelem",
        "§ 2 ust. 2 pkt 2",
        "change",
        "wzmacnianie potencjału organizacji.",
        "Wycofujemy na rzecz uwagi do § 3.",
        "withdrawn",
        "",
        (),
    ),
)


def seed_report_demo() -> bool:
    """The 2011 programme: consulted in January 2011, with positions and a published report.

    Needs the demo accounts and organisations; False (nothing written) when it is there.
    """
    from consult.comments.models import Comment, CommentKind, CommentStatus, HideReason, Support
    from consult.moderation.models import ModerationAction, ModerationEvent, Position, PositionState, PositionStatus
    from consult.reports.models import ReportDraft
    from consult.reports.operations import publish_report

    if db.session.scalar(sa.select(Consultation.id).where(Consultation.slug == REPORT_DEMO_SLUG)) is not None:
        return False
    official = db.session.scalar(sa.select(User).where(User.email == "urzednik@example.org"))
    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    # Dated in its year, as the office held it: 21 days in January 2011, positions and the report
    # in February (the open 2012 consultation alone is dated from today, so that a newcomer can comment).
    opens_at = from_local(datetime(2011, 1, 10, 8, 0))
    closes_at = from_local(datetime(2011, 1, 31, 23, 59))
    consultation = create_consultation(
        official,
        ConsultationData(
            slug=REPORT_DEMO_SLUG,
            title="Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi na rok 2011",
            summary="Zakończone konsultacje projektu programu współpracy na rok 2011. Raport z konsultacji jest "
            "opublikowany i można go pobrać w sześciu formatach.",
            organiser="Wydział Spraw Społecznych Urzędu Miasta Krakowa",
            legal_basis="art. 5 ust. 5 i art. 5a ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku "
            "publicznego i o wolontariacie",
            opens_at=opens_at,
            closes_at=closes_at,
            receipt_prefix="KONS-2011",
        ),
    )
    version = import_draft(
        consultation,
        parse_markdown(REPORT_DRAFT_FILE.read_text(encoding="utf-8")),
        official,
        source_filename=REPORT_DRAFT_FILE.name,
    )
    publish_version(version, official)
    consultation.state = ConsultationState.PUBLISHED
    db.session.flush()
    paragraphs = {p.label: p for p in version.paragraphs}
    for number, (organisation, label, kind, proposed, justification, outcome, reason, supporters) in enumerate(
        REPORT_DEMO_COMMENTS, start=1
    ):
        paragraph = paragraphs[label] if label else None
        status = {"hidden": CommentStatus.HIDDEN, "withdrawn": CommentStatus.WITHDRAWN}.get(
            outcome, CommentStatus.PUBLISHED
        )
        comment = Comment(
            consultation_id=consultation.id,
            version_id=version.id,
            paragraph_id=paragraph.id if paragraph else None,
            paragraph_key=paragraph.key if paragraph else None,
            paragraph_label=paragraph.label if paragraph else None,
            paragraph_text=paragraph.text if paragraph else None,
            organisation_id=organisations[organisation].id,
            number=number,
            kind=CommentKind(kind),
            proposed_text=proposed,
            justification=justification,
            status=status,
            submitted_at=opens_at + timedelta(days=number, hours=3),
            withdrawn_at=opens_at + timedelta(days=number + 2) if status == CommentStatus.WITHDRAWN else None,
            hidden_reason=HideReason.PERSONAL_DATA if status == CommentStatus.HIDDEN else None,
        )
        db.session.add(comment)
        db.session.flush()
        for supporter in supporters:
            db.session.add(
                Support(
                    comment_id=comment.id,
                    organisation_id=organisations[supporter].id,
                    created_at=comment.submitted_at + timedelta(days=1),
                )
            )
        if status == CommentStatus.HIDDEN:
            db.session.add(
                ModerationEvent(
                    consultation_id=consultation.id,
                    comment_id=comment.id,
                    actor_id=official.id,
                    action=ModerationAction.HIDE,
                    reason=HideReason.PERSONAL_DATA,
                    note="Dane osobowe osoby prywatnej.",
                    created_at=comment.submitted_at + timedelta(hours=2),
                )
            )
        elif status == CommentStatus.PUBLISHED:
            db.session.add(
                Position(
                    comment_id=comment.id,
                    status=PositionStatus(outcome),
                    reason=reason,
                    state=PositionState.PUBLISHED,
                    author_id=official.id,
                    published_at=closes_at + timedelta(days=5),
                    updated_at=closes_at + timedelta(days=4),
                )
            )
    db.session.add(
        ReportDraft(
            consultation_id=consultation.id,
            updated_by_id=official.id,
            updated_at=closes_at + timedelta(days=6),
            introduction="Konsultacje projektu programu współpracy na rok 2011 przeprowadzono na podstawie uchwały "
            "Rady Miasta Krakowa w sprawie szczegółowego sposobu konsultowania. Informację o "
            "konsultacjach opublikowano w Biuletynie Informacji Publicznej i na platformie Konsultacje.",
            conclusion="Projekt programu, uwzględniający przyjęte uwagi, zostanie przedłożony Radzie Miasta Krakowa. "
            "Dziękujemy organizacjom za udział w konsultacjach.",
            # The report as the office files it (fictional case number and signatory).
            case_number="WSS-06.0003.1.2011",
            organiser_unit="Wydział Spraw Społecznych Urzędu Miasta Krakowa",
            signatory_name="Katarzyna Nowak",
            signatory_post="Zastępca Dyrektora Wydziału Spraw Społecznych",
            approved_on=(closes_at + timedelta(days=7)).date(),
            closing_line="Sprawozdanie wraz z projektem programu uwzględniającym przyjęte uwagi przekazuje się "
            "Prezydentowi Miasta Krakowa w celu skierowania projektu uchwały pod obrady Rady Miasta Krakowa.",
            produced_by="Wydział Spraw Społecznych Urzędu Miasta Krakowa",
            responsible="Dyrektor Wydziału Spraw Społecznych",
        )
    )
    db.session.flush()
    publish_report(consultation, official, now=closes_at + timedelta(days=7))
    return True
