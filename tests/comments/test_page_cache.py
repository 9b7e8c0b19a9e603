"""The public page of a consultation is rendered once per change, not once per reader."""

import os

import pytest
import sqlalchemy as sa

from consult.comments.models import Comment, CommentStatus
from consult.core import page_cache

KEY = "par-1-pkt-1"


def _page(client, slug: str, query: str = "") -> str:
    response = client.get(f"/consultations/{slug}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _statements(client, count_queries, slug: str, query: str = "") -> int:
    with count_queries() as counter:
        _page(client, slug, query)
    return counter.count


def test_a_second_visitor_gets_the_page_without_rendering_it_again(client, create_consultation, count_queries):
    consultation = create_consultation("open")
    first = _statements(client, count_queries, consultation.slug)
    assert _statements(client, count_queries, consultation.slug) == 1  # the consultation only
    assert first > 1
    # another language is another page
    assert _statements(client, count_queries, consultation.slug, "?lang=en") == first
    assert "Comments" in _page(client, consultation.slug, "?lang=en")


def test_a_new_comment_shows_at_once(
    client, db, login, representative, create_consultation, add_comment, count_queries
):
    consultation = create_consultation("open")
    assert "1 uwaga" not in _page(client, consultation.slug)
    organisation = representative.memberships[0].organisation
    add_comment(consultation, representative, organisation, justification="Nowa uwaga.")
    assert "1 uwaga" in _page(client, consultation.slug)


def test_sending_through_the_form_moves_the_page_on(client, db, login, representative, create_consultation):
    consultation = create_consultation("open")
    assert "1 uwaga" not in _page(client, consultation.slug)
    login(representative)
    form = client.get(f"/consultations/{consultation.slug}/comment?paragraph={KEY}").get_data(as_text=True)
    assert "submission_token" in form
    response = client.post(
        f"/consultations/{consultation.slug}/comment?paragraph={KEY}",
        data={
            "organisation": representative.memberships[0].organisation_id,
            "kind": "general",
            "justification": "Uwaga przez formularz.",
            "action": "send",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    assert "1 uwaga" in _page(client, consultation.slug)


def test_hiding_a_comment_and_changing_the_consultation_show_at_once(
    client, db, representative, create_consultation, add_comment
):
    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, representative.memberships[0].organisation)
    assert "1 uwaga" in _page(client, consultation.slug)
    comment.status = CommentStatus.HIDDEN
    db.session.commit()
    assert "0 uwag (i 1 wycofana lub ukryta)" in _page(client, consultation.slug)
    consultation.title = "Nowy tytuł konsultacji"
    db.session.commit()
    assert "Nowy tytuł konsultacji" in _page(client, consultation.slug)
    db.session.execute(sa.update(Comment).values(status=CommentStatus.PUBLISHED))  # a bulk statement
    db.session.commit()
    assert "1 uwaga" in _page(client, consultation.slug)


def test_a_rolled_back_change_leaves_the_page_as_it_was(client, db, create_consultation, count_queries):
    consultation = create_consultation("open")
    _page(client, consultation.slug)
    consultation.title = "Nigdy zapisany"
    db.session.flush()
    db.session.rollback()
    assert _statements(client, count_queries, consultation.slug) == 1
    assert "Nigdy zapisany" not in _page(client, consultation.slug)


def test_signed_in_people_and_filtered_pages_are_not_kept(
    client, login, representative, create_consultation, count_queries
):
    consultation = create_consultation("open")
    _page(client, consultation.slug)
    first = _statements(client, count_queries, consultation.slug, "?gone=x")
    assert _statements(client, count_queries, consultation.slug, "?gone=x") == first
    login(representative)
    page = _page(client, consultation.slug)
    assert "Wyloguj" in page or "Sign out" in page
    assert _statements(client, count_queries, consultation.slug) > 2


def test_the_minute_of_the_deadline_is_never_kept(client, db, create_consultation, count_queries):
    from datetime import timedelta

    from consult.core.time import utcnow

    consultation = create_consultation("open")
    consultation.closes_at = utcnow() + timedelta(seconds=30)
    db.session.commit()
    first = _statements(client, count_queries, consultation.slug)
    assert _statements(client, count_queries, consultation.slug) == first


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_the_redis_store_keeps_entries_and_moves_stamps():
    store = page_cache._RedisStore(os.environ["TEST_REDIS_URL"])
    store.redis.delete(store.STAMP.format(0), store.STAMP.format(987654), store.PAGE.format(987654, "pl"))
    stamp, entry = store.read(987654, "pl")
    assert entry is None
    store.write(987654, "pl", f"{stamp}:1:0", "<p>strona</p>")
    assert store.read(987654, "pl") == (stamp, f"{stamp}:1:0\n<p>strona</p>")
    store.bump({987654})
    assert store.read(987654, "pl")[0] != stamp
    store.redis.delete(store.STAMP.format(987654), store.PAGE.format(987654, "pl"))


def test_the_open_data_json_is_kept_too_and_a_new_comment_moves_it_on(
    client, db, representative, create_consultation, add_comment, count_queries
):
    consultation = create_consultation("open")
    url = f"/api/v1/consultations/{consultation.slug}"
    first = client.get(url).get_json()
    with count_queries() as counter:
        again = client.get(url)
    assert again.mimetype == "application/json" and again.get_json() == first
    assert counter.count == 1  # the consultation only: the document and its counts come from the cache
    organisation = representative.memberships[0].organisation
    add_comment(consultation, representative, organisation, justification="Nowa uwaga.")
    assert client.get(url).get_json() != first  # the provision's count moved
