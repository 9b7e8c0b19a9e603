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


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_on_a_phone_the_queue_and_the_positions_show_each_row_as_a_card(browser, base_url, scene, lang):
    context = browser.new_context(locale="pl-PL", viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, base_url, scene["official"].email, PASSWORD)
    for path, cell in [
        (QUEUE, "td.queue-status"),
        ("/manage/consultations/program-dostepny/positions", "td.position-reason"),
    ]:
        page.goto(f"{base_url}{path}?lang={lang}")
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), path
        first = page.locator(cell).first
        first.scroll_into_view_if_needed()
        assert first.is_visible(), path
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (path, box)
        # the table scrolls nothing sideways either: each cell is in view, named by its column
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), path
        label = first.evaluate("td => getComputedStyle(td, '::before').content")
        assert first.get_attribute("data-label") in label, (path, label)
    context.close()


def test_on_a_desktop_the_queue_is_a_table_that_fits(browser, base_url, scene):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base_url, scene["official"].email, PASSWORD)
    page.goto(f"{base_url}{QUEUE}")
    assert page.locator("table.queue thead th").first.is_visible()
    assert page.locator(".table-wrap").first.evaluate("el => el.scrollWidth <= el.clientWidth")
    context.close()


# Every word of the table's cells laid out on one line: a word cut in the middle ("Organi-zacja")
# has two boxes. Words with their own break points (a hyphen, a slash) may break there.
_CUT_WORDS = """table => {
  const cut = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.break-anywhere, .visually-hidden')) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2013\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (lines.size > 1) cut.push(match[0]);
    }
  }
  return cut;
}"""


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_published_report_table_cuts_no_word_on_a_desktop(page, base_url, scene, lang):
    page.goto(f"{base_url}/consultations/program-zamkniety/report?lang={lang}")
    table = page.locator("table.report-table")
    assert table.locator("thead th").first.is_visible()
    assert table.evaluate(_CUT_WORDS) == []
    # and the table fits the page: nothing hidden to the right
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert table.evaluate("t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_consultation_page_has_a_table_of_contents_and_readable_labels(browser, base_url, scene, width):
    context = browser.new_context(locale="pl-PL", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/consultations/program-dostepny")
    toc = page.get_by_role("navigation", name="Spis treści")
    assert toc.is_visible()
    targets = toc.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(targets) >= 3
    for target in targets:
        assert page.locator(target).count() == 1, target
    # following a link brings its heading into view
    toc.locator("a").nth(1).click()
    assert page.locator(targets[1]).evaluate("el => el.getBoundingClientRect().top") < 200
    # the label before the text, as large as the text, not in grey
    label = page.locator(".paragraph-label a").first
    text = page.locator(".paragraph-text").first
    assert (
        label.evaluate("el => el.getBoundingClientRect().bottom")
        <= text.evaluate("el => el.getBoundingClientRect().top") + 1
    )
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert label.evaluate(size) >= text.evaluate(size)
    assert label.evaluate("el => getComputedStyle(el).color") == "rgb(0, 69, 122)"  # the link colour, 9.9:1
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    context.close()
