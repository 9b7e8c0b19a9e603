"""The BIP announcement in a browser: one button copies its text, and says so to a screen reader."""

from consult.accounts.models import UserRole
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in


def test_the_official_copies_the_announcement_with_one_button(browser, base_url, db, create_user, create_consultation):
    official = create_user(UserRole.OFFICIAL, email="urzednik@krakow.example")
    create_consultation("draft", slug="program-bip", title="Program współpracy 2027", officials=[official])
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, base_url, official.email, PASSWORD)
        page.goto(f"{base_url}/manage/consultations/program-bip")
        page.get_by_role("link", name="Ogłoszenie do BIP").click()
        text = page.locator("#announcement-text").input_value()
        assert "Program współpracy 2027" in text
        button = page.get_by_role("button", name="Skopiuj tekst")
        button.wait_for(state="visible")  # the deferred script may run after the page has loaded
        assert button.is_visible()  # shown by the script where the browser can copy
        button.click()
        status = page.locator("#copy-status")
        status.wait_for(state="attached")
        page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
        assert status.get_attribute("role") == "status" and status.text_content() == "Tekst jest skopiowany."
        assert page.evaluate("navigator.clipboard.readText()") == text
    finally:
        context.close()
