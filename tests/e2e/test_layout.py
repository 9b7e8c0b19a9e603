"""Layout a person notices: menus on one row on a desktop, tables that fit a phone, words never cut."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

QUEUE = "/manage/consultations/program-dostepny/moderation"


def _tops(page, selector: str) -> list[int]:
    return page.eval_on_selector_all(selector, "items => items.map(item => item.offsetTop)")


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("who", ["official", "admin"])
def test_the_officials_menu_stays_on_one_row_at_1280_pixels(browser, base_url, scene, who, lang):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base_url, scene[who].email, PASSWORD)
    page.goto(f"{base_url}{QUEUE}?lang={lang}")
    menu = _tops(page, ".header-menu nav > ul > li")
    assert len(menu) >= (6 if who == "admin" else 3)
    assert len(set(menu)) == 1, menu
    account = _tops(page, ".header-row nav > ul > li")
    assert len(set(account)) == 1, account
    tabs = _tops(page, "main nav > ul.tabs > li")
    assert tabs and len(set(tabs)) == 1, tabs
    context.close()
