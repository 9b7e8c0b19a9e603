"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in Polish and in English."""

import pytest

from consult.accounts.models import UserRole
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


def _violations(page) -> list[str]:
    results = axe_sync.Axe().run(page, options=WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


@pytest.fixture()
def scene(db, create_user, create_organisation, create_consultation, areas):
    member = create_user(UserRole.MEMBER, email="czlonek@example.org", display_name="Ewa Członek")
    organisation = create_organisation("Fundacja Dostępna", members=[member])
    official = create_user(UserRole.OFFICIAL, email="urzednik@example.org", display_name="Jan Urzędnik")
    consultation = create_consultation("open", slug="program-dostepny", officials=[official])
    return {"member": member, "organisation": organisation, "official": official, "consultation": consultation}


PUBLIC_PAGES = ["/", "/consultations/program-dostepny", "/login", "/register", "/forgot-password", "/organisations",
                "/consultations/program-dostepny/moderation-log"]
MEMBER_PAGES = ["/my/organisations", "/account", "/organisations/new", "/organisation-profile"]
OFFICIAL_PAGES = ["/manage/", "/manage/consultations/new", "/manage/consultations/program-dostepny",
                  "/manage/consultations/program-dostepny/import", "/manage/organisations",
                  "/manage/consultations/program-dostepny/moderation", "/manage/consultations/program-dostepny/progress",
                  "/manage/consultations/program-dostepny/positions", "/manage/consultations/program-dostepny/versions/1"]


def _expand(path: str, scene) -> str:
    return path.replace("/organisation-profile", f"/organisations/{scene['organisation'].id}")


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(("who", "paths"), [(None, PUBLIC_PAGES), ("member", MEMBER_PAGES),
                                             ("official", OFFICIAL_PAGES)], ids=["public", "member", "official"])
def test_pages_have_no_accessibility_violations(page, base_url, scene, who, paths, lang):
    if who:
        sign_in(page, base_url, scene[who].email, PASSWORD)
    found = {}
    for path in paths:
        url = f"{base_url}{_expand(path, scene)}"
        response = page.goto(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert response.status == 200, url
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_a_form_with_errors_has_no_violations(page, base_url, scene):
    page.goto(f"{base_url}/register")
    page.get_by_role("button", name="Zarejestruj się").last.click()
    page.wait_for_load_state()
    assert page.locator(".error").count() > 0
    assert _violations(page) == []
