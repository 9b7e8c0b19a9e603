"""The queue and the progress page run the same number of statements for 30 and 3,000 comments."""

import sqlalchemy as sa

from consult.accounts.models import Organisation, OrganisationStatus, UserRole
from consult.comments.models import Comment, CommentKind, CommentStatus, Support
from consult.drafts.models import Paragraph
from consult.moderation.models import Position, PositionState, PositionStatus


def _bulk_comments(db, consultation, count: int, official_id: int) -> None:
    organisations = [Organisation(name=f"Organizacja {i}", status=OrganisationStatus.VERIFIED) for i in range(20)]
    db.session.add_all(organisations)
    db.session.flush()
    paragraphs = db.session.scalars(
        sa.select(Paragraph).where(Paragraph.version_id == consultation.versions[-1].id)
    ).all()
    statuses = [CommentStatus.PUBLISHED, CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN]
    rows = []
    for number in range(1, count + 1):
        paragraph = paragraphs[number % len(paragraphs)] if number % 7 else None
        rows.append(
            {
                "consultation_id": consultation.id,
                "version_id": consultation.versions[-1].id,
                "paragraph_id": paragraph.id if paragraph else None,
                "paragraph_key": paragraph.key if paragraph else None,
                "organisation_id": organisations[number % 20].id,
                "number": number,
                "kind": CommentKind.CHANGE,
                "proposed_text": "x",
                "justification": "y",
                "status": statuses[number % 4],
                "assignee_id": official_id if number % 3 else None,
            }
        )
    db.session.execute(sa.insert(Comment), rows)
    ids = db.session.scalars(sa.select(Comment.id).where(Comment.consultation_id == consultation.id)).all()
    db.session.execute(
        sa.insert(Position),
        [
            {
                "comment_id": cid,
                "status": PositionStatus.ACCEPTED,
                "reason": "r",
                "state": PositionState.PUBLISHED if cid % 2 else PositionState.DRAFT,
            }
            for cid in ids[::3]
        ],
    )
    db.session.execute(
        sa.insert(Support), [{"comment_id": cid, "organisation_id": organisations[0].id} for cid in ids[::5]]
    )
    db.session.commit()


def statements_at_sizes(client, db, create_consultation, count_queries, official_id, url_of, prepare=None) -> list[int]:
    """The statements a GET of ``url_of(consultation)`` runs for a consultation with 30 and with
    3,000 comments (``_bulk_comments``, then ``prepare(consultation)`` if given); each answers 200."""
    counts = []
    for size in (30, 3000):
        consultation = create_consultation("open")
        _bulk_comments(db, consultation, size, official_id)
        if prepare is not None:
            prepare(consultation)
            db.session.commit()
        url = url_of(consultation)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(counter.count)
    return counts


PAGES = ["moderation", "moderation?status=published&position=none", "moderation?page=2", "progress", "positions"]


def test_moderation_pages_run_a_fixed_number_of_statements(
    client, db, create_user, create_consultation, login, count_queries
):
    official = create_user(UserRole.OFFICIAL)
    small = create_consultation("open", officials=[official])
    large = create_consultation("open", officials=[official])
    _bulk_comments(db, small, 30, official.id)
    _bulk_comments(db, large, 3000, official.id)
    login(official)
    for page in PAGES:
        counts = []
        for consultation in (small, large):
            with count_queries() as counter:
                response = client.get(f"/manage/consultations/{consultation.slug}/{page}")
            assert response.status_code == 200
            counts.append(counter.count)
        assert counts[0] == counts[1], (page, counts)
