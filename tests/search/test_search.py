"""Searching a consultation's draft and comments (readers) and every consultation (officials),
on the database's own full-text index (FTS5 on SQLite, GIN on PostgreSQL)."""

import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import Comment, CommentKind, CommentStatus
from consult.search.text import highlight, search_terms
from tests.moderation.test_query_counts import statements_at_sizes


@pytest.fixture()
def foundation(representative):
    return representative.memberships[0].organisation


def _status(response) -> str:
    return re.search(r'role="status">([^<]*)<', response.get_data(as_text=True)).group(1)


def _marked(response) -> list[str]:
    return re.findall(r"<mark>([^<]*)</mark>", response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("query", "prefixes"),
    [
        ("organizacji", ("organizacj",)),
        ("ORGANIZACJE", ("organizacj",)),
        ("organizacjami pozarządowymi", ("organizacj", "pozarzadow")),
        ("Łódź", ("lodz",)),
        ("ŻÓŁW", ("zolw",)),
        ("sport", ("sport",)),
        ("stypendium", ("stypendi",)),  # -um nouns: stypendia, stypendiów
        ("w z i a", ()),  # one-letter words are in every text
        ("!!! ;--", ()),
        ('"a" OR b* \':*|', ("or",)),  # the index's own syntax is only letters here
        ("organizacji organizacje", ("organizacj",)),
        ("jeden dwa trzy cztery pięć sześć siedem osiem dziewięć", 8),
    ],
)
def test_a_search_becomes_folded_stems(query, prefixes):
    terms = search_terms(query)
    if isinstance(prefixes, int):
        assert len(terms.prefixes) == prefixes
    else:
        assert terms.prefixes == prefixes


def test_highlight_marks_every_form_escapes_the_rest_and_cuts_around_the_first_match():
    terms = search_terms("organizacji łódź")
    text = "Z <b>organizacjami</b> w Łodzi & organizacje."
    assert str(highlight(text, terms)) == (
        "Z &lt;b&gt;<mark>organizacjami</mark>&lt;/b&gt; w <mark>Łodzi</mark> &amp; <mark>organizacje</mark>."
    )
    long = " ".join(["słowo"] * 50 + ["organizacje"] + ["inne"] * 50)
    cut = str(highlight(long, terms, around=3))
    assert cut == "… słowo słowo słowo <mark>organizacje</mark> inne inne inne …"


def test_a_reader_finds_provisions_and_published_comments_by_any_form_of_the_words(
    client, db, create_consultation, representative, foundation, add_comment
):
    consultation = create_consultation("open")
    found = add_comment(
        consultation,
        representative,
        foundation,
        kind=CommentKind.GENERAL,
        key=None,
        justification="Prosimy o dotacje dla organizacji z Łodzi i Krakowa.",
    )
    for status in (CommentStatus.HIDDEN, CommentStatus.PENDING, CommentStatus.WITHDRAWN):
        other = add_comment(
            consultation,
            representative,
            foundation,
            kind=CommentKind.GENERAL,
            key=None,
            justification="Organizacje z Łodzi: uwaga nieopublikowana.",
        )
        other.status = status
    elsewhere = create_consultation("open")
    add_comment(
        elsewhere, representative, foundation, kind=CommentKind.GENERAL, key=None, justification="Organizacje z Łodzi."
    )
    db.session.commit()

    response = client.get(f"/consultations/{consultation.slug}/search?q=ORGANIZACJE+lodz")
    assert response.status_code == 200
    assert _status(response) == "Znaleziono: zapisy projektu – 0, uwagi – 1."
    page = response.get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}/comments/{found.number}"' in page
    assert _marked(response) == ["organizacji", "Łodzi"]

    provisions = client.get(f"/consultations/{consultation.slug}/search?q=organizacje")
    assert _status(provisions) == "Znaleziono: zapisy projektu – 2, uwagi – 1."
    text = provisions.get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}#p-' in text
    assert "<mark>organizacjami</mark> pozarządowymi" in text and "wzmacnianie <mark>organizacji</mark>" in text


def test_the_index_follows_every_write(client, db, create_consultation, representative, foundation, add_comment):
    consultation = create_consultation("open")
    comment = add_comment(
        consultation,
        representative,
        foundation,
        kind=CommentKind.GENERAL,
        key=None,
        justification="Stypendia sportowe.",
    )
    url = f"/consultations/{consultation.slug}/search?q="
    assert _status(client.get(url + "stypendium")).endswith("uwagi – 1.")
    comment.justification = "Granty kulturalne."
    db.session.commit()
    assert _status(client.get(url + "stypendium")).endswith("uwagi – 0.")
    assert _status(client.get(url + "kulturalnych")).endswith("uwagi – 1.")
    # A bulk statement, as the office's channels and the benches write, is indexed too.
    db.session.execute(sa.update(Comment).where(Comment.id == comment.id).values(justification="Dotacje celowe."))
    db.session.commit()
    assert _status(client.get(url + "dotacji")).endswith("uwagi – 1.")
    db.session.execute(sa.delete(Comment).where(Comment.id == comment.id))
    db.session.commit()
    assert _status(client.get(url + "dotacji")).endswith("uwagi – 0.")


def test_a_draft_consultation_is_not_searched_by_the_public(client, create_consultation):
    draft = create_consultation("draft")
    assert client.get(f"/consultations/{draft.slug}/search?q=program").status_code == 404
    assert client.get("/consultations/nie-ma-takiej/search?q=program").status_code == 404


def test_officials_search_every_consultation_and_others_may_not(
    client, db, create_consultation, create_user, login, representative, foundation, add_comment
):
    first = create_consultation("open", title="Program współpracy 2027")
    second = create_consultation("open", title="Program współpracy 2026")
    for consultation in (first, second):
        add_comment(
            consultation,
            representative,
            foundation,
            kind=CommentKind.GENERAL,
            key=None,
            justification="Więcej dotacji.",
        )
    db.session.commit()
    login(representative)
    assert client.get("/manage/search?q=dotacje").status_code == 403
    login(create_user(UserRole.OFFICIAL))
    response = client.get("/manage/search?q=dotacje")
    assert response.status_code == 200
    assert _status(response) == "Znaleziono: zapisy projektu – 0, uwagi – 2."
    page = response.get_data(as_text=True)
    assert "Program współpracy 2027" in page and "Program współpracy 2026" in page


@pytest.mark.parametrize(
    "query",
    ["%00", "x" * 100_000, "%F0%9F%98%80", "%E2%80%AE", "'a':*|!", '"', "a%00b", "%EF%BC%91"],
)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_any_search_text_gets_a_page(client, create_consultation, create_user, login, query, language):
    consultation = create_consultation("open")
    headers = {"Accept-Language": language}
    assert client.get(f"/consultations/{consultation.slug}/search?q={query}", headers=headers).status_code == 200
    login(create_user(UserRole.OFFICIAL))
    assert client.get(f"/manage/search?q={query}&page=99999999999999", headers=headers).status_code == 200


def test_the_page_in_each_language(client, create_consultation):
    consultation = create_consultation("open")
    polish = client.get(f"/consultations/{consultation.slug}/search?q=program", headers={"Accept-Language": "pl"})
    assert "Szukaj w projekcie i uwagach" in polish.get_data(as_text=True)
    assert _status(polish).startswith("Znaleziono")
    english = client.get(f"/consultations/{consultation.slug}/search?q=program", headers={"Accept-Language": "en"})
    assert "Search the draft and the comments" in english.get_data(as_text=True)
    assert _status(english).startswith("Found: ")
    empty = client.get(f"/consultations/{consultation.slug}/search?q=%21%21", headers={"Accept-Language": "pl"})
    assert _status(empty) == "Wpisz co najmniej jedno słowo z dwóch lub więcej liter."
    # The consultation page leads to the search.
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'action="/consultations/{consultation.slug}/search"' in page


def test_a_search_runs_the_same_statements_for_30_and_3000_comments(
    client, db, create_consultation, create_user, count_queries
):
    def words(consultation):
        db.session.execute(
            sa.update(Comment).where(Comment.consultation_id == consultation.id).values(justification="Dotacje celowe.")
        )

    counts = statements_at_sizes(
        client,
        db,
        create_consultation,
        count_queries,
        create_user(UserRole.OFFICIAL).id,
        lambda consultation: f"/consultations/{consultation.slug}/search?q=dotacji&page=2",
        prepare=words,
    )
    assert counts[0] == counts[1]
