"""The pages of draft versions in Debian's Chromium: axe-core finds no WCAG 2.1 A/AA violation in
Polish or in English, nothing scrolls sideways at 320 px, and the editor works with the keyboard.

The scene: version 1 with comments, version 2 published (one comment linked by the official, one
only suggested), version 3 being prepared: every version page has something to show.
"""

import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.drafts.importers import parse_markdown
from consult.drafts.models import DraftVersion, VersionStatus
from consult.drafts.operations import import_draft, publish_version
from consult.drafts.queries import load_comparison
from consult.moderation.models import PositionStatus
from consult.moderation.traceability import set_change_comments
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import _violations
from tests.e2e.test_journey import activate, tab_to

FIRST = """# Program współpracy na rok 2031

## Rozdział I. Zasady

§ 1. 1. Współpraca opiera się na zasadzie pomocniczości i suwerenności stron.

2. Gmina ogłasza otwarte konkursy ofert na realizację zadań publicznych w każdym roku.

3. Organizacje składają sprawozdania z realizacji zadań w terminie trzydziestu dni.

§ 2. Komisje konkursowe oceniają oferty według kryteriów ogłoszonych w konkursie oraz opiniują je. Oceny komisji publikuje się w Biuletynie Informacji Publicznej miasta.
"""
SECOND = """# Program współpracy na rok 2031

## Rozdział I. Zasady

§ 1. 1. Współpraca opiera się na zasadzie pomocniczości, suwerenności stron i partnerstwa.

2. Gmina prowadzi stronę internetową przeznaczoną dla organizacji pozarządowych.

3. Gmina ogłasza otwarte konkursy ofert na realizację zadań publicznych w każdym roku.

§ 2. 1. Komisje konkursowe oceniają oferty według kryteriów ogłoszonych w konkursie oraz opiniują je.

2. Oceny komisji publikuje się w Biuletynie Informacji Publicznej miasta.
"""
THIRD = SECOND.replace("w każdym roku", "dwa razy w roku") + "\n§ 3. Program obowiązuje do końca roku 2031.\n"
SLUG = "program-wersje"


@pytest.fixture()
def scene(app, db, create_user, create_organisation, create_consultation, create_comment, create_position):
    official = create_user(UserRole.OFFICIAL, email="wersje@example.org", display_name="Jan Wersja")
    member = create_user(email="czlonek-wersji@example.org")
    organisation = create_organisation("Fundacja Wersji", members=[member])
    consultation = create_consultation("closed", draft=FIRST, slug=SLUG, officials=[official], receipt_prefix="KW")
    accepted = create_comment(consultation, organisation, "§ 1 ust. 1", proposed_text="Inne brzmienie.", author=member)
    create_position(accepted, PositionStatus.ACCEPTED, "Uwzględniono.")
    create_comment(
        consultation, organisation, "§ 1 ust. 3", proposed_text="Sprawozdania w terminie czternastu dni.", author=member
    )
    with app.test_request_context():
        second = import_draft(consultation, parse_markdown(SECOND), official)
        comparison = load_comparison(consultation.id, second.based_on, second)
        changed = next(c for c in comparison.listed if c.kind.value == "changed")
        set_change_comments(second, comparison, {changed.key: [accepted.number]}, official)
        publish_version(second, official)
        third = import_draft(consultation, parse_markdown(THIRD), official)
        db.session.commit()
        key = third.paragraphs[0].key
    return {"official": official, "member": member, "key": key}


PUBLIC_PAGES = [
    f"/consultations/{SLUG}",
    f"/consultations/{SLUG}/versions/1",
    f"/consultations/{SLUG}/versions/1..2",
    f"/consultations/{SLUG}/versions/1..2?view=side",
    f"/consultations/{SLUG}/comments/1",
    f"/consultations/{SLUG}/comments/2",
]
OFFICIAL_PAGES = [
    f"/manage/consultations/{SLUG}",
    f"/consultations/{SLUG}/versions/1..2",  # with the suggestions officials see
    f"/manage/consultations/{SLUG}/import",
    f"/manage/consultations/{SLUG}/versions/edit",
    f"/manage/consultations/{SLUG}/versions/2",
    f"/manage/consultations/{SLUG}/versions/3",
    f"/manage/consultations/{SLUG}/versions/3/provisions/KEY/match",
    f"/manage/consultations/{SLUG}/versions/2/links",
]


def _open_details(page) -> None:
    """The list of versions folds away in a <details>: checked open, as a reader opens it."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def _url(base_url: str, path: str, scene, lang: str | None = None) -> str:
    url = f"{base_url}{path.replace('KEY', scene['key'])}"
    return url + ("&" if "?" in url else "?") + f"lang={lang}" if lang else url


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(
    ("who", "paths"), [(None, PUBLIC_PAGES), ("official", OFFICIAL_PAGES)], ids=["public", "official"]
)
def test_version_pages_have_no_accessibility_violations(page, base_url, scene, who, paths, lang):
    if who:
        sign_in(page, base_url, scene[who].email, PASSWORD)
    found = {}
    for path in paths:
        response = page.goto(_url(base_url, path, scene, lang))
        assert response.status == 200, path
        _open_details(page)
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_editor_with_errors_and_a_stale_edit_has_no_violations(page, base_url, scene, db, lang):
    sign_in(page, base_url, scene["official"].email, PASSWORD)
    page.goto(_url(base_url, f"/manage/consultations/{SLUG}/versions/edit", scene, lang))
    page.locator("textarea").fill("")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".error").count() == 1
    assert _violations(page) == []
    page.locator("input[name=revision]").evaluate("input => input.value = 'stale'")
    page.locator("textarea").fill(THIRD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".error").count() == 1 and "dwa razy w roku" in page.locator("textarea").input_value()
    assert _violations(page) == []


@pytest.mark.parametrize(
    ("who", "paths"), [(None, PUBLIC_PAGES), ("official", OFFICIAL_PAGES)], ids=["public", "official"]
)
def test_version_pages_fit_a_320_pixel_screen(browser, base_url, scene, who, paths):
    context = browser.new_context(locale="pl-PL", viewport={"width": 320, "height": 640})
    page = context.new_page()
    if who:
        sign_in(page, base_url, scene[who].email, PASSWORD)
    too_wide = {}
    for path in paths:
        page.goto(_url(base_url, path, scene))
        _open_details(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


def test_an_official_edits_and_publishes_a_version_with_the_keyboard_on_a_phone(browser, base_url, scene, db):
    """At 320 px, Tab, typing and Enter alone: open the editor, change a provision, save, publish."""
    context = browser.new_context(locale="pl-PL", viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base_url, scene["official"].email, PASSWORD)
    page.goto(f"{base_url}/manage/consultations/{SLUG}/versions/3")
    activate(page, page.get_by_role("link", name="Edytuj jej tekst"))
    assert page.get_by_role("heading", name="Edytuj tekst projektu").count() == 1
    editor = page.get_by_label("Tekst projektu")
    assert editor.get_attribute("lang") == "pl" and editor.get_attribute("aria-describedby")
    tab_to(page, editor)
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n§ 4. Wykonanie programu powierza się Prezydentowi Miasta.")
    activate(page, page.get_by_role("button", name="Zapisz i sprawdź dopasowanie"))
    assert "Tekst zapisano jako wersję 3" in page.content()
    assert re.search(r"§ 4", page.locator("#matching").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    activate(page, page.get_by_role("button", name="Opublikuj tę wersję"))
    context.close()
    db.session.expire_all()
    versions = db.session.execute(sa.select(DraftVersion.number, DraftVersion.status).order_by(DraftVersion.number))
    assert [(n, s) for n, s in versions] == [
        (1, VersionStatus.PUBLISHED),
        (2, VersionStatus.PUBLISHED),
        (3, VersionStatus.PUBLISHED),
    ]
