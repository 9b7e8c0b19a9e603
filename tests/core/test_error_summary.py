"""Every form that comes back with mistakes follows the GOV.UK error-summary pattern: a summary at
the top of <main> listing each mistake as a link to its field, "Błąd: " / "Error: " before the page
title, and each field's own message tied to it with aria-describedby."""

import re
from html.parser import HTMLParser

import pytest

from tests.scene import expand

SLUG = "/consultations/program-dostepny"
MANAGE = "/manage/consultations/program-dostepny"

# (who, where the form is sent, what is sent): each form sent empty or wrong.
FORMS = [
    (None, "/login", {}),
    (None, "/register", {}),
    (None, "/forgot-password", {}),
    ("member", f"{SLUG}/comment?paragraph=par-1-pkt-2", {"kind": "change"}),
    ("member", f"{SLUG}/comment", {"kind": "general"}),
    ("member", f"{SLUG}/comments/1/edit", {"kind": "change"}),
    ("member", f"{SLUG}/comments/2/report", {}),
    ("member", "/organisations/new", {}),
    ("member", "/organisation-profile/edit", {"name": ""}),
    ("member", "/organisation-profile/members", {}),
    ("member", "/account/password", {}),
    ("member", "/account/email", {}),
    ("member", "/account/delete", {}),
    ("official", "/manage/consultations/new", {}),
    ("official", f"{MANAGE}/edit", {"title": ""}),
    ("official", f"{MANAGE}/import", {}),
    ("official", f"{MANAGE}/comments/1/position", {"position-status": "", "position-reason": ""}),
    ("official", f"{MANAGE}/comments/1/hide", {"hide-reason": ""}),
    ("official", f"{MANAGE}/letters/new", {}),
    ("official", f"{MANAGE}/documents", {}),
    ("official", f"{MANAGE}/meetings", {}),
    ("official", f"{MANAGE}/close", {}),
    ("official", f"{MANAGE}/extend", {}),
    ("official", f"{MANAGE}/themes", {}),
    ("official", f"{MANAGE}/groups/GROUP/answer", {}),
    ("official", f"{MANAGE}/meeting-page", {}),
    ("official", f"{MANAGE}/meeting-page/cancel", {}),
    ("official", "/account/two-factor/enable", {}),
    ("admin", "/admin/users", {}),
]


class _Page(HTMLParser):
    """Ids on the page, the summary's links, the title, and aria-describedby of each control."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.described: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self._summary_depth = 0
        self.main_first: str | None = None  # the id of the first element inside <main>
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if self._in_main and self.main_first is None:
            self.main_first = attrs.get("id") or tag
        if tag == "main":
            self._in_main = True
        if tag == "title":
            self._in_title = True
        if attrs.get("id") == "error-summary":
            self._summary_depth = 1
        elif self._summary_depth and tag == "div":
            self._summary_depth += 1
        if self._summary_depth and tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag in ("input", "select", "textarea", "fieldset") and attrs.get("id"):
            self.described[attrs["id"]] = attrs.get("aria-describedby") or ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._summary_depth and tag == "div":
            self._summary_depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _organisation_fields(data: dict, path: str, scene) -> dict:
    if "/comment" in path and "/comments/" not in path:
        return {"organisation": str(scene["organisation"].id), **data}
    return data


@pytest.mark.parametrize(
    ("lang", "prefix", "heading"), [("pl", "Błąd: ", "Wystąpił problem"), ("en", "Error: ", "There is a problem")]
)
@pytest.mark.parametrize(("who", "path", "data"), FORMS, ids=[f"{w}:{p}" for w, p, _d in FORMS])
def test_a_form_sent_with_mistakes_lists_them_at_the_top_linked_to_their_fields(
    client, login, scene, who, path, data, lang, prefix, heading
):
    if who:
        login(scene[who])
    url = expand(path, scene)
    response = client.post(
        url + ("&" if "?" in url else "?") + f"lang={lang}", data=_organisation_fields(data, path, scene)
    )
    html = response.get_data(as_text=True)
    assert response.status_code in (400, 409, 422), (response.status_code, html[:300])
    page = _parse(html)
    assert page.title.startswith(prefix), page.title
    assert page.main_first == "error-summary", "the summary opens the main content"
    assert f'<h2 id="error-summary-title">{heading}</h2>' in html
    assert page.links, "each mistake links to its field"
    for link in page.links:
        target = link.removeprefix("#")
        assert link.startswith("#") and target in page.ids, f"{link} points at no element"
        # the field says what is wrong next to it, and a screen reader hears it with the field
        # (a group of radio buttons or checkboxes: its fieldset, whose first choice the link focuses)
        field_id = target if f'id="{target}-error"' in html else target.rsplit("-", 1)[0]
        assert f'id="{field_id}-error"' in html, target
        assert f"{field_id}-error" in page.described.get(field_id, "").split(), target


def test_the_comment_form_reports_every_mistake_in_one_answer(client, login, scene):
    """The same wording and no justification: both said at once, not one per attempt."""
    login(scene["member"])
    form_page = client.get(f"{SLUG}/comment?paragraph=par-1-pkt-2").get_data(as_text=True)
    current = re.search(r'<textarea[^>]*name="proposed_text"[^>]*>\s*(.*?)</textarea>', form_page, re.S).group(1)
    response = client.post(
        f"{SLUG}/comment?paragraph=par-1-pkt-2",
        data={
            "organisation": str(scene["organisation"].id),
            "kind": "change",
            "proposed_text": current,
            "justification": "",
            "action": "send",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    page = _parse(html)
    assert page.links == ["#proposed_text-par-1-pkt-2", "#justification-par-1-pkt-2"]
    assert "Proponowane brzmienie jest takie samo jak obecne." in html
    # the message alone where it names its field already, not "Uzasadnienie: Podaj uzasadnienie."
    assert '<a href="#justification-par-1-pkt-2">Podaj uzasadnienie.</a>' in html
    for field in ("proposed_text-par-1-pkt-2", "justification-par-1-pkt-2"):
        assert f"{field}-error" in page.described[field]


def test_without_an_organisation_the_text_is_checked_in_the_same_answer(client, login, scene):
    login(scene["member"])
    response = client.post(
        f"{SLUG}/comment?paragraph=par-1-pkt-2",
        data={"organisation": "", "kind": "change", "proposed_text": "", "justification": ""},
    )
    links = _parse(response.get_data(as_text=True)).links
    assert links == ["#organisation-par-1-pkt-2", "#proposed_text-par-1-pkt-2", "#justification-par-1-pkt-2"]


def test_a_page_without_mistakes_has_no_summary_and_a_plain_title(client, login, scene):
    login(scene["member"])
    html = client.get(f"{SLUG}/comment?paragraph=par-1-pkt-2").get_data(as_text=True)
    assert "error-summary" not in html
    assert not _parse(html).title.startswith("Błąd")
