"""The full-text indexes of provisions and comments, kept by the database itself on every write.

Case and diacritics are folded the same way on both databases, Polish letters included (ł → l,
which neither SQLite's tokenizer nor PostgreSQL's ``simple`` configuration folds):

* PostgreSQL: GIN indexes over ``to_tsvector('simple', translate(text, 'ĄĆ…', 'AC…'))``; the
  ``simple`` configuration lowercases and does not stem, so word forms are matched by prefix
  (``queries.py`` turns each searched word into its stem's prefix).
* SQLite: FTS5 tables (``unicode61 remove_diacritics 2``) holding a copy of the text with ł/Ł
  replaced, filled by triggers. The rowid of a row is the id of its paragraph or comment.

They come with ``create_all`` (``attach``) and with migration ``d4e5f6a7b8c9``, which holds a frozen
copy of this SQL. A later SQLite migration that rebuilds ``paragraphs`` or ``comments``
(``batch_alter_table``) drops these triggers with the old table and must create them again.
"""

import sqlalchemy as sa

POLISH_UPPER, POLISH_LOWER = "ĄĆĘŁŃÓŚŹŻ", "ąćęłńóśźż"
FOLDED = "ACELNOSZZ" + "acelnoszz"

# What is searched in each table: paragraphs by their wording, comments by both their texts.
PARAGRAPH_TEXT = "coalesce({row}text, '')"
COMMENT_TEXT = "coalesce({row}proposed_text, '') || ' ' || coalesce({row}justification, '')"

SEARCH_TABLES = ("search_paragraphs", "search_comments")  # SQLite only; FTS5 adds shadow tables after them
SEARCH_INDEXES = ("ix_paragraphs_search", "ix_comments_search")  # PostgreSQL only


def postgresql_document(text_sql: str) -> str:
    """The tsvector a text is matched by (the indexes' expression, repeated exactly by the queries)."""
    return f"to_tsvector('simple'::regconfig, translate({text_sql}, '{POLISH_UPPER}{POLISH_LOWER}', '{FOLDED}'))"


def _sqlite_fold(text_sql: str) -> str:
    return f"replace(replace({text_sql}, 'ł', 'l'), 'Ł', 'L')"


def _sqlite_statements(table: str, source: str, text: str, columns: str) -> list[str]:
    new = text.format(row="NEW.")
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON {source} BEGIN "
        f"INSERT INTO {table} (rowid, body) VALUES (NEW.id, {_sqlite_fold(new)}); END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {columns} ON {source} BEGIN "
        f"UPDATE {table} SET body = {_sqlite_fold(new)} WHERE rowid = NEW.id; END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON {source} BEGIN DELETE FROM {table} WHERE rowid = OLD.id; END",
    ]


SQLITE = [
    *_sqlite_statements("search_paragraphs", "paragraphs", PARAGRAPH_TEXT, "text"),
    *_sqlite_statements("search_comments", "comments", COMMENT_TEXT, "proposed_text, justification"),
]

SQLITE_FILL = [
    f"INSERT INTO search_paragraphs (rowid, body) SELECT id, {_sqlite_fold(PARAGRAPH_TEXT.format(row=''))} "
    "FROM paragraphs",
    f"INSERT INTO search_comments (rowid, body) SELECT id, {_sqlite_fold(COMMENT_TEXT.format(row=''))} FROM comments",
]

POSTGRESQL = [
    "CREATE INDEX ix_paragraphs_search ON paragraphs USING gin "
    f"(({postgresql_document(PARAGRAPH_TEXT.format(row=''))}))",
    f"CREATE INDEX ix_comments_search ON comments USING gin (({postgresql_document(COMMENT_TEXT.format(row=''))}))",
]

SQLITE_DROP = [f"DROP TABLE IF EXISTS {table}" for table in SEARCH_TABLES]


def is_search_table(name: str) -> bool:
    """An FTS5 table of the SQLite index or one of its shadow tables: not a model's table."""
    return any(name == table or name.startswith(table + "_") for table in SEARCH_TABLES)


def include_object(obj, name: str, type_: str, reflected: bool, compare_to) -> bool:
    """For Alembic's comparisons: the search index is made by SQL here, not by a model."""
    if reflected and type_ == "table":
        return not is_search_table(name)
    if reflected and type_ == "index":
        return name not in SEARCH_INDEXES
    return True


def attach(metadata: sa.MetaData) -> None:
    """Create the indexes with ``metadata.create_all()``, and drop SQLite's tables with ``drop_all()``."""
    for statement in SQLITE:
        sa.event.listen(metadata, "after_create", sa.DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL:
        sa.event.listen(metadata, "after_create", sa.DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_DROP:
        sa.event.listen(metadata, "after_drop", sa.DDL(statement).execute_if(dialect="sqlite"))
