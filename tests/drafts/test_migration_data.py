"""The versions migration keeps data both ways: stored wordings and matches are derived
from what was there, and a downgrade loses no comment, version or paragraph."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from consult import create_app
from consult.extensions import db

BEFORE = "f0e512ba576a"  # the revision before draft versions gained matches and stored wordings


def _inserter():
    """Insert a row giving only the columns that matter; other required ones get a neutral value."""
    inspector = sa.inspect(db.engine)

    def insert(table: str, **values) -> None:
        for column in inspector.get_columns(table):
            if column["name"] in values or column["nullable"] or column.get("autoincrement") is True:
                continue
            python_type = column["type"].python_type
            values[column["name"]] = {str: "", int: 0, bool: False}.get(python_type, datetime(2026, 1, 1, tzinfo=UTC))
        names = ", ".join(values)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values
            )

    return insert


def _rows(sql: str) -> list:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def test_versions_migration_derives_wordings_and_matches_and_downgrades_without_loss(empty_database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision=BEFORE)
        insert = _inserter()
        insert("organisations", id=1, name="Fundacja", status="verified")
        insert(
            "consultations",
            id=1,
            slug="k",
            state="published",
            participation="verified_organisations",
            moderation_mode="post",
            receipt_prefix="K",
            closes_at=datetime(2026, 2, 1, tzinfo=UTC),
        )
        for number in (1, 2):
            insert("draft_versions", id=number, consultation_id=1, number=number, status="published")
            insert("sections", id=number, version_id=number, position=0, kind="paragraph", label="§ 1")
        insert("paragraphs", id=1, version_id=1, section_id=1, position=0, key="p-1", label="§ 1 ust. 1", text="Stary.")
        insert("paragraphs", id=2, version_id=1, section_id=1, position=1, key="p-2", label="§ 1 ust. 2", text="Inny.")
        insert("paragraphs", id=3, version_id=2, section_id=2, position=0, key="p-1", label="§ 1 ust. 1", text="Nowy.")
        insert(
            "comments",
            id=1,
            consultation_id=1,
            version_id=1,
            paragraph_id=1,
            paragraph_key="p-1",
            organisation_id=1,
            number=1,
            kind="general",
            justification="Uwaga.",
            status="published",
        )

        upgrade()
        assert _rows("SELECT paragraph_label, paragraph_text FROM comments") == [("§ 1 ust. 1", "Stary.")]
        assert _rows("SELECT id, based_on_id FROM draft_versions ORDER BY id") == [(1, None), (2, 1)]
        assert _rows("SELECT version_id, old_paragraph_id, new_paragraph_id FROM provision_matches") == [(2, 1, 3)]

        downgrade(revision=BEFORE)
        assert _rows("SELECT id, paragraph_id, justification FROM comments") == [(1, 1, "Uwaga.")]
        assert _rows("SELECT count(*) FROM paragraphs") == [(3,)]
        assert _rows("SELECT count(*) FROM draft_versions") == [(2,)]
        upgrade()
        assert _rows("SELECT paragraph_text FROM comments") == [("Stary.",)]
        db.engine.dispose()
