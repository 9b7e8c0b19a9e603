from datetime import timedelta

import pytest

from consult.core.sanitise import render_markdown
from consult.core.templating import time_left
from consult.core.time import utcnow


@pytest.mark.parametrize(
    ("delta", "polish", "english"),
    [
        (timedelta(days=1, hours=1), "1 dzień 1 godzina", "1 day 1 hour"),
        (timedelta(days=2, hours=3), "2 dni 3 godziny", "2 days 3 hours"),
        (timedelta(days=5, hours=22), "5 dni 22 godziny", "5 days 22 hours"),
        (timedelta(days=12, hours=5), "12 dni 5 godzin", "12 days 5 hours"),
        (timedelta(hours=2, minutes=21), "2 godziny 21 minut", "2 hours 21 minutes"),
        (timedelta(minutes=1, seconds=5), "1 minuta", "1 minute"),
        (timedelta(seconds=-1), "", ""),
    ],
)
def test_time_left_uses_the_three_polish_plural_forms(app, delta, polish, english):
    now = utcnow()
    with app.test_request_context("/?lang=pl"):
        assert time_left(now + delta, now) == polish
    with app.test_request_context("/?lang=en"):
        assert time_left(now + delta, now) == english


@pytest.mark.parametrize(
    ("source", "present", "absent"),
    [
        ("**ważne**", "<strong>ważne</strong>", None),
        ("<script>alert(1)</script>", "&lt;script&gt;", "<script>"),
        ("[x](javascript:alert(1))", None, 'href="javascript'),
        ('<img src=x onerror="alert(1)">', None, "<img"),
        ("[strona](https://example.org)", 'rel="nofollow noopener noreferrer"', None),
    ],
)
def test_user_text_is_rendered_through_markdown_and_sanitised(source, present, absent):
    html = str(render_markdown(source))
    if present:
        assert present in html
    if absent:
        assert absent not in html
