"""/api/v1/consultations/<slug>/comments: published comments as open data."""

from datetime import datetime

import pytest

from consult.accounts.models import UserRole
from consult.comments.models import CommentKind, CommentStatus
from consult.comments.operations import support_comment
from consult.core.time import from_local
from consult.moderation.models import Position, PositionState, PositionStatus


@pytest.fixture()
def foundation(representative):
    return representative.memberships[0].organisation


def test_published_comments_with_supports_and_published_positions_only(
    app, client, db, representative, foundation, create_consultation, add_comment, create_user, create_organisation
):
    consultation = create_consultation("open", opens_at=from_local(datetime(2026, 6, 1, 8, 0)))
    summer = from_local(datetime(2026, 7, 1, 14, 3, 9))
    first = add_comment(consultation, representative, foundation, now=summer)
    general = add_comment(
        consultation,
        representative,
        foundation,
        key=None,
        kind=CommentKind.GENERAL,
        justification="Uwaga ogólna.",
        now=summer,
    )
    pending = add_comment(consultation, representative, foundation, justification="Czeka.")
    pending.status = CommentStatus.PENDING
    withdrawn = add_comment(consultation, representative, foundation, justification="Wycofana.")
    withdrawn.status = CommentStatus.WITHDRAWN
    piotr = create_user(display_name="Piotr Wiśniewski")
    seniors = create_organisation("Seniorzy Nowej Huty", members=[piotr])
    with app.test_request_context():
        support_comment(first, piotr, seniors)
    db.session.add_all(
        [
            Position(
                comment=first, status=PositionStatus.PARTLY_ACCEPTED, reason="Częściowo.", state=PositionState.PUBLISHED
            ),
            Position(
                comment=general, status=PositionStatus.REJECTED, reason="Szkic odpowiedzi.", state=PositionState.DRAFT
            ),
        ]
    )
    db.session.commit()

    response = client.get(f"/api/v1/consultations/{consultation.slug}/comments")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body == [
        {
            "id": first.id,
            "paragraph_key": "par-1-pkt-1",
            "paragraph_label": "§ 1 pkt 1",
            "organisation": "Fundacja Pod Wawelem",
            "kind": "change",
            "proposed_text": "ustawie – ustawa z dnia 24 kwietnia 2003 r.",
            "justification": "Pełny tytuł ustawy.",
            "supports": 1,
            "submitted_at": "2026-07-01T14:03:09+02:00",
            "channel": "online",
            "position": {"status": "partly_accepted", "reason": "Częściowo."},
        },
        {
            "id": general.id,
            "paragraph_key": None,
            "paragraph_label": None,
            "organisation": "Fundacja Pod Wawelem",
            "kind": "general",
            "proposed_text": "",
            "justification": "Uwaga ogólna.",
            "supports": 0,
            "submitted_at": "2026-07-01T14:03:09+02:00",
            "channel": "online",
            "position": None,
        },  # a draft position is not public
    ]
    text = response.get_data(as_text=True)
    for personal in ("anna@example.org", "Anna Kowalska", "Piotr Wiśniewski", "Czeka.", "Wycofana."):
        assert personal not in text


def test_comments_of_a_draft_or_unknown_consultation_are_not_found(client, create_consultation, create_user, login):
    draft = create_consultation("draft")
    login(create_user(UserRole.OFFICIAL))  # even for an official: open data is public data
    for slug in (draft.slug, "nie-ma-takiej"):
        response = client.get(f"/api/v1/consultations/{slug}/comments")
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_comment_counts_in_the_document_tree_count_published_comments(
    client, db, representative, foundation, create_consultation, add_comment
):
    consultation = create_consultation("open")
    add_comment(consultation, representative, foundation)
    hidden = add_comment(consultation, representative, foundation)
    hidden.status = CommentStatus.HIDDEN
    db.session.commit()
    body = client.get(f"/api/v1/consultations/{consultation.slug}").get_json()
    unit = body["version"]["sections"][1]["sections"][0]
    counts = {p["key"]: p["comment_count"] for p in unit["paragraphs"]}
    assert counts["par-1-pkt-1"] == 1
