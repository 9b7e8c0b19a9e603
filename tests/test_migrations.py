"""Migrations: upgrade to head and downgrade to base on the test database's engine,
and the migrated schema matches the models."""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from consult import create_app
from consult.extensions import db


@pytest.fixture()
def empty_database_url(tmp_path):
    """A database nobody else uses: a fresh SQLite file, or a fresh PostgreSQL database."""
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"consult_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sa.engine.make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _table_names(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_matches_models_and_downgrade_to_base_leaves_nothing(empty_database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        engine = db.engine
        assert _table_names(engine) == set(db.metadata.tables)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []

        downgrade(revision="base")
        assert _table_names(engine) == set()
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                enum_types = connection.execute(sa.text("SELECT typname FROM pg_type WHERE typtype = 'e'")).all()
            assert enum_types == []

        upgrade()  # and up again: the downgrade left nothing in the way
        assert _table_names(engine) == set(db.metadata.tables)
        engine.dispose()
