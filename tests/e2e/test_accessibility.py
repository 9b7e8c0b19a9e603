"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in Polish and in English."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.scene import ADMIN_PAGES, MEMBER_PAGES, OFFICIAL_PAGES, PUBLIC_PAGES, expand

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Best practice beyond the WCAG tags: two landmarks of one kind need different names.
    "rules": {"landmark-unique": {"enabled": True}},
    "resultTypes": ["violations"],
}


def _violations(page) -> list[str]:
    results = axe_sync.Axe().run(page, options=WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(
    ("who", "paths"),
    [(None, PUBLIC_PAGES), ("member", MEMBER_PAGES), ("official", OFFICIAL_PAGES), ("admin", ADMIN_PAGES)],
    ids=["public", "member", "official", "admin"],
)
def test_pages_have_no_accessibility_violations(page, base_url, scene, who, paths, lang):
    if who:
        sign_in(page, base_url, scene[who].email, PASSWORD)
    found = {}
    for path in paths:
        url = f"{base_url}{expand(path, scene)}"
        response = page.goto(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert response.status == 200, url
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert found == {}, "\n".join(f"{path}: {v}" for path, v in found.items())


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_forms_with_errors_have_no_violations(page, base_url, scene, lang):
    page.goto(f"{base_url}/register?lang={lang}")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() > 0
    assert _violations(page) == []

    sign_in(page, base_url, scene["member"].email, PASSWORD)
    page.goto(f"{base_url}/consultations/program-dostepny/comment?paragraph=par-1-pkt-2&lang={lang}")
    page.locator("#justification, [name=justification]").first.fill("")
    page.locator("main button[value=send]").click()
    page.wait_for_load_state()
    assert page.locator(".error").count() > 0
    assert _violations(page) == []


@pytest.mark.parametrize(
    ("who", "paths"),
    [(None, PUBLIC_PAGES), ("member", MEMBER_PAGES), ("official", OFFICIAL_PAGES), ("admin", ADMIN_PAGES)],
    ids=["public", "member", "official", "admin"],
)
def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(browser, base_url, scene, who, paths):
    """WCAG 1.4.10 (reflow): 320 CSS pixels is also what 1280 pixels at 400% zoom give."""
    context = browser.new_context(locale="pl-PL", viewport={"width": 320, "height": 640})
    page = context.new_page()
    if who:
        sign_in(page, base_url, scene[who].email, PASSWORD)
    too_wide = {}
    for path in paths:
        page.goto(f"{base_url}{expand(path, scene)}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    context.close()
    assert too_wide == {}
