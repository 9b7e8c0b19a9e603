"""The per-provision counts are kept by triggers in comment_counts: after every kind of write
(the operations, ORM changes, bulk statements, deletes, cascades) they equal a fresh GROUP BY
over the comments, and the page's and the API's count functions answer what counting the
comments answers."""

from collections import defaultdict

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.accounts.operations import delete_account
from consult.comments.models import Comment, CommentCount, CommentKind, CommentStatus, HideReason
from consult.comments.operations import withdraw_comment
from consult.comments.queries import LISTED_STATUSES, comment_counts, published_comment_counts
from consult.consultations.models import Consultation
from consult.core.time import utcnow
from consult.drafts.models import Paragraph
from consult.moderation.operations import approve_comment, hide_comment, restore_comment
from tests.conftest import PASSWORD


def _grouped(db) -> set[tuple]:
    rows = db.session.execute(
        sa.select(
            Comment.consultation_id,
            Comment.version_id,
            Comment.paragraph_id,
            Comment.paragraph_key,
            Comment.status,
            sa.func.count(),
        ).group_by(
            Comment.consultation_id, Comment.version_id, Comment.paragraph_id, Comment.paragraph_key, Comment.status
        )
    )
    return {(c, v, p or 0, k or "", s.value, n) for c, v, p, k, s, n in rows}


def _counters(db) -> set[tuple]:
    rows = db.session.execute(
        sa.select(
            CommentCount.consultation_id,
            CommentCount.version_id,
            CommentCount.paragraph_id,
            CommentCount.paragraph_key,
            CommentCount.status,
            CommentCount.n,
        )
    )
    return set(map(tuple, rows))


def _counted_from_comments(db, consultation_id, key_of_paragraph, version_id=None):
    """What comment_counts and published_comment_counts answered when they counted the comments."""
    query = (
        sa.select(Comment.paragraph_id, Comment.status, Comment.paragraph_key, Comment.version_id)
        .where(Comment.consultation_id == consultation_id)
        .execution_options(populate_existing=True)
    )
    published, other, by_key, total = defaultdict(int), defaultdict(int), defaultdict(int), 0
    for paragraph_id, status, key, version in db.session.execute(query):
        if version_id is not None and version != version_id:
            continue
        if status == CommentStatus.PUBLISHED and key is not None:
            by_key[key] += 1
        if status not in LISTED_STATUSES:
            continue
        place = key_of_paragraph.get(paragraph_id) if paragraph_id else None
        if status == CommentStatus.PUBLISHED:
            published[place] += 1
            total += 1
        else:
            other[place] += 1
    return dict(published), dict(other), total, dict(by_key)


def _check(db, *consultations):
    db.session.flush()
    assert _counters(db) == _grouped(db)
    for consultation in consultations:
        paragraphs = db.session.scalars(
            sa.select(Paragraph).join(Paragraph.version).where(Paragraph.version.has(consultation_id=consultation.id))
        ).all()
        key_of_paragraph = {p.id: p.key for p in paragraphs}
        for version_id in (None, *{p.version_id for p in paragraphs}):
            counts = comment_counts(consultation.id, key_of_paragraph, version_id=version_id)
            published, other, total, by_key = _counted_from_comments(db, consultation.id, key_of_paragraph, version_id)
            assert (counts.published, counts.other, counts.published_total) == (published, other, total)
            assert published_comment_counts(consultation.id, version_id=version_id) == by_key


@pytest.fixture()
def foundation(representative):
    return representative.memberships[0].organisation


def test_the_counters_equal_a_fresh_count_after_every_kind_of_write(
    db, create_user, create_consultation, representative, foundation, add_comment, paragraph_of
):
    moderator = create_user(UserRole.ADMIN, email="moderator@example.org")
    consultation = create_consultation("open")
    other_consultation = create_consultation("open")
    _check(db, consultation, other_consultation)

    first = add_comment(consultation, representative, foundation, key="par-1-pkt-1")
    second = add_comment(consultation, representative, foundation, key="par-1-pkt-1")
    third = add_comment(consultation, representative, foundation, key="par-2-ust-1")
    whole = add_comment(consultation, representative, foundation, key=None, kind=CommentKind.GENERAL, proposed_text="")
    elsewhere = add_comment(other_consultation, representative, foundation, key="par-2-ust-1")
    _check(db, consultation, other_consultation)
    assert published_comment_counts(consultation.id) == {"par-1-pkt-1": 2, "par-2-ust-1": 1}

    hide_comment(moderator, first, HideReason.OFF_TOPIC)
    _check(db, consultation, other_consultation)
    restore_comment(moderator, first, "Jednak na temat.")
    _check(db, consultation, other_consultation)
    withdraw_comment(second, representative)
    _check(db, consultation, other_consultation)
    db.session.execute(sa.update(Comment).where(Comment.id == third.id).values(status=CommentStatus.PENDING))
    _check(db, consultation, other_consultation)
    db.session.refresh(third)
    approve_comment(moderator, third)
    _check(db, consultation, other_consultation)

    # A move to another provision, through the ORM and in bulk.
    target = paragraph_of(consultation, "par-2-ust-1")
    first.paragraph_id, first.paragraph_key = target.id, target.key
    _check(db, consultation, other_consultation)
    db.session.execute(
        sa.update(Comment).where(Comment.id == whole.id).values(paragraph_id=target.id, paragraph_key=target.key)
    )
    _check(db, consultation, other_consultation)
    db.session.execute(sa.update(Comment).where(Comment.id == whole.id).values(paragraph_id=None, paragraph_key=None))
    _check(db, consultation, other_consultation)

    # A bulk insert (the seeding and the benches), then deletes one by one and in bulk.
    version_id = first.version_id
    db.session.execute(
        sa.insert(Comment),
        [
            {
                "consultation_id": consultation.id,
                "version_id": version_id,
                "paragraph_id": target.id if n % 3 else None,
                "paragraph_key": target.key if n % 3 else None,
                "organisation_id": foundation.id,
                "number": 100 + n,
                "kind": CommentKind.GENERAL,
                "status": list(CommentStatus)[n % len(CommentStatus)],
                "justification": f"Uwaga {n}",
                "submitted_at": utcnow(),
                "updated_at": utcnow(),
            }
            for n in range(40)
        ],
    )
    _check(db, consultation, other_consultation)
    db.session.delete(third)
    _check(db, consultation, other_consultation)
    db.session.execute(sa.delete(Comment).where(Comment.consultation_id == consultation.id, Comment.number >= 120))
    _check(db, consultation, other_consultation)
    db.session.commit()
    _check(db, consultation, other_consultation)

    # Erasing the author's account keeps the comments (and their counts).
    before = _counters(db)
    delete_account(representative, PASSWORD)
    db.session.commit()
    assert _counters(db) == before == _grouped(db)

    # Deleting a consultation takes its comments and its counters with it; the other's stay.
    elsewhere_id = elsewhere.id
    db.session.execute(sa.delete(Consultation).where(Consultation.id == other_consultation.id))
    db.session.commit()
    assert elsewhere_id not in db.session.scalars(sa.select(Comment.id)).all()
    _check(db, consultation)
    assert {row[0] for row in _counters(db)} == {consultation.id}
