"""Commands: `flask --app wsgi seed-demo | create-user | import-draft | backup | restore | analysis … | jobs worker`."""

from datetime import datetime, time, timedelta
from pathlib import Path

import click
from flask import Flask

from consult.accounts.models import UserRole
from consult.accounts.operations import create_user
from consult.comments.notifications import new_version
from consult.consultations.models import ConsultationState
from consult.consultations.operations import ConsultationData, create_consultation
from consult.consultations.queries import consultation_by_slug
from consult.core import jobs
from consult.core.backup import BackupError, backup_database, restore_database
from consult.core.errors import ConsultError
from consult.core.time import LOCAL_TZ, from_local, utcnow
from consult.demo import DEMO_LOGINS, seed_demo
from consult.drafts.importers import parse_file
from consult.drafts.operations import import_draft, publish_checks, publish_version
from consult.drafts.queries import load_comparison
from consult.extensions import db
from consult.notices.operations import send_notices


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def print_demo_logins() -> None:
    click.echo("Demo accounts (e-mail / password / role):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.email:<24} {login.password:<22} {login.role.value}")


def run_jobs_worker(app: Flask) -> None:
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set; without it jobs run in a thread of the web process.")
    from consult.notifications.operations import send_due_job

    jobs.run_worker(app, periodic=((send_due_job, timedelta(seconds=app.config.get("SEND_DUE_EVERY", 900))),))


def register_commands(app: Flask) -> None:
    from consult.analysis.cli import analysis_cli

    app.cli.add_command(analysis_cli)

    @app.cli.group("jobs")
    def jobs_group():
        """Background jobs: mail, report files."""

    @jobs_group.command("worker")
    def jobs_worker_command():
        """Serve the job queues from Redis (REDIS_URL must be set), with RQ's scheduler for retries."""
        run_jobs_worker(app)

    @app.cli.group("reports")
    def reports_group():
        """Report files."""

    @reports_group.command("worker")
    def reports_worker_command():
        """The same as `flask --app wsgi jobs worker` (kept for existing deployments)."""
        run_jobs_worker(app)

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo consultation, organisations and accounts (once)."""
        created = seed_demo()
        db.session.commit()
        click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
        print_demo_logins()

    @app.cli.command("print-demo-logins")
    def print_demo_logins_command():
        """Print the demo accounts."""
        print_demo_logins()

    _register_account_and_draft_commands(app)
    _register_backup_commands(app)


def _register_account_and_draft_commands(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--role", type=click.Choice([r.value for r in UserRole]), required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--name", default="", help="Display name (officials' names are not published).")
    def create_user_command(email: str, role: str, password: str, name: str):
        """Create an account (admins and officials are created this way or by an admin)."""
        try:
            user = create_user(None, email, UserRole(role), password, name)
        except ConsultError as error:
            _fail(error.message)
        db.session.commit()
        click.echo(f"Created {user.role.value} {user.email}.")

    @app.cli.command("import-draft")
    @click.argument("slug")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--title", default=None, help="Title of the version (and of a new consultation).")
    @click.option("--publish", is_flag=True, help="Publish the version at once, with the proposed matching.")
    def import_draft_command(slug: str, file: Path, title: str | None, publish: bool):
        """Load FILE (.md, .txt, .docx, .odt) as a new unpublished version of consultation SLUG.

        A new SLUG creates the consultation in status draft, opening tomorrow for 21 days.
        The provisions are matched to the current version's; the matching is printed
        (old label -> new label, kind of change).
        """
        try:
            parsed, consultation, version, comparison, checks = _import_draft(slug, file, title, publish)
        except ConsultError as error:
            _fail(error.message)
        db.session.commit()
        _echo_import(parsed, consultation, version, comparison, checks, publish)


def _register_backup_commands(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(file: Path):
        """Write a backup of the whole database to FILE (SQLite: a database file; PostgreSQL: pg_dump custom format).

        Safe while the application runs. An existing FILE is replaced once the new backup is complete.
        """
        try:
            kind = backup_database(db.engine, file)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Backed up the {kind} database to {file} ({file.stat().st_size:,} bytes).")

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(file: Path, yes: bool):
        """Replace the whole database with the backup in FILE (made by `backup`).

        Stop the web and worker processes first; afterwards run `db upgrade` if the backup is older than the code.
        """
        target = db.engine.url.render_as_string(hide_password=True)
        if not yes:
            click.confirm(f"Every table of {target} will be replaced by {file}. Continue?", abort=True)
        try:
            restored = restore_database(db.engine, file)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Restored {file} into {target} (schema revision {restored.revision}).")
        heads = _migration_heads(app)
        if restored.revision not in heads:
            click.echo(
                f"This code expects schema revision {', '.join(heads)}: "
                "run `flask --app wsgi db upgrade` before starting the application."
            )


def _migration_heads(app: Flask) -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads())


def _import_draft(slug: str, file: Path, title: str | None, publish: bool):
    """The parsed file, its consultation (created if the slug is new), the version made of it, its
    matching with the previous version and the warnings publishing it gives."""
    parsed = parse_file(file.name, file.read_bytes())
    consultation = consultation_by_slug(slug)
    if consultation is None:
        opens = datetime.combine(utcnow().astimezone(LOCAL_TZ).date() + timedelta(days=1), time(0, 0))
        consultation = create_consultation(
            None,
            ConsultationData(
                slug=slug,
                title=title or parsed.title or slug,
                opens_at=from_local(opens),
                closes_at=from_local(opens + timedelta(days=21, minutes=-1)),
            ),
        )
    version = import_draft(consultation, parsed, None, source_filename=file.name, title=title)
    comparison = load_comparison(consultation.id, version.based_on, version) if version.based_on else None
    checks = publish_checks(version, utcnow())  # before publishing: what the official is warned of
    if publish:
        publish_version(version, None, new_text_confirmed=True, comments_open_confirmed=True)
        if consultation.state == ConsultationState.PUBLISHED:
            send_notices(new_version(version))
    return parsed, consultation, version, comparison, checks


def _echo_import(parsed, consultation, version, comparison, checks, publish: bool) -> None:
    """The tree built, the matching with the previous version and the counts, as import-draft prints them."""
    for line in parsed.outline():
        click.echo(line)
    if comparison is not None:
        _echo_matching(consultation, version, comparison, checks)
    state = "published" if publish else "unpublished"
    click.echo(
        f"Version {version.number} of {consultation.slug} ({state}): "
        f"{parsed.section_count} sections, {parsed.paragraph_count} paragraphs."
    )


def _echo_matching(consultation, version, comparison, checks) -> None:
    click.echo(f"Matching with version {comparison.older.number}:")
    for change in comparison.changes:
        click.echo(f"{change.old_label or '—'} -> {change.new_label or '—'}\t{change.kind.value}")
    counts = ", ".join(f"{count} {kind.value}" for kind, count in comparison.summary.items())
    click.echo(f"Changes: {counts}.")
    if comparison.unconfirmed:
        click.echo(
            f"Comments suggested behind the changes: {comparison.unconfirmed}. They stay hidden from the "
            f"public until an official confirms them at /manage/consultations/{consultation.slug}/versions/"
            f"{version.number}/links."
        )
    if checks.new_text:
        click.echo("Warning: no provision matches the previous version; this is a new text.")
    if checks.comments_open:
        click.echo("Warning: comments are open; they stay on the wording they were made on.")
