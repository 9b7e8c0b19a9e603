"""Triggers that keep ``comment_counts`` (``CommentCount``) equal to a GROUP BY over ``comments``.

A trigger, not an ORM event: it also sees bulk ``sa.insert(Comment)``/``sa.update(Comment)``
statements, raw SQL and cascades. A row is removed when its count reaches 0, so the table
holds exactly what a fresh GROUP BY would (and a rebuild from the comments, as the migration
does, gives the same rows).

Concurrency: a submission already locks the consultation's row for numbering
(``operations._lock_numbering``), so the upsert of its provision's counter row adds no new
serialisation; a moderator's status change locks one counter row for the rest of its
transaction, as it already locks the comment's own row.

The migration that created the table (``c0a7e5d1b2f9``) holds a frozen copy of this SQL.
A later SQLite migration that rebuilds ``comments`` (``batch_alter_table``) drops these
triggers with the old table and must create them again.
"""

import sqlalchemy as sa

# Each counted column of comments, and how a comment's value becomes the counter's key
# (no provision: paragraph 0 and key "", which no real paragraph has).
COLUMNS = {
    "consultation_id": "{}",
    "version_id": "{}",
    "paragraph_id": "coalesce({}, 0)",
    "paragraph_key": "coalesce({}, '')",
    "status": "{}",
}
WATCHED = tuple(COLUMNS)
KEY = ", ".join(WATCHED)


def _values(row: str) -> str:
    return ", ".join(key.format(f"{row}.{column}") for column, key in COLUMNS.items())


def _match(row: str) -> str:
    return " AND ".join(f"{column} = {key.format(f'{row}.{column}')}" for column, key in COLUMNS.items())


def _add(row: str) -> str:
    return (
        f"INSERT INTO comment_counts ({KEY}, n) VALUES ({_values(row)}, 1) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = comment_counts.n + 1;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE comment_counts SET n = n - 1 WHERE {_match(row)}; "
        f"DELETE FROM comment_counts WHERE {_match(row)} AND n <= 0;"
    )


def _changed(distinct: str) -> str:
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in WATCHED)


SQLITE = [
    f"CREATE TRIGGER comment_counts_insert AFTER INSERT ON comments BEGIN {_add('NEW')} END",
    f"CREATE TRIGGER comment_counts_delete AFTER DELETE ON comments BEGIN {_remove('OLD')} END",
    f"CREATE TRIGGER comment_counts_update AFTER UPDATE OF {', '.join(WATCHED)} ON comments "
    f"WHEN {_changed('IS NOT')} BEGIN {_remove('OLD')} {_add('NEW')} END",
]

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION comment_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {_remove('OLD')} END IF; "
    f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add('NEW')} END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER comment_counts_insert_delete AFTER INSERT OR DELETE ON comments "
    "FOR EACH ROW EXECUTE FUNCTION comment_counts_apply()",
    f"CREATE TRIGGER comment_counts_update AFTER UPDATE OF {', '.join(WATCHED)} ON comments "
    f"FOR EACH ROW WHEN ({_changed('IS DISTINCT FROM')}) EXECUTE FUNCTION comment_counts_apply()",
]

# drop_all drops the triggers with the table; the function outlives it.
DROP_FUNCTION = "DROP FUNCTION IF EXISTS comment_counts_apply()"


def attach(metadata: sa.MetaData) -> None:
    """Create the triggers with ``metadata.create_all()`` (after every table: they join two)."""
    for statement in SQLITE:
        sa.event.listen(metadata, "after_create", sa.DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL:
        sa.event.listen(metadata, "after_create", sa.DDL(statement).execute_if(dialect="postgresql"))
    sa.event.listen(metadata, "after_drop", sa.DDL(DROP_FUNCTION).execute_if(dialect="postgresql"))
