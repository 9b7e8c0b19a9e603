"""A form sent with mistakes: focus lands on the error summary, and its links lead to the fields."""

import pytest

from consult.accounts.models import UserRole
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture()
def scene(db, create_user, create_organisation, create_consultation):
    member = create_user(UserRole.MEMBER, email="ewa@example.org", display_name="Ewa Członek")
    create_organisation("Fundacja Przeglądarkowa", members=[member])
    create_consultation("open", slug="program-z-bledami")


def test_focus_moves_to_the_summary_and_a_link_moves_it_to_the_field(page, base_url, scene):
    sign_in(page, base_url, "ewa@example.org", PASSWORD)
    page.goto(f"{base_url}/consultations/program-z-bledami/comment?paragraph=par-1-pkt-1")
    page.get_by_role("button", name="Wyślij uwagę").click()  # the wording unchanged, no justification
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    summary.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.title().startswith("Błąd: ")
    assert summary.get_by_role("heading").inner_text() == "Wystąpił problem"
    assert summary.get_by_role("link").count() == 2  # both mistakes in one answer
    results = axe_sync.Axe().run(page, options=WCAG)
    assert [v["id"] for v in results.response["violations"]] == []

    summary.get_by_role("link", name="Podaj uzasadnienie.").click()
    assert page.evaluate("document.activeElement.id") == "justification-par-1-pkt-1"
