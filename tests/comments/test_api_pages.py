"""/api/v1/consultations/<slug>/comments a page at a time, and …/comments/all as one streamed file."""

import gzip
import json
import re

import pytest

from consult.accounts.models import UserRole
from consult.api import views as api
from tests.moderation.test_query_counts import _bulk_comments, statements_at_sizes


def _links(response) -> dict[str, str]:
    """rel -> the query string of its address, from the Link header."""
    found = re.findall(r'<http://localhost(/[^>]*)>; rel="(\w+)"', response.headers.get("Link", ""))
    return {rel: url.partition("?")[2] for url, rel in found}


@pytest.fixture()
def large(db, create_consultation, create_user):
    """1,000 comments, every fourth published (numbers 4, 8, … 1000): 250 are open data."""
    consultation = create_consultation("open")
    _bulk_comments(db, consultation, 1000, create_user(UserRole.OFFICIAL).id)
    return consultation


def test_pages_of_comments_with_the_total_and_links_to_the_others(client, large):
    url = f"/api/v1/consultations/{large.slug}/comments"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["X-Total-Count"] == "250"
    assert [c["id"] for c in first.get_json()] == sorted(c["id"] for c in first.get_json())
    assert len(first.get_json()) == 100
    assert _links(first) == {
        "first": "page=1&per_page=100",
        "next": "page=2&per_page=100",
        "last": "page=3&per_page=100",
    }

    second = client.get(url + "?page=2")
    assert _links(second) == {
        "first": "page=1&per_page=100",
        "prev": "page=1&per_page=100",
        "next": "page=3&per_page=100",
        "last": "page=3&per_page=100",
    }
    third = client.get(url + "?page=3")
    assert len(third.get_json()) == 50 and "next" not in _links(third)

    pages = first.get_json() + second.get_json() + third.get_json()
    assert len({c["id"] for c in pages}) == 250
    # Past the last page: nothing, and the way back.
    beyond = client.get(url + "?page=9")
    assert beyond.status_code == 200 and beyond.get_json() == []
    assert _links(beyond) == {
        "first": "page=1&per_page=100",
        "prev": "page=3&per_page=100",
        "last": "page=3&per_page=100",
    }

    ten = client.get(url + "?per_page=10&page=25")
    assert len(ten.get_json()) == 10 and _links(ten)["last"] == "page=25&per_page=10" and "next" not in _links(ten)
    assert ten.get_json() == pages[240:]
    everything = client.get(url + "?per_page=1000").get_json()
    assert everything == pages
    # Control characters leave every query string before a view reads it: a NUL alone is no page.
    assert client.get(url + "?page=%00").get_json() == first.get_json()


def test_no_comments_is_one_empty_page(client, create_consultation):
    consultation = create_consultation("open")
    response = client.get(f"/api/v1/consultations/{consultation.slug}/comments")
    assert response.get_json() == [] and response.headers["X-Total-Count"] == "0"
    assert _links(response) == {"first": "page=1&per_page=100", "last": "page=1&per_page=100"}


@pytest.mark.parametrize(
    ("query", "name", "maximum"),
    [
        ("page=0", "page", "2147483647"),
        ("page=-1", "page", "2147483647"),
        ("page=abc", "page", "2147483647"),
        ("page=1.5", "page", "2147483647"),
        ("page=" + "9" * 30, "page", "2147483647"),
        ("per_page=0", "per_page", "1000"),
        ("per_page=1001", "per_page", "1000"),
        ("per_page=%EF%BC%91", "per_page", "1000"),  # a full-width digit one
    ],
)
def test_a_page_that_is_not_a_number_in_range_is_a_bad_request_in_each_language(
    client, create_consultation, query, name, maximum
):
    consultation = create_consultation("open")
    url = f"/api/v1/consultations/{consultation.slug}/comments?{query}"
    english = client.get(url, headers={"Accept-Language": "en"})
    assert english.status_code == 400
    body = english.get_json()
    assert body["error"] == "bad_request"
    assert body["message"] == f"The parameter {name} must be a whole number from 1 to {maximum}."
    polish = client.get(url, headers={"Accept-Language": "pl"}).get_json()["message"]
    assert polish == f"Parametr {name} musi być liczbą całkowitą od 1 do {maximum}."


def test_pages_run_the_same_statements_for_30_and_3000_comments(
    client, db, create_consultation, create_user, count_queries
):
    counts = statements_at_sizes(
        client,
        db,
        create_consultation,
        count_queries,
        create_user(UserRole.OFFICIAL).id,
        lambda consultation: f"/api/v1/consultations/{consultation.slug}/comments?page=2&per_page=3",
    )
    assert counts == [4, 4]  # the consultation, the total, the page, its supports


def test_the_whole_list_is_streamed_in_batches_as_the_pages_give_it(
    client, large, count_queries, monkeypatch, create_consultation
):
    monkeypatch.setattr(api, "STREAM_BATCH", 40)
    pages = client.get(f"/api/v1/consultations/{large.slug}/comments?per_page=1000").get_json()
    with count_queries() as counter:
        response = client.get(f"/api/v1/consultations/{large.slug}/comments/all")
        assert response.is_streamed
        text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{large.slug}-comments.json"'
    assert json.loads(text) == pages
    assert len(pages) == 250 and pages[0]["supports"] in (0, 1)
    # The consultation, then 7 batches of 40 (each with its supports; the last one short) and an empty one.
    assert counter.count == 1 + 7 * 2 + 1

    packed = client.get(f"/api/v1/consultations/{large.slug}/comments/all", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()).decode() == text
    assert len(packed.get_data()) < len(text) / 5

    empty = create_consultation("open")
    assert json.loads(client.get(f"/api/v1/consultations/{empty.slug}/comments/all").get_data(as_text=True)) == []


def test_the_whole_list_of_a_draft_or_unknown_consultation_is_not_found(client, create_consultation):
    for slug in (create_consultation("draft").slug, "nie-ma-takiej"):
        response = client.get(f"/api/v1/consultations/{slug}/comments/all")
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"
