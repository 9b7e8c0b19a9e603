"""The organisation search folds case and Polish letters alike on SQLite and PostgreSQL."""

import re

import pytest

from consult.accounts.models import OrganisationStatus
from consult.accounts.operations import OrganisationData, update_organisation
from consult.core.text import fold_for_search


def _names(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<a href="/organisations/\d+">([^<]*)</a>', response.get_data(as_text=True))


@pytest.fixture()
def organisations(create_organisation):
    create_organisation("Fundacja Żółw", krs="0000123456")
    create_organisation("Stowarzyszenie ŻÓŁWIE MORSKIE")
    create_organisation("Klub Łąka")
    create_organisation("Zolwik 100% dla dzieci")
    create_organisation("Żółw Oczekujący", status=OrganisationStatus.PENDING)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Żółw", ["Fundacja Żółw", "Stowarzyszenie ŻÓŁWIE MORSKIE", "Zolwik 100% dla dzieci"]),
        ("żółw", ["Fundacja Żółw", "Stowarzyszenie ŻÓŁWIE MORSKIE", "Zolwik 100% dla dzieci"]),
        ("ŻÓŁW", ["Fundacja Żółw", "Stowarzyszenie ŻÓŁWIE MORSKIE", "Zolwik 100% dla dzieci"]),
        ("zolw", ["Fundacja Żółw", "Stowarzyszenie ŻÓŁWIE MORSKIE", "Zolwik 100% dla dzieci"]),
        ("ŁĄKA", ["Klub Łąka"]),
        ("  klub   laka ", ["Klub Łąka"]),
        ("0000123456", ["Fundacja Żółw"]),
        ("%", ["Zolwik 100% dla dzieci"]),  # taken literally, not as LIKE's wildcard
        ("_", []),
        ("\\", []),
        ("Żółw Oczekujący", []),  # not verified
        ("żółw\x00", ["Fundacja Żółw", "Stowarzyszenie ŻÓŁWIE MORSKIE", "Zolwik 100% dla dzieci"]),
        ("ż" * 10_000, []),
    ],
)
def test_search_finds_names_whatever_their_case_and_polish_letters(client, organisations, query, found):
    assert _names(client.get("/organisations", query_string={"q": query})) == found


def test_an_empty_search_lists_every_verified_organisation(client, organisations):
    assert len(_names(client.get("/organisations?q=%20"))) == 4


def test_a_renamed_organisation_is_found_by_its_new_name(client, db, create_user, create_organisation):
    organisation = create_organisation("Fundacja Stara")
    official = create_user("admin")
    update_organisation(organisation, official, OrganisationData(name="Fundacja Ćma"))
    organisation.status = OrganisationStatus.VERIFIED  # a new name goes back for verification
    db.session.commit()
    assert organisation.search_name == "fundacja cma"
    assert _names(client.get("/organisations?q=ĆMA")) == ["Fundacja Ćma"]


def test_the_fold():
    assert fold_for_search("  ŻÓŁTA\tŁódź ß\x00x ") == "zolta lodz ss x"
    assert fold_for_search("") == ""


def test_the_migration_folds_the_names_already_there_and_keeps_short_consultations_reasons(empty_database_url):
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from config import TestingConfig
    from consult import create_app
    from consult.extensions import db

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="e649dd184a49")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (name, legal_form, address, status, created_at) "
                    "VALUES ('Fundacja ŻÓŁW Morski', '', '', 'verified', CURRENT_TIMESTAMP)"
                )
            )
        upgrade()
        with db.engine.begin() as connection:
            assert connection.execute(sa.text("SELECT search_name FROM organisations")).scalar_one() == (
                "fundacja zolw morski"
            )
            connection.execute(
                sa.text(
                    "INSERT INTO consultations (slug, title, summary, organiser, legal_basis, opens_at, closes_at, "
                    "participation, moderation_mode, state, receipt_prefix, created_at, updated_at, row_version, "
                    "short_duration_reason, short_duration_minimum) VALUES ('krotkie', 'Krótkie', '', '', '', "
                    "'2027-01-01 08:00:00', '2027-01-03 23:59:00', 'verified_organisations', 'post', 'published', "
                    "'KONS', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 'Pilna uchwała', 21)"
                )
            )
            consultation_id = connection.execute(sa.text("SELECT id FROM consultations")).scalar_one()
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (action, object_type, object_id, consultation_id, reason, after, "
                    "created_at) VALUES ('consultation.publish', 'consultations', :id, :id, 'Pilna uchwała', "
                    ":after, CURRENT_TIMESTAMP)"
                ),
                {"id": consultation_id, "after": '{"days": 2, "minimum_days": 21}'},
            )
        downgrade(revision="e649dd184a49")
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                sa.text("SELECT short_duration_reason, short_duration_minimum FROM consultations")
            ).one()
            assert tuple(row) == ("Pilna uchwała", 21)
            assert connection.execute(sa.text("SELECT search_name FROM organisations")).scalar_one() == (
                "fundacja zolw morski"
            )
        db.engine.dispose()
