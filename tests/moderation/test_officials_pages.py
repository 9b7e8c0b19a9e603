"""The officials' pages speak the page's language and make the official choose."""

import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import CommentStatus
from consult.core.audit import record
from consult.moderation.models import Position


@pytest.fixture()
def setting(db, create_user, create_organisation, create_consultation, create_comment):
    author = create_user(email="autor@example.org")
    organisation = create_organisation("Fundacja Autorska", members=[author])
    official = create_user(UserRole.OFFICIAL, display_name="Urzędniczka")
    consultation = create_consultation("open", officials=[official])
    comments = [create_comment(consultation, organisation, author=author) for _ in range(2)]
    return {"official": official, "consultation": consultation, "comments": comments}


def _options(html: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the drop-down with ``select_id``."""
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, label.strip(), "selected" in attrs)
        for attrs, value, label in re.findall(r'<option([^>]*value="([^"]*)"[^>]*)>([^<]*)</option>', select)
    ]


@pytest.mark.parametrize(
    ("lang", "positions", "reasons"),
    [
        (
            "pl",
            ["— wybierz stanowisko —", "uwzględniona", "uwzględniona częściowo", "nieuwzględniona"],
            ["— wybierz powód —", "treści obraźliwe", "dane osobowe"],
        ),
        ("en", ["— choose the position —", "accepted", "partly accepted", "rejected"], ["— choose the reason —"]),
    ],
)
def test_position_and_hide_reason_choices_are_in_the_page_language_and_none_is_preselected(
    client, login, setting, lang, positions, reasons
):
    login(setting["official"])
    slug = setting["consultation"].slug
    html = client.get(f"/manage/consultations/{slug}/comments/1?lang={lang}").get_data(as_text=True)
    position_options = _options(html, "position-status")
    hide_options = _options(html, "hide-reason")
    labels = [label for _value, label, _selected in position_options]
    assert labels[: len(positions)] == positions
    assert all(label in [lb for _v, lb, _s in hide_options] for label in reasons)
    # The empty first option is the one shown: the official has to pick.
    for options in (position_options, hide_options):
        assert options[0][0] == "" and [value for value, _l, selected in options if selected] in ([], [""])
    queue = client.get(f"/manage/consultations/{slug}/moderation?lang={lang}").get_data(as_text=True)
    assert [label for _v, label, _s in _options(queue, "bulk-status")][: len(positions)] == positions


def test_a_position_without_a_chosen_status_is_refused_and_nothing_is_saved(client, db, login, setting):
    login(setting["official"])
    slug = setting["consultation"].slug
    response = client.post(
        f"/manage/consultations/{slug}/comments/1/position",
        data={"position-status": "", "position-reason": "Uwaga zasadna."},
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


def test_one_answer_for_several_without_a_chosen_position_is_refused(client, db, login, setting):
    login(setting["official"])
    slug = setting["consultation"].slug
    response = client.post(
        f"/manage/consultations/{slug}/bulk",
        data={"action": "answer", "comments": [1, 2], "status": "", "reason": "Poza zakresem."},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Wybierz stanowisko." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


def test_hiding_without_a_chosen_reason_changes_nothing(client, db, login, setting):
    login(setting["official"])
    slug = setting["consultation"].slug
    response = client.post(f"/manage/consultations/{slug}/comments/1/hide", data={"hide-reason": "", "hide-note": ""})
    # the page again, the mistake by the drop-down and in the summary: no silent default was taken
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<a href="#hide-reason">' in html and 'id="hide-reason-error">Wybierz powód ukrycia.' in html
    db.session.expire_all()
    assert setting["comments"][0].status == CommentStatus.PUBLISHED


def test_no_form_shows_the_label_of_a_hidden_row_version(client, login, setting, create_consultation):
    login(setting["official"])
    closed = create_consultation("closed", officials=[setting["official"]])
    html = client.get(f"/manage/consultations/{closed.slug}/report?lang=en").get_data(as_text=True)
    assert 'name="row_version"' in html and "Row Version" not in html


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pl", ["uwaga ukryta", "powód ukrycia", "dane osobowe", "Łódź i Kraków"]),
        ("en", ["comment hidden", "reason for hiding", "personal data", '<span lang="pl">Łódź i Kraków</span>']),
    ],
)
def test_the_audit_log_shows_labels_and_letters_not_codes_and_escapes(
    client, db, login, setting, create_user, lang, expected
):
    admin = create_user(UserRole.ADMIN)
    comment = setting["comments"][0]
    record(
        setting["official"],
        "comment.hide",
        comment,
        consultation_id=comment.consultation_id,
        after={"hidden_reason": "personal_data", "hidden_note": "Łódź i Kraków"},
    )
    db.session.commit()
    login(admin)
    html = client.get(f"/admin/audit?lang={lang}").get_data(as_text=True)
    for text in expected:
        assert text in html
    assert "\\u0141" not in html and "personal_data" not in html


@pytest.mark.parametrize(
    ("path", "expected", "wrong"),
    [
        # "Comment" as a column header is the remark (Uwaga), not the button "submit a comment"
        ("/manage/consultations/SLUG/positions", ['<th scope="col">Uwaga</th>'], ["Zgłoś uwagę"]),
        ("/consultations/SLUG/moderation-log", ['<th scope="col">Uwaga</th>', ">Powód</th>"], ["Zgłoś uwagę"]),
        # the hide reason is a reason for hiding; the position's reason is its justification
        (
            "/manage/consultations/SLUG/comments/1",
            ['<label for="hide-reason">Powód ukrycia</label>', '<label for="position-reason">Uzasadnienie stanowiska'],
            ['<label for="hide-reason">Uzasadnienie'],
        ),
        ("/consultations/SLUG/comments/1/report", ["<title>Zgłoś uwagę moderatorom"], ["<title>Zgłoś uwagę ·"]),
    ],
)
def test_words_with_two_meanings_are_translated_by_their_meaning(client, login, setting, path, expected, wrong):
    login(setting["official"])
    slug = setting["consultation"].slug
    # a drafted position (the positions page) and a hidden comment (the public log)
    client.post(
        f"/manage/consultations/{slug}/comments/1/position",
        data={"position-status": "accepted", "position-reason": "Tak."},
    )
    client.post(f"/manage/consultations/{slug}/comments/2/hide", data={"hide-reason": "spam", "hide-note": ""})
    html = client.get(path.replace("SLUG", slug)).get_data(as_text=True)
    for text in expected:
        assert text in html
    for text in wrong:
        assert text not in html


@pytest.mark.parametrize(
    ("lang", "message"), [("pl", "Zaloguj się, aby zobaczyć tę stronę."), ("en", "Please sign in to see this page.")]
)
def test_the_sign_in_request_is_in_the_page_language(client, lang, message):
    response = client.get(f"/my/comments?lang={lang}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert message in html and "Please log in to access this page." not in html
