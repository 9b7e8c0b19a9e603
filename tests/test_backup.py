"""`flask backup FILE` and `flask restore FILE`: a round trip with the demo data on the
database the tests run on (SQLite, or PostgreSQL with pg_dump), and the refusals."""

import os
import shutil
import sqlite3

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from consult import create_app
from consult.demo import seed_demo
from consult.extensions import db

ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture()
def demo_app(empty_database_url):
    """An app on a database of its own, migrated and with the demo loaded."""
    if ON_POSTGRESQL and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _snapshot(app) -> dict[str, list]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def _change_everything(app) -> None:
    """What a bad day does: rows deleted, rows changed, rows added, a stray table."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM supports"))
        connection.execute(sa.text("UPDATE consultations SET title = 'Zepsute'"))
        connection.execute(sa.text("UPDATE users SET display_name = 'X'"))
        connection.execute(sa.text("CREATE TABLE stray (x INTEGER)"))


def test_a_backup_restores_every_row_of_every_table(demo_app, tmp_path):
    before = _snapshot(demo_app)
    assert sum(len(rows) for rows in before.values()) > 100 and before["supports"]
    backup = tmp_path / "consult.backup"
    result = _run(demo_app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert f"to {backup}" in result.output
    assert backup.read_bytes().startswith(b"PGDMP" if ON_POSTGRESQL else b"SQLite format 3\x00")
    assert not (tmp_path / "consult.backup.partial").exists()

    _change_everything(demo_app)
    assert _snapshot(demo_app) != before
    result = _run(demo_app, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "db upgrade" not in result.output  # same schema revision
    assert _snapshot(demo_app) == before
    with demo_app.app_context():
        assert "stray" not in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_a_backup_made_while_pages_are_read_is_consistent(demo_app, tmp_path):
    """The online backup needs no downtime: a reader's open transaction does not stop it."""
    backup = tmp_path / "live.backup"
    with demo_app.app_context(), db.engine.connect() as reader:
        reader.execute(sa.text("SELECT count(*) FROM comments")).scalar_one()
        result = _run(demo_app, "backup", str(backup))
        reader.rollback()
    assert result.exit_code == 0, result.output
    if not ON_POSTGRESQL:
        with sqlite3.connect(backup) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT count(*) FROM comments").fetchone()[0] > 0


def test_restoring_asks_first_and_no_changes_nothing(demo_app, tmp_path):
    backup = tmp_path / "consult.backup"
    _run(demo_app, "backup", str(backup))
    _change_everything(demo_app)
    changed = _snapshot(demo_app)
    result = _run(demo_app, "restore", str(backup), input="n\n")
    assert result.exit_code != 0 and "will be replaced" in result.output
    assert _snapshot(demo_app) == changed


def test_an_older_backup_is_restored_and_the_upgrade_is_asked_for(demo_app, tmp_path):
    with demo_app.app_context():
        downgrade(revision="-1")
    backup = tmp_path / "older.backup"
    assert _run(demo_app, "backup", str(backup)).exit_code == 0
    with demo_app.app_context():
        upgrade()
    result = _run(demo_app, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "run `flask --app wsgi db upgrade`" in result.output
    with demo_app.app_context():
        upgrade()  # the tables the newer revision adds are created again: nothing was left behind
        db.engine.dispose()
    assert _snapshot(demo_app)["comments"]


def test_files_that_are_not_backups_are_refused_and_nothing_changes(demo_app, tmp_path):
    before = _snapshot(demo_app)
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    result = _run(demo_app, "restore", str(text), "--yes")
    assert result.exit_code != 0 and "neither a SQLite database nor a pg_dump" in result.output

    other_kind = tmp_path / "other.backup"
    if ON_POSTGRESQL:
        sqlite3.connect(other_kind).execute("CREATE TABLE t (x)").connection.commit()
        expected = "is a sqlite backup and the database is postgresql"
    else:
        other_kind.write_bytes(b"PGDMP" + b"\x00" * 100)
        expected = "is a postgresql backup and the database is sqlite"
    result = _run(demo_app, "restore", str(other_kind), "--yes")
    assert result.exit_code != 0 and expected in result.output

    if not ON_POSTGRESQL:
        foreign = tmp_path / "foreign.sqlite"
        sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
        result = _run(demo_app, "restore", str(foreign), "--yes")
        assert result.exit_code != 0 and "not a backup of Consult" in result.output
    assert _snapshot(demo_app) == before


def test_a_truncated_backup_changes_nothing(demo_app, tmp_path):
    backup = tmp_path / "consult.backup"
    _run(demo_app, "backup", str(backup))
    truncated = tmp_path / "truncated.backup"
    data = backup.read_bytes()
    truncated.write_bytes(data[: len(data) * 9 // 10])
    _change_everything(demo_app)
    changed = _snapshot(demo_app)
    result = _run(demo_app, "restore", str(truncated), "--yes")
    assert result.exit_code != 0, result.output
    assert _snapshot(demo_app) == changed


def test_a_backup_into_a_missing_folder_says_so(demo_app, tmp_path):
    result = _run(demo_app, "backup", str(tmp_path / "no-such-folder" / "x.backup"))
    assert result.exit_code != 0 and "does not exist" in result.output
