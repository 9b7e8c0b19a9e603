"""comment_counts: comments per consultation, version, provision and status, kept by triggers

Revision ID: c0a7e5d1b2f9
Revises: b7e1d2c3a4f5
Create Date: 2026-11-30 08:40:00

The consultation page and the API counted every comment of the consultation (one grouped
query, growing with the comments: 10-15 ms at 30,000). The counter table holds a row per
version, provision (0 / "" for none) and status; triggers on comments keep it on every
write (ORM, bulk statements, raw SQL, cascades). The upgrade fills it from the comments;
the downgrade drops it with its triggers. The SQL is a frozen copy of
consult/comments/counters.py as of this revision.

A later migration that rebuilds comments on SQLite (batch_alter_table) drops these
triggers with the old table and must create them again.
"""

import sqlalchemy as sa
from alembic import op

revision = "c0a7e5d1b2f9"
down_revision = "b7e1d2c3a4f5"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE TRIGGER comment_counts_insert AFTER INSERT ON comments BEGIN INSERT INTO comment_counts (consultation_id, version_id, paragraph_id, paragraph_key, status, n) VALUES (NEW.consultation_id, NEW.version_id, coalesce(NEW.paragraph_id, 0), coalesce(NEW.paragraph_key, ''), NEW.status, 1) ON CONFLICT (consultation_id, version_id, paragraph_id, paragraph_key, status) DO UPDATE SET n = comment_counts.n + 1; END",
    "CREATE TRIGGER comment_counts_delete AFTER DELETE ON comments BEGIN UPDATE comment_counts SET n = n - 1 WHERE consultation_id = OLD.consultation_id AND version_id = OLD.version_id AND paragraph_id = coalesce(OLD.paragraph_id, 0) AND paragraph_key = coalesce(OLD.paragraph_key, '') AND status = OLD.status; DELETE FROM comment_counts WHERE consultation_id = OLD.consultation_id AND version_id = OLD.version_id AND paragraph_id = coalesce(OLD.paragraph_id, 0) AND paragraph_key = coalesce(OLD.paragraph_key, '') AND status = OLD.status AND n <= 0; END",
    "CREATE TRIGGER comment_counts_update AFTER UPDATE OF consultation_id, version_id, paragraph_id, paragraph_key, status ON comments WHEN OLD.consultation_id IS NOT NEW.consultation_id OR OLD.version_id IS NOT NEW.version_id OR OLD.paragraph_id IS NOT NEW.paragraph_id OR OLD.paragraph_key IS NOT NEW.paragraph_key OR OLD.status IS NOT NEW.status BEGIN UPDATE comment_counts SET n = n - 1 WHERE consultation_id = OLD.consultation_id AND version_id = OLD.version_id AND paragraph_id = coalesce(OLD.paragraph_id, 0) AND paragraph_key = coalesce(OLD.paragraph_key, '') AND status = OLD.status; DELETE FROM comment_counts WHERE consultation_id = OLD.consultation_id AND version_id = OLD.version_id AND paragraph_id = coalesce(OLD.paragraph_id, 0) AND paragraph_key = coalesce(OLD.paragraph_key, '') AND status = OLD.status AND n <= 0; INSERT INTO comment_counts (consultation_id, version_id, paragraph_id, paragraph_key, status, n) VALUES (NEW.consultation_id, NEW.version_id, coalesce(NEW.paragraph_id, 0), coalesce(NEW.paragraph_key, ''), NEW.status, 1) ON CONFLICT (consultation_id, version_id, paragraph_id, paragraph_key, status) DO UPDATE SET n = comment_counts.n + 1; END",
]

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION comment_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP IN ('DELETE', 'UPDATE') THEN UPDATE comment_counts SET n = n - 1 WHERE consultation_id = OLD.consultation_id AND version_id = OLD.version_id AND paragraph_id = coalesce(OLD.paragraph_id, 0) AND paragraph_key = coalesce(OLD.paragraph_key, '') AND status = OLD.status; DELETE FROM comment_counts WHERE consultation_id = OLD.consultation_id AND version_id = OLD.version_id AND paragraph_id = coalesce(OLD.paragraph_id, 0) AND paragraph_key = coalesce(OLD.paragraph_key, '') AND status = OLD.status AND n <= 0; END IF; IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO comment_counts (consultation_id, version_id, paragraph_id, paragraph_key, status, n) VALUES (NEW.consultation_id, NEW.version_id, coalesce(NEW.paragraph_id, 0), coalesce(NEW.paragraph_key, ''), NEW.status, 1) ON CONFLICT (consultation_id, version_id, paragraph_id, paragraph_key, status) DO UPDATE SET n = comment_counts.n + 1; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER comment_counts_insert_delete AFTER INSERT OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION comment_counts_apply()",
    "CREATE TRIGGER comment_counts_update AFTER UPDATE OF consultation_id, version_id, paragraph_id, paragraph_key, status ON comments FOR EACH ROW WHEN (OLD.consultation_id IS DISTINCT FROM NEW.consultation_id OR OLD.version_id IS DISTINCT FROM NEW.version_id OR OLD.paragraph_id IS DISTINCT FROM NEW.paragraph_id OR OLD.paragraph_key IS DISTINCT FROM NEW.paragraph_key OR OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION comment_counts_apply()",
]

DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS comment_counts_insert",
    "DROP TRIGGER IF EXISTS comment_counts_delete",
    "DROP TRIGGER IF EXISTS comment_counts_update",
]

DROP_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS comment_counts_insert_delete ON comments",
    "DROP TRIGGER IF EXISTS comment_counts_update ON comments",
    "DROP FUNCTION IF EXISTS comment_counts_apply()",
]

REBUILD = "INSERT INTO comment_counts (consultation_id, version_id, paragraph_id, paragraph_key, status, n) SELECT consultation_id, version_id, coalesce(paragraph_id, 0), coalesce(paragraph_key, ''), status, count(*) FROM comments GROUP BY consultation_id, version_id, coalesce(paragraph_id, 0), coalesce(paragraph_key, ''), status"


def upgrade():
    op.create_table(
        "comment_counts",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_key", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_comment_counts_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "consultation_id", "version_id", "paragraph_id", "paragraph_key", "status", name=op.f("pk_comment_counts")
        ),
    )
    op.execute(REBUILD)
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade():
    for statement in DROP_POSTGRESQL if op.get_bind().dialect.name == "postgresql" else DROP_SQLITE:
        op.execute(statement)
    op.drop_table("comment_counts")
