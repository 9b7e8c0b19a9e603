"""search: full-text indexes of provisions and comments, kept by the database

Revision ID: d4e5f6a7b8c9
Revises: c0a7e5d1b2f9
Create Date: 2026-11-30 10:30:00

Readers search a draft and its comments, officials every consultation. PostgreSQL gets GIN
indexes over a tsvector of the text with Polish letters folded ('simple' configuration: no
stemming; word forms are matched by prefix). SQLite gets FTS5 tables holding a folded copy of
the text, filled here from the existing rows and kept by triggers. The SQL is a frozen copy of
consult/search/index.py as of this revision.

A later migration that rebuilds paragraphs or comments on SQLite (batch_alter_table) drops
these triggers with the old table and must create them again.
"""

from alembic import op

revision = "d4e5f6a7b8c9"
down_revision = "c0a7e5d1b2f9"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE search_paragraphs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_paragraphs_insert AFTER INSERT ON paragraphs BEGIN INSERT INTO search_paragraphs (rowid, body) VALUES (NEW.id, replace(replace(coalesce(NEW.text, ''), 'ł', 'l'), 'Ł', 'L')); END",
    "CREATE TRIGGER search_paragraphs_update AFTER UPDATE OF text ON paragraphs BEGIN UPDATE search_paragraphs SET body = replace(replace(coalesce(NEW.text, ''), 'ł', 'l'), 'Ł', 'L') WHERE rowid = NEW.id; END",
    "CREATE TRIGGER search_paragraphs_delete AFTER DELETE ON paragraphs BEGIN DELETE FROM search_paragraphs WHERE rowid = OLD.id; END",
    "CREATE VIRTUAL TABLE search_comments USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_comments_insert AFTER INSERT ON comments BEGIN INSERT INTO search_comments (rowid, body) VALUES (NEW.id, replace(replace(coalesce(NEW.proposed_text, '') || ' ' || coalesce(NEW.justification, ''), 'ł', 'l'), 'Ł', 'L')); END",
    "CREATE TRIGGER search_comments_update AFTER UPDATE OF proposed_text, justification ON comments BEGIN UPDATE search_comments SET body = replace(replace(coalesce(NEW.proposed_text, '') || ' ' || coalesce(NEW.justification, ''), 'ł', 'l'), 'Ł', 'L') WHERE rowid = NEW.id; END",
    "CREATE TRIGGER search_comments_delete AFTER DELETE ON comments BEGIN DELETE FROM search_comments WHERE rowid = OLD.id; END",
]

SQLITE_FILL = [
    "INSERT INTO search_paragraphs (rowid, body) SELECT id, replace(replace(coalesce(text, ''), 'ł', 'l'), 'Ł', 'L') FROM paragraphs",
    "INSERT INTO search_comments (rowid, body) SELECT id, replace(replace(coalesce(proposed_text, '') || ' ' || coalesce(justification, ''), 'ł', 'l'), 'Ł', 'L') FROM comments",
]

POSTGRESQL = [
    "CREATE INDEX ix_paragraphs_search ON paragraphs USING gin ((to_tsvector('simple'::regconfig, translate(coalesce(text, ''), 'ĄĆĘŁŃÓŚŹŻąćęłńóśźż', 'ACELNOSZZacelnoszz'))))",
    "CREATE INDEX ix_comments_search ON comments USING gin ((to_tsvector('simple'::regconfig, translate(coalesce(proposed_text, '') || ' ' || coalesce(justification, ''), 'ĄĆĘŁŃÓŚŹŻąćęłńóśźż', 'ACELNOSZZacelnoszz'))))",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_paragraphs_insert",
    "DROP TRIGGER IF EXISTS search_paragraphs_update",
    "DROP TRIGGER IF EXISTS search_paragraphs_delete",
    "DROP TRIGGER IF EXISTS search_comments_insert",
    "DROP TRIGGER IF EXISTS search_comments_update",
    "DROP TRIGGER IF EXISTS search_comments_delete",
    "DROP TABLE IF EXISTS search_paragraphs",
    "DROP TABLE IF EXISTS search_comments",
]

POSTGRESQL_DROP = ["DROP INDEX IF EXISTS ix_paragraphs_search", "DROP INDEX IF EXISTS ix_comments_search"]


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    return postgresql if op.get_bind().dialect.name == "postgresql" else sqlite


def upgrade():
    for statement in _statements(SQLITE + SQLITE_FILL, POSTGRESQL):
        op.execute(statement)


def downgrade():
    for statement in _statements(SQLITE_DROP, POSTGRESQL_DROP):
        op.execute(statement)
