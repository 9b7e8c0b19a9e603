"""Alembic environment for Flask-Migrate.

SQLite: migrations run in batch mode (copy-and-move tables), with foreign keys off
for the duration, because a batch copy of a parent table would otherwise cascade-
delete its children (DESIGN.md, known traps).
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from consult.search import index as search_index

config = context.config
if config.config_file_name:
    # Keep the loggers the application already has (a test or a command that migrates in-process).
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
target_metadata = db.metadata
config.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    """Write UTCDateTime as plain DateTime(timezone=True): migrations must not import app types."""
    from consult.core.time import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty_autogenerate(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    connectable = db.engine
    with connectable.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        options = {**current_app.extensions["migrate"].configure_args, "render_as_batch": is_sqlite}
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=skip_empty_autogenerate,
            render_item=render_item,
            include_object=search_index.include_object,  # made by SQL, not by a model
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()
        if is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
