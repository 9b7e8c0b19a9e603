"""Backing up and restoring the whole database, SQLite or PostgreSQL.

* SQLite: SQLite's online backup API, both ways: a consistent copy while the
  application runs, and a restore that replaces the live file's pages in one step.
* PostgreSQL: ``pg_dump --format=custom`` (compressed, restorable table by table),
  and a restore that drops the current tables and replays the dump with ``psql``
  in a single transaction: it either replaces everything or changes nothing.
  ``pg_dump``/``pg_restore``/``psql`` must be at least the server's version.

A backup is written under a temporary name and renamed when complete, so a crash
never leaves a truncated file under the name a cron job rotates.
"""

import os
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the command line."""


@dataclass(frozen=True)
class Restored:
    revision: str | None  # the schema revision the backup was taken at


def _kind(url: sa.engine.URL) -> str:
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("The database is in memory: there is no file to back up.")
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def _file_kind(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format file.")


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_backup(database: str, path: Path) -> None:
    if not Path(database).is_file():
        raise BackupError(f"The database file {database} does not exist.")
    partial = _partial(path)
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
    os.replace(partial, path)


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _sqlite_restore(database: str, path: Path) -> Restored:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            check = source.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is damaged: {error}.") from None
        if check != "ok":
            raise BackupError(f"{path} is damaged: {check}.")
        revision = _sqlite_revision(source)
        if revision is None:
            raise BackupError(f"{path} is a SQLite database but not a backup of Consult (no schema revision).")
        target = sqlite3.connect(database, timeout=30)
        try:
            source.backup(target)  # page by page under SQLite's lock: readers see the old or the new
        finally:
            target.close()
    finally:
        source.close()
    return Restored(revision)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _libpq(url: sa.engine.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False, **kwargs)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from None


def _pg_backup(url: sa.engine.URL, path: Path) -> None:
    uri, env = _libpq(url)
    partial = _partial(path)
    partial.unlink(missing_ok=True)
    done = _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", uri], env)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError("pg_dump failed: " + done.stderr.strip())
    os.replace(partial, path)


def _pg_revision_in(path: Path, env: dict[str, str]) -> str | None:
    """The alembic_version row inside a dump, read without touching any database."""
    listing = _run(["pg_restore", "--list", str(path)], env)
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore: {listing.stderr.strip()}")
    if " TABLE DATA public alembic_version " not in listing.stdout:
        raise BackupError(f"{path} is a PostgreSQL dump but not a backup of Consult (no schema revision).")
    data = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)], env)
    lines = data.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY public.alembic_version"):
            value = lines[index + 1] if index + 1 < len(lines) else ""
            return None if value == "\\." else value.strip()
    return None


def _drop_everything_sql(engine: sa.Engine) -> str:
    """SQL that empties the public schema of what Consult (any version of it) created."""
    inspector = sa.inspect(engine)
    statements = [f'DROP TABLE IF EXISTS public."{name}" CASCADE;' for name in inspector.get_table_names()]
    with engine.connect() as connection:
        types = connection.execute(
            sa.text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'e'"
            )
        ).scalars()
        statements += [f'DROP TYPE IF EXISTS public."{name}" CASCADE;' for name in types]
        # Trigger functions (comment_counts_apply) outlive their tables; the dump creates them again.
        functions = connection.execute(
            sa.text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND NOT EXISTS "
                "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
            )
        ).scalars()
        statements += [f"DROP FUNCTION IF EXISTS {signature} CASCADE;" for signature in functions]
    return "\n".join(statements)


def _pg_restore(engine: sa.Engine, path: Path) -> Restored:
    """Drop and replay in one transaction that is committed only when the whole dump was read.

    (``psql --single-transaction`` would commit whatever part of a truncated dump it got.)
    """
    uri, env = _libpq(engine.url)
    revision = _pg_revision_in(path, env)
    drop = _drop_everything_sql(engine)
    engine.dispose()  # our own idle connections must not hold locks on what is dropped
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as replay_errors:
        try:
            replay = subprocess.Popen(
                ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", f"--dbname={uri}", "--file=-"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=replay_errors,
            )
        except FileNotFoundError:
            raise BackupError("psql is not installed (Debian: apt-get install postgresql-client).") from None
        script = subprocess.Popen(
            ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        try:
            replay.stdin.write(b"BEGIN;\n" + drop.encode() + b"\n")
            while chunk := script.stdout.read(1 << 16):
                replay.stdin.write(chunk)
            script.wait()
            # Without this COMMIT, psql's end closes the connection and the server rolls everything back.
            if script.returncode == 0:
                replay.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            script.kill()  # psql stopped at an error; its transaction is rolled back
            script.wait()
        finally:
            script.stdout.close()
            try:
                replay.stdin.close()
            except BrokenPipeError:
                pass
            replay.wait()
        if script.returncode != 0 and replay.returncode == 0:
            restore_errors.seek(0)
            message = restore_errors.read().decode(errors="replace").strip()
            raise BackupError("pg_restore could not read the whole backup; nothing was changed: " + message)
        if replay.returncode != 0:
            replay_errors.seek(0)
            message = replay_errors.read().decode(errors="replace").strip()
            raise BackupError("The restore failed; nothing was changed: " + message)
    return Restored(revision)


# --- the two commands ----------------------------------------------------------------------------


def backup_database(engine: sa.Engine, path: Path) -> str:
    """Write a backup of the database behind ``engine`` to ``path``; returns its kind."""
    kind = _kind(engine.url)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give a file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if kind == "sqlite":
        _sqlite_backup(engine.url.database, path)
    else:
        _pg_backup(engine.url, path)
    return kind


def restore_database(engine: sa.Engine, path: Path) -> Restored:
    """Replace every table of the database behind ``engine`` with the backup in ``path``."""
    kind = _kind(engine.url)
    file_kind = _file_kind(path)
    if file_kind != kind:
        raise BackupError(
            f"{path} is a {file_kind} backup and the database is {kind}: restore it into a {file_kind} database."
        )
    if kind == "sqlite":
        engine.dispose()
        return _sqlite_restore(engine.url.database, path)
    return _pg_restore(engine, path)
