"""Comment pages: the control under each paragraph, the form, receipts, edits, withdrawals, supports."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, UserRole
from consult.comments.models import Comment, CommentKind, CommentRevision, CommentStatus, Support
from consult.consultations.models import ModerationMode

KEY = "par-1-pkt-1"
CURRENT = "ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego;"
PROPOSED = "ustawie – należy przez to rozumieć ustawę z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego;"


def _page(response) -> str:
    return response.get_data(as_text=True)


def _form(client, url: str) -> dict:
    """The hidden values a freshly opened form carries (its submission token)."""
    page = _page(client.get(url))
    token = re.search(r'name="submission_token" type="hidden" value="([^"]+)"', page)
    return {"submission_token": token.group(1) if token else ""}


def _comment_url(consultation, key=KEY):
    return f"/consultations/{consultation.slug}/comment" + (f"?paragraph={key}" if key else "")


def _send(client, consultation, organisation, key=KEY, action="send", **fields):
    data = {
        **_form(client, _comment_url(consultation, key)),
        "organisation": organisation.id,
        "kind": "change",
        "proposed_text": PROPOSED,
        "justification": "Pełny tytuł ustawy.",
        "action": action,
        **fields,
    }
    return client.post(_comment_url(consultation, key), data=data)


@pytest.fixture()
def foundation(representative):
    return representative.memberships[0].organisation


# --- the control under each paragraph ------------------------------------------------------------


def test_every_paragraph_has_a_comment_control_that_works_without_script(client, create_consultation):
    consultation = create_consultation("open")
    page = _page(client.get(f"/consultations/{consultation.slug}"))
    keys = re.findall(r'<li class="paragraph [^"]*" id="p-([^"]+)"', page)
    assert len(keys) == 10
    for key in keys:
        # A link to the form's own page, which the script turns into a button opening the form in place.
        assert f'href="/consultations/{consultation.slug}/comment?paragraph={key}"' in page
        assert f'data-comment-toggle="comment-form-{key}"' in page
        assert f'<div class="comment-form-slot" id="comment-form-{key}" hidden></div>' in page
    assert f'href="/consultations/{consultation.slug}/comment"' in page  # the draft as a whole
    assert "/static/js/comments.js" in page
    assert "<form" not in page.split('<section class="draft"')[1].split("</section>")[0]  # no form copies


def test_the_script_turns_links_into_buttons_with_aria_expanded(app):
    script = app.static_folder + "/js/comments.js"
    source = open(script, encoding="utf-8").read()
    for needed in (
        'createElement("button")',
        '"aria-expanded"',
        '"aria-controls"',
        'searchParams.set("fragment", "1")',
        "focus()",
    ):
        assert needed in source


@pytest.mark.parametrize(
    ("status", "words"), [("closed", "Konsultacje zakończyły się"), ("announced", "Konsultacje rozpoczną się")]
)
def test_no_comment_controls_while_the_consultation_is_not_open(client, create_consultation, status, words):
    consultation = create_consultation(status)
    page = _page(client.get(f"/consultations/{consultation.slug}"))
    assert "data-comment-toggle" not in page
    assert words in page


def test_an_earlier_version_has_no_comment_controls(client, db, create_consultation):
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version

    consultation = create_consultation("open")
    publish_version(
        import_draft(consultation, parse_markdown("## Rozdział I\n\n§ 1. Druga wersja."), None),
        None,
        new_text_confirmed=True,
        comments_open_confirmed=True,
    )
    db.session.commit()
    assert "data-comment-toggle" not in _page(client.get(f"/consultations/{consultation.slug}/versions/1"))


# --- who sees the form ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_asked_to_sign_in(client, create_consultation):
    consultation = create_consultation("open")
    page = _page(client.get(_comment_url(consultation)))
    assert "Zaloguj się, aby zgłosić uwagę" in page
    assert f"/login?next=/consultations/{consultation.slug}/comment?paragraph%3D{KEY}" in page.replace("%2F", "/")
    assert 'name="justification"' not in page


def test_a_member_of_an_unverified_organisation_is_told_why(
    client, create_user, create_organisation, login, create_consultation
):
    user = create_user()
    create_organisation("Nowe Koło", status=OrganisationStatus.PENDING, members=[user])
    login(user)
    page = _page(client.get(_comment_url(create_consultation("open"))))
    assert "tylko zweryfikowane organizacje" in page
    assert 'name="justification"' not in page


def test_the_form_offers_eligible_organisations_and_prefills_the_current_wording(
    client, login, representative, create_organisation, create_consultation
):
    create_organisation("Koło Niezweryfikowane", status=OrganisationStatus.PENDING, members=[representative])
    create_organisation("Druga Fundacja", members=[representative])
    login(representative)
    page = _page(client.get(_comment_url(create_consultation("open"))))
    options = re.findall(r"<option[^>]*>([^<]+)</option>", page)
    assert options == ["Druga Fundacja", "Fundacja Pod Wawelem"]
    assert f"\n{CURRENT}</textarea>" in page
    assert 'value="change"' in page and 'value="delete"' in page and 'value="add"' in page
    assert "Do 5000 znaków" in page  # the limit is stated


def test_the_in_place_fragment_is_the_form_without_the_page_around_it(
    client, login, representative, create_consultation
):
    login(representative)
    response = client.get(_comment_url(create_consultation("open")) + "&fragment=1")
    page = _page(response)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert "<html" not in page and 'class="comment-form"' in page
    assert f'id="justification-{KEY}"' in page and f'for="justification-{KEY}"' in page  # unique ids


def test_a_comment_on_the_whole_draft_is_a_general_remark(
    client, db, login, representative, foundation, create_consultation
):
    login(representative)
    consultation = create_consultation("open")
    page = _page(client.get(_comment_url(consultation, None)))
    assert '<input type="hidden" name="kind" value="general">' in page
    response = _send(
        client,
        consultation,
        foundation,
        key=None,
        kind="general",
        proposed_text="",
        justification="Program powinien przewidywać umowy wieloletnie.",
    )
    assert response.status_code == 302
    comment = db.session.scalar(sa.select(Comment))
    assert comment.paragraph_id is None and comment.kind == CommentKind.GENERAL
    page = _page(client.get(f"/consultations/{consultation.slug}"))
    whole = page.split('id="whole-draft-title"')[1]
    link = f'href="/consultations/{consultation.slug}/comments?provision=whole"'
    assert link in whole and "1 uwaga" in whole
    listed = _page(client.get(f"/consultations/{consultation.slug}/comments?provision=whole"))
    assert "Program powinien przewidywać umowy wieloletnie." in listed


# --- preview, sending, receipt ----------------------------------------------------------------------


def test_preview_shows_the_word_diff_and_keeps_the_text_without_sending(
    client, db, login, representative, foundation, create_consultation
):
    login(representative)
    consultation = create_consultation("open")
    response = _send(client, consultation, foundation, action="preview")
    page = _page(response)
    assert response.status_code == 200
    assert (
        '<ins class="diff-ins"><span class="visually-hidden">dodano: </span>'
        '<span class="diff-words">z dnia 24 kwietnia 2003 r.</span></ins>' in page
    )
    assert f"\n{PROPOSED}</textarea>" in page
    assert 'formaction="/consultations/' in page and "#preview" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_preview_of_invalid_text_shows_the_error_by_its_field(
    client, login, representative, foundation, create_consultation
):
    login(representative)
    response = _send(client, create_consultation("open"), foundation, action="preview", proposed_text=CURRENT)
    assert response.status_code == 422
    assert re.search(
        rf'<p class="error" id="proposed_text-{KEY}-error">Proponowane brzmienie jest takie samo', _page(response)
    )


def test_sending_gives_a_receipt_on_the_page_and_by_email(
    client, db, login, representative, foundation, create_consultation, mail_outbox
):
    login(representative)
    consultation = create_consultation("open", receipt_prefix="KONS-2027")
    response = _send(client, consultation, foundation)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/consultations/{consultation.slug}/comments/1")
    page = _page(client.get(response.headers["Location"]))
    assert "Numer potwierdzenia: KONS-2027/0001" in page  # the flash
    receipt = page.split('class="receipt"')[1].split("</section>")[0]
    assert "KONS-2027/0001" in receipt and "czas krakowski" in receipt
    assert len(mail_outbox) == 1
    mail = mail_outbox[0]
    assert mail.to == "anna@example.org"
    assert "KONS-2027/0001" in mail.subject
    for expected in (
        "KONS-2027/0001",
        "§ 1 pkt 1",
        "zmiana brzmienia",
        PROPOSED,
        "Pełny tytuł ustawy.",
        "czas krakowski",
        f"http://localhost/consultations/{consultation.slug}/comments/1",
    ):
        assert expected in mail.body


def test_a_double_click_or_a_resent_form_creates_one_comment(
    client, db, login, representative, foundation, create_consultation, mail_outbox
):
    login(representative)
    consultation = create_consultation("open")
    data = {
        **_form(client, _comment_url(consultation)),
        "organisation": foundation.id,
        "kind": "change",
        "proposed_text": PROPOSED,
        "justification": "Pełny tytuł.",
        "action": "send",
    }
    first = client.post(_comment_url(consultation), data=data)
    second = client.post(_comment_url(consultation), data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1
    assert len(mail_outbox) == 1
    assert "już wysłana" in _page(client.get(second.headers["Location"]))


def test_pre_moderated_comments_wait_and_are_not_public(
    client, db, login, representative, foundation, create_consultation
):
    login(representative)
    consultation = create_consultation("open", moderation_mode=ModerationMode.PRE)
    response = _send(client, consultation, foundation, justification="Czeka na moderację.")
    page = _page(client.get(response.headers["Location"]))
    assert "po zatwierdzeniu przez moderatora" in page and "Czeka na moderację." in page  # the author sees it
    client.post("/logout")
    assert client.get(response.headers["Location"]).status_code == 404
    assert "Czeka na moderację." not in _page(client.get(f"/consultations/{consultation.slug}"))


# --- the deadline ------------------------------------------------------------------------------------


def test_a_form_opened_before_the_deadline_and_sent_after_is_refused_with_the_text_given_back(
    client, db, login, representative, foundation, create_consultation, monkeypatch
):
    from datetime import datetime

    from consult.core import time as clock
    from consult.core.time import from_local

    closes_at = from_local(datetime(2036, 7, 31, 23, 59))
    consultation = create_consultation("open", closes_at=closes_at)
    login(representative)
    data = {
        **_form(client, _comment_url(consultation)),
        "organisation": foundation.id,
        "kind": "change",
        "proposed_text": PROPOSED,
        "justification": "Pisane <długo> przed terminem.",
        "action": "send",
    }
    monkeypatch.setattr(clock, "utcnow", lambda: closes_at + timedelta(seconds=1))
    response = client.post(_comment_url(consultation), data=data)
    page = _page(response)
    assert response.status_code == 409
    assert "Konsultacje zakończyły się 31 lipca 2036 o godz. 23:59" in page
    assert f"\n{PROPOSED}</textarea>" in page
    assert "Pisane &lt;długo&gt; przed terminem.</textarea>" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_one_second_before_closing_the_comment_is_accepted(
    client, db, login, representative, foundation, create_consultation, monkeypatch
):
    from consult.core import time as clock

    consultation = create_consultation("open")
    login(representative)
    data = {
        **_form(client, _comment_url(consultation)),
        "organisation": foundation.id,
        "kind": "delete",
        "justification": "Zbędny.",
        "action": "send",
    }
    monkeypatch.setattr(clock, "utcnow", lambda: consultation.closes_at - timedelta(seconds=1))
    assert client.post(_comment_url(consultation), data=data).status_code == 302


def test_editing_and_withdrawing_after_closing_are_refused_with_the_closing_time(
    client, db, login, representative, foundation, create_consultation, add_comment, monkeypatch
):
    from consult.core import time as clock

    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, foundation)
    login(representative)
    base = f"/consultations/{consultation.slug}/comments/{comment.number}"
    row_version = comment.row_version
    monkeypatch.setattr(clock, "utcnow", lambda: consultation.closes_at + timedelta(seconds=1))
    response = client.post(
        base + "/edit",
        data={
            "kind": "change",
            "proposed_text": PROPOSED,
            "justification": "Spóźniona poprawka.",
            "row_version": row_version,
            "action": "send",
        },
    )
    assert response.status_code == 409
    assert "Konsultacje zakończyły się" in _page(response) and "Spóźniona poprawka.</textarea>" in _page(response)
    response = client.post(base + "/withdraw")
    assert response.status_code == 409 and "Konsultacje zakończyły się" in _page(response)
    db.session.expire_all()
    assert comment.status == CommentStatus.PUBLISHED and comment.justification == "Pełny tytuł ustawy."


# --- editing, withdrawing --------------------------------------------------------------------------


def test_the_author_edits_and_officials_see_the_earlier_text(
    client, db, login, representative, foundation, create_consultation, add_comment, create_user, mail_outbox
):
    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, foundation, justification="Pierwotne uzasadnienie.")
    login(representative)
    base = f"/consultations/{consultation.slug}/comments/{comment.number}"
    page = _page(client.get(base + "/edit"))
    assert "Pierwotne uzasadnienie.</textarea>" in page
    response = client.post(
        base + "/edit",
        data={
            "kind": "change",
            "proposed_text": PROPOSED,
            "justification": "Nowe uzasadnienie.",
            "row_version": re.search(r'name="row_version" type="hidden" value="(\d+)"', page).group(1),
            "action": "send",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(CommentRevision.justification)) == "Pierwotne uzasadnienie."
    assert "zmieniona" in mail_outbox[-1].subject
    public = _page(client.get(base))
    assert "Nowe uzasadnienie." in public and "Pierwotne uzasadnienie." not in public  # authors see the current text
    client.post("/logout")
    login(create_user(UserRole.OFFICIAL))
    official = _page(client.get(base))
    assert "Wcześniejsze wersje treści" in official and "Pierwotne uzasadnienie." in official


def test_a_withdrawn_comment_shows_as_withdrawn_without_its_text(
    client, db, login, representative, foundation, create_consultation, add_comment, mail_outbox
):
    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, foundation, justification="Tekst do wycofania.")
    login(representative)
    base = f"/consultations/{consultation.slug}/comments/{comment.number}"
    assert "Tego nie można cofnąć" in _page(client.get(base + "/withdraw"))
    assert client.post(base + "/withdraw").status_code == 302
    assert "wycofana" in mail_outbox[-1].subject
    client.post("/logout")
    for url in (base, f"/consultations/{consultation.slug}/comments?provision={KEY}"):
        page = _page(client.get(url))
        assert "Wycofana przez autora" in page and "Tekst do wycofania." not in page
    page = _page(client.get(f"/consultations/{consultation.slug}"))
    assert "0 uwag (i 1 wycofana lub ukryta)" in page and "Tekst do wycofania." not in page
    assert client.get(base + "/edit").status_code == 302  # to sign in


# --- supports ---------------------------------------------------------------------------------------


def test_another_organisation_supports_and_its_name_shows_with_the_comment(
    client, db, login, representative, foundation, create_consultation, add_comment, create_user, create_organisation
):
    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, foundation)
    piotr = create_user()
    seniors = create_organisation("Seniorzy Nowej Huty", members=[piotr])
    login(piotr)
    listed = f"/consultations/{consultation.slug}/comments?provision={KEY}"
    page = _page(client.get(listed))
    assert "Poprzyj" in page and "jako Seniorzy Nowej Huty" in page
    assert f'name="next" value="{listed}#c-1"' in page  # back to the same list after supporting
    response = client.post(
        f"/consultations/{consultation.slug}/comments/{comment.number}/support",
        data={"organisation": seniors.id, "next": f"{listed}#c-1"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{listed}#c-1")
    client.post(
        f"/consultations/{consultation.slug}/comments/{comment.number}/support", data={"organisation": seniors.id}
    )  # twice: still one support
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 1
    client.post("/logout")
    for url in (listed, f"/consultations/{consultation.slug}/comments/1"):
        page = _page(client.get(url))
        assert "Popiera 1 organizacja:" in page and "Seniorzy Nowej Huty" in page
    assert client.get(f"/api/v1/consultations/{consultation.slug}/comments").get_json()[0]["supports"] == 1


def test_the_author_cannot_support_its_own_comment(
    client, db, login, representative, foundation, create_consultation, add_comment
):
    consultation = create_consultation("open")
    add_comment(consultation, representative, foundation)
    login(representative)
    assert "Poprzyj" not in _page(client.get(f"/consultations/{consultation.slug}/comments?provision={KEY}"))
    response = client.post(
        f"/consultations/{consultation.slug}/comments/1/support", data={"organisation": foundation.id}
    )
    assert response.status_code == 403


# --- reading comments ---------------------------------------------------------------------------------


@pytest.fixture()
def three_comments(db, representative, foundation, create_consultation, add_comment, create_user, create_organisation):
    consultation = create_consultation("open")
    piotr = create_user()
    seniors = create_organisation("Seniorzy Nowej Huty", members=[piotr])
    add_comment(consultation, representative, foundation, justification="Pierwsza uwaga fundacji.")
    add_comment(consultation, piotr, seniors, kind=CommentKind.DELETE, justification="Uwaga seniorów.")
    add_comment(
        consultation,
        representative,
        foundation,
        key="par-2-ust-1",
        kind=CommentKind.GENERAL,
        justification="Druga uwaga fundacji.",
    )
    return consultation, foundation, seniors


def test_each_paragraph_shows_its_count_and_links_to_its_comments(client, three_comments):
    consultation, _, _ = three_comments
    page = _page(client.get(f"/consultations/{consultation.slug}"))
    first = page.split(f'id="p-{KEY}"')[1].split('<li class="paragraph')[0]
    link = f'href="/consultations/{consultation.slug}/comments?provision={KEY}"'
    assert link in first and 'data-comment-toggle="comments-par-1-pkt-1"' in first
    assert "2 uwagi" in first
    assert "Pierwsza uwaga fundacji." not in page  # the comments are on their own page
    listed = _page(client.get(f"/consultations/{consultation.slug}/comments?provision={KEY}"))
    assert "Uwagi do § 1 pkt 1" in listed and "2 uwagi" in listed
    assert "Pierwsza uwaga fundacji." in listed and "Uwaga seniorów." in listed
    assert "Druga uwaga fundacji." not in listed
    assert f'<a class="comment-number" href="/consultations/{consultation.slug}/comments/1">KONS/0001</a>' in listed


def test_the_in_place_list_is_the_comments_without_the_page_around_them(client, three_comments):
    consultation, _, _ = three_comments
    fragment = _page(client.get(f"/consultations/{consultation.slug}/comments?provision={KEY}&fragment=1"))
    assert "<html" not in fragment and "Pierwsza uwaga fundacji." in fragment
    assert f'href="/consultations/{consultation.slug}/comments?provision={KEY}"' in fragment  # the whole list


@pytest.mark.parametrize(
    "query",
    [
        "provision=no-such-key",
        "version=abc",
        "version=99",
        "version=99999999999999999999",
    ],
)
def test_a_list_of_comments_that_does_not_exist_is_not_found(client, three_comments, query):
    consultation, _, _ = three_comments
    assert client.get(f"/consultations/{consultation.slug}/comments?{query}").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page=99999999999999999999", "page=7", "organisation=99999999999999999999"],
)
def test_any_page_number_or_filter_gives_a_page(client, three_comments, query):
    consultation, _, _ = three_comments
    response = client.get(f"/consultations/{consultation.slug}/comments?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("organisation={seniors}", ["Uwaga seniorów."], ["Pierwsza uwaga fundacji.", "Druga uwaga fundacji."]),
        ("kind=general", ["Druga uwaga fundacji."], ["Pierwsza uwaga fundacji.", "Uwaga seniorów."]),
        (
            "organisation={foundation}&kind=change",
            ["Pierwsza uwaga fundacji."],
            ["Uwaga seniorów.", "Druga uwaga fundacji."],
        ),
        (
            "organisation=nonsense&kind=nonsense",
            ["Pierwsza uwaga fundacji.", "Uwaga seniorów.", "Druga uwaga fundacji."],
            [],
        ),
    ],
)
def test_visitors_filter_comments_by_organisation_and_kind(client, three_comments, query, shown, hidden):
    consultation, foundation, seniors = three_comments
    page = _page(
        client.get(
            f"/consultations/{consultation.slug}/comments?" + query.format(seniors=seniors.id, foundation=foundation.id)
        )
    )
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_a_single_comment_has_its_own_page(client, three_comments):
    consultation, _, _ = three_comments
    page = _page(client.get(f"/consultations/{consultation.slug}/comments/2"))
    assert "Uwaga KONS/0002" in page and "Seniorzy Nowej Huty" in page and "Uwaga seniorów." in page
    # the label leads to the provision wherever later versions put it
    assert f'href="/consultations/{consultation.slug}/provisions/{KEY}"' in page
    assert "receipt" not in page  # only the author's representatives see the receipt box
    assert client.get(f"/consultations/{consultation.slug}/comments/99").status_code == 404


def test_my_comments_lists_everything_the_organisation_sent_with_status(
    client, db, login, representative, foundation, create_consultation, add_comment
):
    first = create_consultation("open", title="Program na rok 2027", receipt_prefix="A")
    second = create_consultation("open", title="Program na rok 2028", receipt_prefix="B")
    add_comment(first, representative, foundation)
    withdrawn = add_comment(second, representative, foundation, key=None, kind=CommentKind.GENERAL)
    withdrawn.status = CommentStatus.WITHDRAWN
    db.session.commit()
    assert client.get("/my/comments").status_code == 302
    login(representative)
    page = _page(client.get("/my/comments"))
    assert "A/0001" in page and "B/0001" in page
    assert "Program na rok 2027" in page and "Program na rok 2028" in page
    assert "opublikowana" in page and "wycofana" in page
    assert page.count(">Zmień<") == 1  # only the one still open to changes


# --- script and HTML in every field ---------------------------------------------------------------------

PAYLOADS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[kliknij](javascript:alert(1))",
]


def _no_markup_from(payload: str, html: str) -> None:
    for dangerous in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:'):
        assert dangerous not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_and_html_in_every_field_stay_text_on_pages_email_and_json(
    client, db, login, create_user, create_organisation, create_consultation, mail_outbox, payload
):
    user = create_user(display_name=payload)
    organisation = create_organisation(f"Fundacja {payload}", members=[user])
    consultation = create_consultation("open")
    login(user)
    for kind, key in (("change", KEY), ("add", "par-2-ust-1"), ("general", None)):
        response = _send(
            client,
            consultation,
            organisation,
            key=key,
            kind=kind,
            proposed_text=f"{CURRENT} {payload}" if kind != "general" else "",
            justification=f"Uzasadnienie {payload}",
        )
        assert response.status_code == 302, _page(response)
    preview = _page(
        _send(client, consultation, organisation, action="preview", proposed_text=f"x {payload}", justification=payload)
    )
    pages = [preview] + [
        _page(client.get(url))
        for url in (
            f"/consultations/{consultation.slug}/comments",
            f"/consultations/{consultation.slug}/comments/1",
            f"/consultations/{consultation.slug}/comments/3",
            "/my/comments",
            f"/consultations/{consultation.slug}/comments/1/edit",
            _comment_url(consultation) + "&fragment=1",
        )
    ]
    for html in pages:
        _no_markup_from(payload, html)
    assert "Uzasadnienie" in pages[1] and "Fundacja" in pages[1]
    for mail in mail_outbox:  # plain text: the payload is there as typed, and nothing renders it
        assert f"Uzasadnienie {payload}" in mail.body and f"Fundacja {payload}" in mail.body
    response = client.get(f"/api/v1/consultations/{consultation.slug}/comments")
    assert response.mimetype == "application/json"
    items = response.get_json()
    assert items[0]["justification"] == f"Uzasadnienie {payload}"
    assert items[0]["organisation"] == f"Fundacja {payload}"
    assert payload in items[1]["proposed_text"]


# --- a fixed number of queries -------------------------------------------------------------------------


def _draft_with_paragraphs(count: int) -> str:
    lines = ["# Duży program", "", "## Rozdział 1. Wszystko", ""]
    for unit in range(1, count + 1):
        lines += [f"§ {unit}. Przepis numer {unit} o współpracy z organizacjami.", ""]
    return "\n".join(lines)


def _bulk_comments(db, consultation, organisations, count: int) -> None:
    """Rows straight into the tables: thousands in a second, without the operation's checks."""
    from consult.drafts.models import Paragraph
    from consult.drafts.queries import current_version

    version = current_version(consultation.id)
    paragraphs = db.session.execute(
        sa.select(Paragraph.id, Paragraph.key).where(Paragraph.version_id == version.id)
    ).all()
    kinds = [CommentKind.CHANGE, CommentKind.DELETE, CommentKind.ADD, CommentKind.GENERAL]
    rows = []
    for n in range(count):
        paragraph_id, key = paragraphs[n % len(paragraphs)]
        kind = kinds[n % 4]
        rows.append(
            {
                "consultation_id": consultation.id,
                "version_id": version.id,
                "paragraph_id": paragraph_id,
                "paragraph_key": key,
                "organisation_id": organisations[n % len(organisations)].id,
                "number": n + 1,
                "kind": kind,
                "status": CommentStatus.PUBLISHED,
                "proposed_text": f"Przepis numer {n} o współpracy z wieloma organizacjami."
                if kind in (CommentKind.CHANGE, CommentKind.ADD)
                else "",
                "justification": f"Uzasadnienie **{n}**.",
                "submission_token": f"{consultation.id}-{n}",
            }
        )
    db.session.execute(sa.insert(Comment), rows)
    ids = db.session.scalars(
        sa.select(Comment.id).where(Comment.consultation_id == consultation.id).order_by(Comment.id).limit(count // 3)
    ).all()
    db.session.execute(
        sa.insert(Support),
        [
            {"comment_id": comment_id, "organisation_id": organisations[(i + 1) % len(organisations)].id}
            for i, comment_id in enumerate(ids)
        ],
    )
    db.session.commit()


def test_the_consultation_page_runs_the_same_queries_for_30_and_3000_comments(
    client, db, create_consultation, create_organisation, count_queries, login, create_user
):
    organisations = [create_organisation(f"Organizacja {n}") for n in range(5)]
    small = create_consultation("open", draft=_draft_with_paragraphs(200))
    large = create_consultation("open", draft=_draft_with_paragraphs(200))
    _bulk_comments(db, small, organisations, 30)
    _bulk_comments(db, large, organisations, 3000)
    member = create_user()
    create_organisation("Fundacja Czytelnika", members=[member])
    for signed_in in (False, True):
        if signed_in:
            login(member)
        counts = []
        for slug, expected in ((small.slug, 30), (large.slug, 3000)):
            with count_queries() as counter:
                response = client.get(f"/consultations/{slug}")
            assert response.status_code == 200
            page = _page(response)
            assert f"{expected} opublikowanych uwag" in page or f"{expected} opublikowane uwagi" in page
            assert '<article class="comment ' not in page  # counts and links, not the comments
            counts.append(counter.count)
        assert counts[0] == counts[1], counter.statements
        # Consultation, versions, sections, paragraphs, where earlier versions' provisions are
        # now, the comments per provision, the consultation's documents and the meetings
        # (+ the user).
        assert counts[1] == (9 if signed_in else 8), counter.statements


@pytest.mark.parametrize("sort", ["number", "support", "newest"])
def test_a_list_of_comments_runs_the_same_queries_for_30_and_3000_comments(
    client, db, create_consultation, create_organisation, count_queries, login, create_user, sort
):
    organisations = [create_organisation(f"Organizacja {n}") for n in range(5)]
    small = create_consultation("open", draft=_draft_with_paragraphs(2))
    large = create_consultation("open", draft=_draft_with_paragraphs(2))
    _bulk_comments(db, small, organisations, 30)
    _bulk_comments(db, large, organisations, 3000)
    member = create_user()
    create_organisation("Fundacja Czytelnika", members=[member])
    for signed_in in (False, True):
        if signed_in:
            login(member)
        counts = []
        for slug, shown in ((small.slug, 15), (large.slug, 50)):
            with count_queries() as counter:
                response = client.get(f"/consultations/{slug}/comments?provision=par-1&sort={sort}&page=2")
            assert response.status_code == 200
            assert _page(response).count('<article class="comment ') == shown
            counts.append(counter.count)
        assert counts[0] == counts[1], counter.statements
        # Consultation, current version, its paragraphs, where earlier versions' provisions are
        # now, the count, the page of comments, their supporters, the organisations of the
        # filter, the position papers (+ the user and their organisations).
        assert counts[1] == (11 if signed_in else 9), counter.statements


def test_a_long_list_is_read_a_page_at_a_time_in_the_order_chosen(client, db, create_consultation, create_organisation):
    organisations = [create_organisation(f"Organizacja {n}") for n in range(5)]
    consultation = create_consultation("open", draft=_draft_with_paragraphs(1))
    _bulk_comments(db, consultation, organisations, 120)  # the first 40 are supported
    base = f"/consultations/{consultation.slug}/comments?provision=par-1"
    first = _page(client.get(base))
    assert "Strona 1 z 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert f'href="/consultations/{consultation.slug}/comments?provision=par-1&amp;page=2"' in first
    numbers = [int(n) for n in re.findall(r'id="c-(\d+)"', first)]
    assert numbers == list(range(1, 51))
    last = _page(client.get(base + "&page=3"))
    assert [int(n) for n in re.findall(r'id="c-(\d+)"', last)] == list(range(101, 121))
    assert 'aria-current="page">3<' in last and 'rel="next"' not in last
    newest = _page(client.get(base + "&sort=newest"))
    assert re.findall(r'id="c-(\d+)"', newest)[0] == "120"
    supported = _page(client.get(base + "&sort=support&page=1"))
    assert set(int(n) for n in re.findall(r'id="c-(\d+)"', supported)[:40]) == set(range(1, 41))
    kinds = _page(client.get(base + "&kind=general"))
    assert "30 uwag" in kinds and "Strona" not in kinds


def test_a_withdrawn_comment_offers_no_edit_form(
    client, db, login, representative, foundation, create_consultation, add_comment
):
    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, foundation)
    comment.status = CommentStatus.WITHDRAWN
    db.session.commit()
    login(representative)
    page = _page(client.get(f"/consultations/{consultation.slug}/comments/1/edit"))
    assert "Wycofanej ani ukrytej uwagi nie można zmienić." in page and 'name="justification"' not in page


def test_comments_on_a_provision_a_later_version_dropped_stay_on_the_page_with_their_label(
    client, db, representative, foundation, create_consultation, add_comment
):
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version

    consultation = create_consultation("open")
    add_comment(consultation, representative, foundation, justification="Uwaga do starej wersji.")
    publish_version(
        import_draft(consultation, parse_markdown("## Rozdział I\n\n§ 7. Zupełnie nowy tekst."), None),
        None,
        new_text_confirmed=True,
        comments_open_confirmed=True,
    )
    db.session.commit()
    page = _page(client.get(f"/consultations/{consultation.slug}"))
    whole = page.split('id="whole-draft-title"')[1]
    assert "1 uwaga" in whole
    whole = _page(client.get(f"/consultations/{consultation.slug}/comments?provision=whole"))
    assert "Uwaga do starej wersji." in whole and '<span class="comment-provision">§ 1 pkt 1</span>' in whole


@pytest.mark.parametrize("key", [KEY, None])
def test_sending_a_comment_runs_at_most_five_statements(
    app, client, db, login, representative, foundation, create_consultation, count_queries, key, monkeypatch
):
    # The grouping of a new comment is a job of the worker's (consult.analysis.jobs), which
    # under TESTING would run inside this request: it is not the request's work.
    monkeypatch.setitem(app.config, "ANALYSIS_ON_ARRIVAL", False)
    consultation = create_consultation("open")
    login(representative)
    data = {
        **_form(client, _comment_url(consultation, key)),
        "organisation": foundation.id,
        "kind": "change" if key else "general",
        "proposed_text": PROPOSED if key else "",
        "justification": "Pełny tytuł ustawy.",
        "action": "send",
    }
    with count_queries() as counter:
        response = client.post(_comment_url(consultation, key), data=data)
    assert response.status_code == 302, _page(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1
    # Under TESTING the job that sends the receipt runs at once after the commit; in production
    # it runs in the worker. The request's own: the user, the consultation with its current
    # version, the provision and the user's organisations, the numbering lock, the comment, the receipt.
    own = [s for s in counter.statements if not re.match(r"UPDATE mail_outbox|SELECT mail_outbox", s)]
    assert len(own) <= 5, "\n".join(x[:100] for x in own)
