"""Migrations: upgrade to head and downgrade to base on the test database's engine,
and the migrated schema matches the models."""

import re
from datetime import timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from consult import create_app
from consult.accounts.models import UserRole
from consult.accounts.operations import create_user
from consult.comments import counters
from consult.consultations.models import Consultation
from consult.core.time import utcnow
from consult.demo import seed_demo
from consult.extensions import db
from consult.search import index as search_index
from consult.search.index import is_search_table


def _table_names(engine) -> set[str]:
    """The tables of the models (SQLite's full-text index is FTS5 tables, no model's)."""
    return {name for name in sa.inspect(engine).get_table_names() if not is_search_table(name)} - {"alembic_version"}


def _search_table_names(engine) -> set[str]:
    return {name for name in sa.inspect(engine).get_table_names() if name in search_index.SEARCH_TABLES}


def _trigger_names(connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {name for (name,) in connection.execute(sa.text(query))}


def _model_trigger_names(dialect: str) -> set[str]:
    """The triggers create_all makes (consult.comments.counters, consult.search.index): the
    migrations must leave the same."""
    if dialect == "postgresql":
        statements = counters.POSTGRESQL + search_index.POSTGRESQL
    else:
        statements = counters.SQLITE + search_index.SQLITE
    return {match.group(1) for s in statements if (match := re.match(r"CREATE TRIGGER (\w+)", s))}


def _index_names(connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%\\_search'"
        return {name for (name,) in connection.execute(sa.text(query))}
    return set()


def test_upgrade_to_head_matches_models_and_downgrade_to_base_leaves_nothing(empty_database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        engine = db.engine
        assert _table_names(engine) == set(db.metadata.tables)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": search_index.include_object})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        with engine.connect() as connection:
            # A later SQLite migration that rebuilds `comments` (batch_alter_table) drops its triggers.
            assert _trigger_names(connection) == _model_trigger_names(engine.dialect.name) != set()
            if engine.dialect.name == "postgresql":
                assert _index_names(connection) == set(search_index.SEARCH_INDEXES)
            else:
                assert _search_table_names(engine) == set(search_index.SEARCH_TABLES)

        downgrade(revision="base")
        assert _table_names(engine) == set() and _search_table_names(engine) == set()
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                enum_types = connection.execute(sa.text("SELECT typname FROM pg_type WHERE typtype = 'e'")).all()
            assert enum_types == []

        upgrade()  # and up again: the downgrade left nothing in the way
        assert _table_names(engine) == set(db.metadata.tables)
        engine.dispose()


# --- data survives a downgrade and an upgrade ------------------------------------------------------


def _app_on(url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def _revisions(app) -> list:
    """Every migration, newest first."""
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        return list(ScriptDirectory.from_config(config).walk_revisions())


def _snapshot(connection) -> dict[str, list]:
    """Every row of every table of the current models, in a stable order."""
    return {
        table.name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
        for table in db.metadata.sorted_tables
    }


def _team(connection, consultation_id: int) -> set[int]:
    rows = connection.execute(
        sa.text("SELECT user_id FROM consultation_officials WHERE consultation_id = :id"), {"id": consultation_id}
    )
    return {user_id for (user_id,) in rows}


def _copy_consultation(connection, consultation_id: int, slug: str) -> int:
    """A new consultation row as the earlier code would write it (same columns, another slug)."""
    columns = [
        c["name"] for c in sa.inspect(connection).get_columns("consultations") if c["name"] not in ("id", "slug")
    ]
    names = ", ".join(columns)
    connection.execute(
        sa.text(f"INSERT INTO consultations (slug, {names}) SELECT :slug, {names} FROM consultations WHERE id = :id"),
        {"slug": slug, "id": consultation_id},
    )
    return connection.execute(sa.text("SELECT id FROM consultations WHERE slug = :slug"), {"slug": slug}).scalar_one()


def test_a_downgrade_and_upgrade_of_the_team_migration_keeps_every_team(empty_database_url):
    app = _app_on(empty_database_url)
    team_revision = next(r for r in _revisions(app) if "team" in (r.doc or ""))
    with app.app_context():
        upgrade()
        creator = create_user(None, "tworca@example.org", UserRole.OFFICIAL, "haslo-dlugie-123")
        colleague = create_user(None, "kolega@example.org", UserRole.OFFICIAL, "haslo-dlugie-123")
        db.session.flush()
        consultation = Consultation(
            slug="z-zespolem",
            title="Z zespołem",
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=21),
            created_by_id=creator.id,
            officials=[creator, colleague],
        )
        db.session.add(consultation)
        db.session.commit()
        ids = (consultation.id, creator.id, colleague.id)
        db.session.remove()

        downgrade(revision=team_revision.down_revision)
        with db.engine.begin() as connection:
            assert "consultation_officials" not in sa.inspect(connection).get_table_names()
            created_meanwhile = _copy_consultation(connection, ids[0], "utworzona-w-miedzyczasie")
        upgrade()
        with db.engine.connect() as connection:
            assert _team(connection, ids[0]) == {ids[1], ids[2]}  # not only the creator
            assert _team(connection, created_meanwhile) == {ids[1]}  # its creator, as at the first upgrade
            assert "kept_consultation_officials" not in sa.inspect(connection).get_table_names()
        db.engine.dispose()


def test_every_migration_keeps_the_data_through_a_downgrade_and_an_upgrade(empty_database_url):
    """With the demo loaded, each migration in turn is undone and redone: every row of every
    table is as it was. A migration whose earlier schema has no place for some rows keeps them
    aside in a table named kept_<table> (the team migration shows how)."""
    app = _app_on(empty_database_url)
    revisions = _revisions(app)
    with app.app_context():
        upgrade()
        seed_demo()
        # A built file, so the heartbeat column's rename is walked with a value in it.
        from consult.reports.models import ExportStatus, PublishedReport, ReportExport

        report = db.session.scalars(sa.select(PublishedReport)).first()
        db.session.add(
            ReportExport(
                report_id=report.id,
                format="csv",
                status=ExportStatus.DONE,
                progress=100,
                content=b"Lp.,Nr uwagi",
                heartbeat_at=utcnow() - timedelta(minutes=3),
                finished_at=utcnow(),
            )
        )
        db.session.commit()
        db.session.remove()
        with db.engine.connect() as connection:
            before = _snapshot(connection)
        assert sum(len(rows) for rows in before.values()) > 100
        for revision in revisions:
            if revision.down_revision is None:
                continue
            downgrade(revision=revision.down_revision)
            upgrade()
            with db.engine.connect() as connection:
                after = _snapshot(connection)
            changed = [name for name in before if before[name] != after[name]]
            assert changed == [], f"{revision.revision} ({revision.doc}) lost or changed rows of {changed}"

        downgrade(revision="base")  # with data and kept_ tables on the way: nothing is left
        assert _table_names(db.engine) == set()
        db.engine.dispose()
