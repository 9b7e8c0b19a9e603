"""The whole journey, with the keyboard alone, in Debian's Chromium.

An official imports and publishes a draft; two organisations comment, one supports
the other; the consultation closes; the official hides one comment, answers the
rest and publishes the report; a visitor downloads the PDF and finds the comments.

Every control is reached with Tab (Shift+Tab never needed) and operated with Enter,
Space, arrow keys or typing. The one exception is the file to upload: the browser's
file chooser is the operating system's window, so the test hands the file to the
focused input the way that window would.
"""

import io
import re
from datetime import timedelta

import pytest

from consult.accounts.models import UserRole
from consult.core.time import utcnow
from tests.conftest import PASSWORD

pypdf = pytest.importorskip("pypdf")

DRAFT = """# Program współpracy na rok 2030

## Rozdział I. Postanowienia ogólne

§ 1. Program określa zasady współpracy Gminy z organizacjami pozarządowymi.

§ 2. 1. Celem programu jest budowanie partnerstwa.

2. Program realizuje się w roku 2030.
"""
MAX_TABS = 400


def tab_to(page, locator) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    target = locator.first
    target.wait_for(state="attached")
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {locator} with the Tab key")


def activate(page, locator, navigates: bool = True) -> None:
    tab_to(page, locator)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def sign_in_by_keyboard(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    type_into(page, page.get_by_label("E-mail"), email)
    type_into(page, page.get_by_label("Hasło"), PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name=re.compile("Wyloguj się")).count() == 1


def sign_out(page) -> None:
    activate(page, page.get_by_role("button", name=re.compile("Wyloguj się")))


@pytest.fixture()
def scene(db, create_user, create_organisation, create_consultation):
    official = create_user(UserRole.OFFICIAL, email="urzednik@example.org", display_name="Jan Urzędnik")
    anna = create_user(email="anna@example.org", display_name="Anna")
    piotr = create_user(email="piotr@example.org", display_name="Piotr")
    create_organisation("Fundacja Klawiatura", members=[anna])
    create_organisation("Stowarzyszenie Tabulator", members=[piotr])
    now = utcnow()
    consultation = create_consultation(
        "draft",
        draft=None,
        slug="program-2030",
        officials=[official],
        title="Program współpracy na rok 2030",
        receipt_prefix="KONS-2030",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=21),
    )
    return {"consultation": consultation}


def test_the_whole_journey_with_the_keyboard_alone(page, base_url, scene, db):
    slug = "program-2030"

    # 1. The official imports the draft, checks the preview and publishes it.
    sign_in_by_keyboard(page, base_url, "urzednik@example.org")
    page.goto(f"{base_url}/manage/consultations/{slug}/import")
    file_input = page.get_by_label("Plik z projektem")
    tab_to(page, file_input)
    file_input.set_input_files({"name": "projekt.md", "mimeType": "text/markdown", "buffer": DRAFT.encode()})
    activate(page, page.get_by_role("button", name="Importuj i pokaż podgląd"))
    assert "§ 2 ust. 2" in page.content()
    activate(page, page.get_by_role("button", name="Opublikuj tę wersję"))
    activate(page, page.get_by_role("link", name="Opublikuj konsultacje…"))
    assert "2 organizacje zostaną powiadomione" in page.content()  # who will be told, before publishing
    activate(page, page.get_by_role("button", name="Opublikuj i wyślij"))
    assert "Konsultacje są opublikowane; organizacje są powiadamiane." in page.content()
    sign_out(page)

    # 2. Fundacja Klawiatura comments on § 1, in place under the provision.
    sign_in_by_keyboard(page, base_url, "anna@example.org")
    page.goto(f"{base_url}/consultations/{slug}")
    activate(page, page.locator("#p-par-1 .comment-toggle"), navigates=False)
    form = page.locator("#p-par-1 form.comment-form")
    form.wait_for()
    type_into(
        page,
        form.get_by_label("Proponowane brzmienie"),
        "Program określa zasady i formy współpracy Gminy z organizacjami pozarządowymi.",
    )
    type_into(page, form.get_by_label("Uzasadnienie"), "Program powinien wymieniać także formy współpracy.")
    activate(page, form.get_by_role("button", name="Wyślij uwagę"))
    assert "KONS-2030/0001" in page.content()
    sign_out(page)

    # 3. Stowarzyszenie Tabulator supports that comment and sends one of its own.
    sign_in_by_keyboard(page, base_url, "piotr@example.org")
    page.goto(f"{base_url}/consultations/{slug}/comments/1")
    activate(page, page.get_by_role("button", name=re.compile("^Poprzyj")))
    assert "Stowarzyszenie Tabulator" in page.locator(".supporters").inner_text()
    page.goto(f"{base_url}/consultations/{slug}")
    activate(page, page.locator("#p-par-2-ust-1 .comment-toggle"), navigates=False)
    form = page.locator("#p-par-2-ust-1 form.comment-form")
    form.wait_for()
    tab_to(page, form.get_by_label("Zmiana brzmienia"))  # a radio group: arrows move the choice
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert form.get_by_label("Uwaga ogólna").is_checked()
    type_into(page, form.get_by_label("Uzasadnienie"), "Dzwońcie do mnie: 600 100 200, Jan Nowak.")
    activate(page, form.get_by_role("button", name="Wyślij uwagę"))
    assert "KONS-2030/0002" in page.content(), page.locator("main").inner_text()[:1500]
    sign_out(page)

    # 4. The consultation closes (early, with a reason); the official hides the second
    #    comment, answers the first and publishes the answer.
    sign_in_by_keyboard(page, base_url, "urzednik@example.org")
    page.goto(f"{base_url}/manage/consultations/{slug}")
    type_into(page, page.locator("#close-reason"), "Koniec terminu w scenariuszu testowym.")
    activate(page, page.get_by_role("button", name="Zamknij teraz"))
    assert "Konsultacje zostały zamknięte." in page.content()

    page.goto(f"{base_url}/manage/consultations/{slug}/comments/2")
    tab_to(page, page.locator("#hide-reason"))
    page.keyboard.type("dane")  # picks "dane osobowe" in the list, as typing does in a select
    activate(page, page.get_by_role("button", name="Ukryj", exact=True))
    assert "Uwaga została ukryta" in page.content()

    page.goto(f"{base_url}/manage/consultations/{slug}/comments/1")
    tab_to(page, page.locator("#position-status"))  # no position is chosen for the official
    page.keyboard.type("uwz")  # picks "uwzględniona", the first that starts so
    type_into(page, page.locator("#position-reason"), "Uwzględniono: formy współpracy wymieniono w § 1.")
    activate(page, page.get_by_role("button", name="Zapisz jako projekt"))
    page.goto(f"{base_url}/manage/consultations/{slug}/positions")
    activate(page, page.get_by_role("button", name="Opublikuj zaznaczone stanowiska"))
    assert "Opublikowano stanowiska: 1" in page.content()

    # 5. The official publishes the report.
    page.goto(f"{base_url}/manage/consultations/{slug}/report")
    activate(page, page.get_by_role("button", name=re.compile("Opublikuj wersję 1 raportu")))
    sign_out(page)

    # 6. A visitor downloads the PDF and finds the comments in it.
    page.goto(f"{base_url}/consultations/{slug}/report")
    pdf_link = page.get_by_role("link", name=re.compile("^PDF"))
    tab_to(page, pdf_link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf_bytes = open(download_info.value.path(), "rb").read()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "Fundacja Klawiatura" in flat and "Stowarzyszenie Tabulator" in flat  # author and supporter
    assert "formy współpracy" in flat
    assert "Uwzględniono: formy współpracy wymieniono w § 1." in flat
    assert "600 100 200" not in flat  # the hidden comment is counted, not printed
