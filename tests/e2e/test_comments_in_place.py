"""Commenting in a browser: the form opens in place under a paragraph, by keyboard, on a phone."""

import re

import pytest

from consult.accounts.models import UserRole
from consult.comments.models import CommentKind
from consult.comments.operations import CommentData, submit_comment
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _violations(page) -> list[str]:
    results = axe_sync.Axe().run(page, options=WCAG)
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.fixture()
def scene(app, db, create_user, create_organisation, create_consultation):
    member = create_user(UserRole.MEMBER, email="ewa@example.org", display_name="Ewa Członek")
    create_organisation("Fundacja Przeglądarkowa", members=[member])
    other = create_user(UserRole.MEMBER, email="jan@example.org")
    seniors = create_organisation("Seniorzy z Podgórza", members=[other])
    consultation = create_consultation("open", slug="program-w-przegladarce", receipt_prefix="KONS-2027")
    with app.test_request_context():
        submit_comment(
            consultation, None, other, seniors, CommentData(CommentKind.GENERAL, justification="Uwaga **seniorów**.")
        )
    db.session.commit()
    return {"member": member, "consultation": consultation}


def test_a_representative_comments_in_place_with_the_keyboard(page, base_url, scene, live_outbox):
    sign_in(page, base_url, "ewa@example.org", PASSWORD)
    page.goto(f"{base_url}/consultations/program-w-przegladarce")
    toggle = page.locator("#p-par-1-pkt-1 .comment-toggle")
    assert toggle.evaluate("element => element.tagName") == "BUTTON"  # the script made the link a button
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "comment-form-par-1-pkt-1"

    toggle.focus()
    page.keyboard.press("Enter")
    form = page.locator("#comment-form-par-1-pkt-1 form.comment-form")
    form.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.name") == "organisation"  # focus moved into the form
    assert page.locator("form.comment-form").count() == 1  # fetched once, not rendered for every paragraph

    proposed = form.get_by_label("Proponowane brzmienie")
    current = proposed.input_value()
    assert current.startswith("ustawie – należy przez to rozumieć")
    form.get_by_label("Dodanie nowego przepisu po tym").check()
    assert proposed.input_value() == ""  # a new provision does not start as a copy of this one
    form.get_by_label("Skreślenie tego przepisu").check()
    assert not proposed.is_visible()
    form.get_by_label("Zmiana brzmienia").check()
    assert proposed.input_value() == current
    proposed.fill(current.replace("ustawę o", "ustawę z dnia 24 kwietnia 2003 r. o"))
    form.get_by_label("Uzasadnienie").fill("Pełny tytuł ustawy.")

    page.keyboard.press("Escape")  # closes the form and returns to the button, keeping the text
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('comment-toggle')")
    toggle.click()
    assert form.get_by_label("Uzasadnienie").input_value() == "Pełny tytuł ustawy."

    form.get_by_role("button", name="Podgląd").click()
    page.wait_for_load_state()
    preview = page.locator("#preview")
    assert "z dnia 24 kwietnia 2003 r." in preview.locator(".diff ins").inner_text()
    assert "dodano:" in preview.locator(".diff ins").text_content()
    page.get_by_role("button", name="Wyślij uwagę").click()
    page.wait_for_load_state()
    assert re.search(r"/consultations/program-w-przegladarce/comments/2$", page.url)
    assert "KONS-2027/0002" in page.locator(".receipt").inner_text()
    assert any("KONS-2027/0002" in mail.subject for mail in live_outbox)


@pytest.mark.parametrize("width", [320, 1280])
def test_comments_read_without_overflow_and_without_accessibility_violations(browser, base_url, scene, width):
    context = browser.new_context(locale="pl-PL", viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base_url, "ewa@example.org", PASSWORD)
    page.goto(f"{base_url}/consultations/program-w-przegladarce")
    whole = page.locator('button[aria-controls="comments-whole"]')  # the count, turned into a button
    assert whole.get_attribute("aria-expanded") == "false"
    whole.click()  # the first page of the comments, shown in place
    page.locator("#comments-whole .comments").wait_for()
    assert whole.get_attribute("aria-expanded") == "true"
    page.locator("#p-par-1-pkt-1 .comment-toggle").click()
    page.locator("#comment-form-par-1-pkt-1 form").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _violations(page) == []
    for path in (
        "/consultations/program-w-przegladarce/comments/1",
        "/consultations/program-w-przegladarce/comments?provision=whole",
        "/my/comments",
        "/consultations/program-w-przegladarce/comment?paragraph=par-2-ust-1",
    ):
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert _violations(page) == [], path
    context.close()
