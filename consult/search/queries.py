"""Full-text search over the provisions of current drafts and the published comments: one query
function for both databases (the indexes are described in ``index.py``)."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation, ConsultationState
from consult.drafts.models import DraftVersion, Paragraph, VersionStatus
from consult.extensions import db
from consult.search.index import COMMENT_TEXT, PARAGRAPH_TEXT, postgresql_document
from consult.search.text import Terms

COMMENTS_PER_PAGE = 50
MAX_PROVISIONS = 100  # a search matching more provisions than this says so: narrow it down


@dataclass
class SearchResults:
    terms: Terms
    provisions: list[Paragraph]  # each with its version and consultation
    provision_total: int
    comments: list[Comment]  # each with its organisation and consultation
    comment_total: int
    page: int
    pages: int


def _matching(table: str, text_sql: str, id_column, terms: Terms) -> sa.ColumnElement[bool] | sa.TextClause:
    """The condition "the row's text holds a word starting with each prefix", answered by this
    database's index (on PostgreSQL the same expression as the index, so the planner uses it)."""
    if db.session.get_bind().dialect.name == "postgresql":
        tsquery = " & ".join(f"'{prefix}':*" for prefix in terms.prefixes)  # prefixes are letters and digits
        document = postgresql_document(text_sql.format(row=table + "."))
        return sa.text(f"{document} @@ to_tsquery('simple', :tsquery)").bindparams(tsquery=tsquery)
    match = " AND ".join(f'"{prefix}"*' for prefix in terms.prefixes)
    fts = f"search_{table}"
    rows: sa.Select = sa.select(sa.literal_column("rowid")).select_from(sa.table(fts))
    return id_column.in_(rows.where(sa.text(f"{fts} MATCH :match").bindparams(match=match)))


def _current_versions(consultation_ids: list[int] | None):
    """The newest published version of each consultation searched: the draft as readers see it."""
    later = aliased(DraftVersion)
    newest = (
        sa.select(sa.func.max(later.number))
        .where(later.consultation_id == DraftVersion.consultation_id, later.status == VersionStatus.PUBLISHED)
        .scalar_subquery()
    )
    query = sa.select(DraftVersion.id).where(
        DraftVersion.status == VersionStatus.PUBLISHED, DraftVersion.number == newest
    )
    if consultation_ids is not None:
        query = query.where(DraftVersion.consultation_id.in_(consultation_ids))
    return query


def search(terms: Terms, consultation_ids: list[int] | None, *, page: int = 1) -> SearchResults:
    """Provisions (the first 100, in document order) and published comments (50 a page, by
    consultation and receipt number) matching every searched word, in the consultations given
    (None: all of them). Four statements, whatever the number of provisions and comments."""
    provision_where = [
        Paragraph.version_id.in_(_current_versions(consultation_ids)),
        _matching("paragraphs", PARAGRAPH_TEXT, Paragraph.id, terms),
    ]
    comment_where = [Comment.status == CommentStatus.PUBLISHED, _matching("comments", COMMENT_TEXT, Comment.id, terms)]
    if consultation_ids is not None:
        comment_where.append(Comment.consultation_id.in_(consultation_ids))
    else:
        published = sa.select(Consultation.id).where(Consultation.state == ConsultationState.PUBLISHED)
        comment_where.append(Comment.consultation_id.in_(published))

    provision_total = db.session.scalar(sa.select(sa.func.count()).select_from(Paragraph).where(*provision_where)) or 0
    provisions = list(
        db.session.scalars(
            sa.select(Paragraph)
            .where(*provision_where)
            .options(joinedload(Paragraph.version).joinedload(DraftVersion.consultation))
            .order_by(Paragraph.version_id.desc(), Paragraph.id)
            .limit(MAX_PROVISIONS)
        )
    )
    comment_total = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(*comment_where)) or 0
    pages = max(1, -(-comment_total // COMMENTS_PER_PAGE))
    page = min(max(page, 1), pages)
    comments = list(
        db.session.scalars(
            sa.select(Comment)
            .where(*comment_where)
            .options(joinedload(Comment.organisation), joinedload(Comment.consultation), joinedload(Comment.paragraph))
            .order_by(Comment.consultation_id.desc(), Comment.number)
            .limit(COMMENTS_PER_PAGE)
            .offset((page - 1) * COMMENTS_PER_PAGE)
        )
    )
    return SearchResults(terms, provisions, provision_total, comments, comment_total, page, pages)
