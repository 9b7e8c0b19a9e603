"""The queue shows what each comment says, so an official can triage without opening every one."""

import re

import pytest

from consult.accounts.models import UserRole
from tests.moderation.test_query_counts import _bulk_comments

LONG = "Proponujemy " + "bardzo długie brzmienie przepisu " * 12 + "KONIEC-BRZMIENIA"


@pytest.fixture()
def queue(db, create_user, create_organisation, create_consultation, create_comment):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[official])
    organisation = create_organisation("Fundacja Treści")
    short = create_comment(
        consultation, organisation, proposed_text="Krótkie <brzmienie>.", justification="Bo **tak** trzeba."
    )
    long = create_comment(consultation, organisation, proposed_text=LONG, justification="Uzasadnienie krótkie.")
    return {"official": official, "consultation": consultation, "short": short, "long": long}


def _row(html: str, number: int) -> str:
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    return next(row for row in rows if f'/comments/{number}"' in row)


def test_each_row_shows_the_start_of_the_wording_and_the_justification(client, login, queue):
    login(queue["official"])
    html = client.get(f"/manage/consultations/{queue['consultation'].slug}/moderation").get_data(as_text=True)
    assert '<th scope="col">Treść</th>' in html
    short = _row(html, queue["short"].number)
    assert "Krótkie &lt;brzmienie&gt;." in short
    # the justification's Markdown is read as text, its markup gone and nothing unescaped
    assert "Bo tak trzeba." in short and "**" not in short
    assert "<details" not in short  # nothing more to show

    long = _row(html, queue["long"].number)
    visible, _, folded = long.partition("<details")
    assert "Proponujemy bardzo długie" in visible and "KONIEC-BRZMIENIA" not in visible
    start = visible.index("Proponujemy")
    assert len(visible[start : visible.index("</p>", start)]) <= 200
    assert "<summary>Cała uwaga" in folded and "KONIEC-BRZMIENIA" in folded


def test_the_text_costs_no_statement_per_row(client, db, login, create_user, create_consultation, count_queries):
    """A page of 50 comments with their texts runs as many statements as a page of 3."""
    official = create_user(UserRole.OFFICIAL)
    small = create_consultation("open", officials=[official])
    large = create_consultation("open", officials=[official])
    _bulk_comments(db, small, 3, official.id)
    _bulk_comments(db, large, 200, official.id)
    login(official)
    counts = []
    for consultation in (small, large):
        with count_queries() as counter:
            html = client.get(f"/manage/consultations/{consultation.slug}/moderation").get_data(as_text=True)
        assert html.count('class="queue-text"') == (3 if consultation is small else 50)
        counts.append(counter.count)
    # the user, the consultation, its team, the count, the page, reports, supports, the two menus,
    # the officials for the filter and for the bulk form, the themes
    assert counts == [counts[0], counts[0]] and counts[0] == 13, counts
