"""The demo is true to the Kraków programme: the 16 areas word for word in the draft and in the
reference table, a migration that brings an existing database's areas to that list (and back),
and demo consultations that read as their years."""

from datetime import timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from consult import create_app
from consult.accounts.models import Area
from consult.comments.models import Comment
from consult.consultations.models import Consultation, ConsultationStatus
from consult.core.time import LOCAL_TZ, utcnow
from consult.demo import DEMO_SLUG, REPORT_DEMO_SLUG, seed_demo
from consult.demo_data.areas import AREAS, AREAS_IN_DRAFT
from consult.extensions import db as _db
from consult.reports.models import PublishedReport

# The list the city adopted ("Zakres współpracy Miasta z organizacjami pozarządowymi obejmuje
# zadania w zakresie:"), copied from the design guide: the expected value, not the code's.
ADOPTED = [
    "pomocy społecznej, w tym pomocy rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywania szans tych "
    "rodzin i osób",
    "działalności na rzecz integracji i reintegracji zawodowej i społecznej osób zagrożonych wykluczeniem społecznym",
    "działalności charytatywnej",
    "ochrony i promocji zdrowia",
    "działalności na rzecz osób niepełnosprawnych",
    "działalności na rzecz osób w wieku emerytalnym",
    "działalności wspomagającej rozwój gospodarczy, w tym rozwój przedsiębiorczości",
    "edukacji, oświaty i wychowania",
    "wypoczynku dzieci i młodzieży",
    "kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego",
    "wspierania i upowszechniania kultury fizycznej",
    "ekologii i ochrony zwierząt oraz ochrony dziedzictwa przyrodniczego",
    "ratownictwa i ochrony ludności",
    "promocji i organizacji wolontariatu",
    "przeciwdziałania uzależnieniom i patologiom społecznym",
    "działalności na rzecz organizacji pozarządowych",
]

PREVIOUS_HEAD = "f5ecfb40f3a6"
OLD_AREAS = {  # the reference list as the earlier code loaded it (numbers 1-16)
    1: "pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej",
    2: "ochrona i promocja zdrowia",
    5: "nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie",
    9: "turystyka i krajoznawstwo",
    13: "działalność na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i ochrony praw dziecka",
}


def test_the_demo_draft_lists_the_adopted_areas_word_for_word_in_its_chapter(db):
    seed_demo()
    db.session.commit()
    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.slug == DEMO_SLUG))
    version = consultation.versions[-1]
    chapter = next(s for s in version.sections if s.heading and "Zakres przedmiotowy" in s.heading)
    points = [p.text for p in version.paragraphs if p.label.startswith("§ 4 pkt ")]
    assert [p.rstrip(";.") for p in points] == ADOPTED
    assert points[-1].endswith(".") and all(p.endswith(";") for p in points[:-1])
    opening = next(p for p in version.paragraphs if p.label == "§ 4")
    assert opening.text == "Zakres współpracy Miasta z organizacjami pozarządowymi obejmuje zadania w zakresie:"
    assert chapter is not None


def test_the_reference_table_holds_the_same_sixteen_areas_in_the_nominative(db):
    assert list(AREAS_IN_DRAFT) == ADOPTED
    seed_demo()
    db.session.commit()
    table = {a.number: a.name_pl for a in db.session.scalars(sa.select(Area))}
    assert sorted(table) == list(range(1, 17))
    assert table[3] == "działalność charytatywna"
    assert table[13] == "ratownictwo i ochrona ludności"
    assert table[14] == "promocja i organizacja wolontariatu"
    assert "turystyka i krajoznawstwo" not in table.values()
    # each nominative is the same words as the draft's genitive: same length of list, same order
    for (number, name_pl, name_en), genitive in zip(AREAS, ADOPTED, strict=True):
        assert name_pl and name_en and name_pl.split()[-1][:4] == genitive.split()[-1][:4], number


def test_the_demo_consultations_read_as_their_years_and_the_open_one_stays_open(db):
    seed_demo()
    db.session.commit()
    closed = db.session.scalar(sa.select(Consultation).where(Consultation.slug == REPORT_DEMO_SLUG))
    assert closed.status == ConsultationStatus.REPORT_PUBLISHED
    assert closed.opens_at.astimezone(LOCAL_TZ).year == closed.closes_at.astimezone(LOCAL_TZ).year == 2011
    assert closed.closes_at - closed.opens_at >= timedelta(days=21)  # Kraków's minimum
    report = db.session.scalar(sa.select(PublishedReport).where(PublishedReport.consultation_id == closed.id))
    assert report.published_at.astimezone(LOCAL_TZ).year == 2011
    comments = db.session.scalars(sa.select(Comment).where(Comment.consultation_id == closed.id)).all()
    assert comments and all(c.submitted_at.astimezone(LOCAL_TZ).year == 2011 for c in comments)
    open_demo = db.session.scalar(sa.select(Consultation).where(Consultation.slug == DEMO_SLUG))
    assert open_demo.is_open and open_demo.closes_at - utcnow() > timedelta(days=7)


def _app_on(url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def _areas_of(connection, table: str, column: str, owner_id: int) -> set[int]:
    rows = connection.execute(
        sa.text(f"SELECT a.number FROM areas a JOIN {table} t ON t.area_id = a.id WHERE t.{column} = :id"),
        {"id": owner_id},
    )
    return {number for (number,) in rows}


def test_the_migration_brings_an_existing_database_to_the_adopted_list_by_meaning_and_back(empty_database_url):
    app = _app_on(empty_database_url)
    with app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        with _db.engine.begin() as connection:
            for number, name in OLD_AREAS.items():
                connection.execute(
                    sa.text("INSERT INTO areas (number, name_pl, name_en) VALUES (:n, :pl, :en)"),
                    {"n": number, "pl": name, "en": f"old {number}"},
                )
        # Rows written with SQL: the models are the newest schema, this database is the old one.
        with _db.engine.begin() as connection:
            by_number = dict(connection.execute(sa.text("SELECT number, id FROM areas")).all())
            ids = []
            for name, numbers in (("Fundacja Rodzina i Zdrowie", (2, 9, 13)), ("Stowarzyszenie Rodzin", (13,))):
                organisation_id = connection.execute(
                    sa.text(
                        "INSERT INTO organisations (name, legal_form, address, status, created_at) "
                        "VALUES (:name, '', '', 'pending', CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {"name": name},
                ).scalar_one()
                ids.append(organisation_id)
                for number in numbers:  # health, tourism, the family; the family alone
                    connection.execute(
                        sa.text("INSERT INTO organisation_areas (organisation_id, area_id) VALUES (:o, :a)"),
                        {"o": organisation_id, "a": by_number[number]},
                    )
        ids = (ids[0], ids[1], by_number[2])
        _db.session.remove()

        upgrade()
        with _db.engine.connect() as connection:
            table = dict(connection.execute(sa.text("SELECT number, name_pl FROM areas")).all())
            assert table == {n: pl for n, pl, _ in AREAS}  # the old rows renamed, the missing ones added
            # health is area 4 now and keeps its row; the family joins social assistance; tourism has gone
            assert _areas_of(connection, "organisation_areas", "organisation_id", ids[0]) == {1, 4}
            assert _areas_of(connection, "organisation_areas", "organisation_id", ids[1]) == {1}
            health = connection.execute(sa.text("SELECT id FROM areas WHERE number = 4")).scalar_one()
            assert health == ids[2]
            charity = connection.execute(sa.text("SELECT id FROM areas WHERE number = 3")).scalar_one()
            connection.execute(
                sa.text("INSERT INTO organisation_areas (organisation_id, area_id) VALUES (:o, :a)"),
                {"o": ids[1], "a": charity},
            )
            connection.commit()

        downgrade(revision=PREVIOUS_HEAD)
        with _db.engine.connect() as connection:
            numbers = dict(connection.execute(sa.text("SELECT number, name_pl FROM areas")).all())
            assert numbers[2] == OLD_AREAS[2] and numbers[9] == OLD_AREAS[9] and len(numbers) == 16
            assert _areas_of(connection, "organisation_areas", "organisation_id", ids[0]) == {1, 2}
            assert "kept_areas" in sa.inspect(connection).get_table_names()

        upgrade()  # charity, kept aside on the way down, comes back with the organisation that chose it
        with _db.engine.connect() as connection:
            assert _areas_of(connection, "organisation_areas", "organisation_id", ids[1]) == {1, 3}
            charity_again = connection.execute(sa.text("SELECT id FROM areas WHERE number = 3")).scalar_one()
            assert charity_again == charity
            assert "kept_areas" not in sa.inspect(connection).get_table_names()
        _db.engine.dispose()


def test_the_migration_leaves_a_table_an_administrator_changed_alone(empty_database_url):
    app = _app_on(empty_database_url)
    with app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        with _db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO areas (number, name_pl, name_en) VALUES (1, 'obszar własny', 'own area')")
            )
        upgrade()
        with _db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT number, name_pl FROM areas")).all() == [(1, "obszar własny")]
        _db.engine.dispose()
