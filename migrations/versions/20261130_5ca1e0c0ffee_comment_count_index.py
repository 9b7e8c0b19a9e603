"""An index that answers "how many comments has each provision" from the index alone

Revision ID: 5ca1e0c0ffee
Revises: c41f0a7d3e58
Create Date: 2026-11-30 01:40:00

The consultation page counts the comments of every provision in one grouped query
(``comments.queries.comment_counts``); with 30,000 comments reading the rows themselves
made that query most of the page's time. The index holds every column the query reads.
"""

from alembic import op

revision = "5ca1e0c0ffee"
down_revision = "c41f0a7d3e58"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_comments_consultation_paragraph_status",
        "comments",
        ["consultation_id", "paragraph_id", "status", "version_id"],
    )


def downgrade():
    op.drop_index("ix_comments_consultation_paragraph_status", table_name="comments")
