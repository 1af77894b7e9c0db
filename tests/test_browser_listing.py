"""Searched listings on a phone and by keyboard, in a real browser (Chromium via Playwright):
the results come first, the filters open from «Filtrer (n)» and close again, focus lands on
the count after every search and filter, a caseworker filters by county and opens the first
result in at most 15 key presses, and nothing scrolls sideways at 320 px, not even a search
for a very long word."""

import re
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import SEED_SLUGS

PHONE = {"width": 375, "height": 667}
NARROWEST_PHONE = {"width": 320, "height": 640}  # WCAG 1.4.10
LAPTOP = {"width": 1280, "height": 800}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LONG_WORD = "boligsosialtoppfølgingsarbeidskoordineringsprosjektsamarbeid"  # 60 characters
KEY_BUDGET = 15


@pytest.fixture
def tab_with(chromium, site_url):
    """A tab factory: ``tab_with(viewport, javascript=True)``; every tab is closed afterwards."""
    contexts = []

    def open_tab(viewport, javascript=True):
        context = chromium.new_context(
            base_url=site_url, viewport=viewport, locale="nb-NO", java_script_enabled=javascript
        )
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


class Keyboard:
    """Presses keys and counts them (Tab, Shift+Tab, Enter and Space all count)."""

    def __init__(self, page):
        self.page = page
        self.presses = []

    def press(self, key):
        self.presses.append(key)
        self.page.keyboard.press(key)

    def focused(self, predicate_js):
        return self.page.evaluate(f"(el => Boolean({predicate_js}))(document.activeElement)")

    def tab_until(self, predicate_js, limit=KEY_BUDGET):
        for _ in range(limit):
            self.press("Tab")
            if self.focused(predicate_js):
                return True
        return False


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_from_the_search_box_to_a_county_and_the_first_result_in_15_key_presses(tab_with, viewport):
    page = tab_with(viewport)
    page.goto("/sok/")
    page.locator("#listing-q").focus()
    page.keyboard.type("bolig")  # typing is not counted, only the keys that move and act
    keys = Keyboard(page)

    keys.press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=bolig#treff$"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'treff'")
    count = page.locator("#treff").inner_text()
    assert re.match(r"\d+ treff på «bolig»", count)

    filters = page.locator("details.listing__filters")
    assert keys.tab_until("el.classList.contains('listing__filters-toggle')"), "«Filtrer» is not reachable by Tab"
    if filters.get_attribute("open") is None:  # folded on a phone
        keys.press("Enter")
    assert filters.get_attribute("open") is not None
    assert keys.tab_until("el.name === 'county'"), "no county is reachable by Tab"
    county = page.evaluate("document.activeElement.value")
    keys.press("Space")
    keys.press("Enter")  # applies the filters
    page.wait_for_url(re.compile(rf"[?&]county={county}(&|#|$)"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'treff'")
    assert page.locator("#treff").inner_text() != count
    assert page.locator(".listing__filters-toggle").inner_text().startswith("Filtrer (1)")

    # On to the first result: past «Filtrer (1)» (closing the filters where they stand open) and the sort order.
    if page.locator("details.listing__filters").get_attribute("open") is not None:
        assert keys.tab_until("el.classList.contains('listing__filters-toggle')")
        keys.press("Enter")
    first = page.locator(".search-result__title a").first
    title, href = first.inner_text(), first.get_attribute("href")
    assert keys.tab_until("el.matches('.search-result__title a')"), "the first result is not reachable by Tab"
    assert page.evaluate("document.activeElement.getAttribute('href')") == href
    keys.press("Enter")
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").inner_text() == title
    assert len(keys.presses) <= KEY_BUDGET, keys.presses


def test_on_a_phone_the_results_come_before_the_filters(tab_with):
    page = tab_with(PHONE)
    page.goto("/sok/?q=bolig")
    first_result = page.locator(".search-result__title a").first.bounding_box()
    toggle = page.locator(".listing__filters-toggle").bounding_box()
    assert page.locator("details.listing__filters").get_attribute("open") is None
    assert page.locator("input[name='county']").first.is_hidden()
    assert toggle["y"] < first_result["y"] < PHONE["height"] * 1.5, (toggle, first_result)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filtrer_shows_how_many_are_chosen_and_opens_and_closes(tab_with, javascript):
    page = tab_with(PHONE, javascript=javascript)
    page.goto("/sok/?type=praksis&county=troms")
    toggle = page.locator(".listing__filters-toggle")
    filters = page.locator("details.listing__filters")
    assert toggle.inner_text().startswith("Filtrer (2)")
    assert filters.get_attribute("open") is None
    toggle.focus()
    page.keyboard.press("Enter")
    assert filters.get_attribute("open") is not None
    assert page.locator("input[name='county'][value='troms']").is_checked()
    page.keyboard.press("Enter")
    assert filters.get_attribute("open") is None


def test_long_facets_show_the_top_values_and_vis_alle(tab_with):
    page = tab_with(LAPTOP, javascript=False)
    page.goto("/sok/?q=bolig")
    page.locator(".listing__filters-toggle").click()
    more = page.locator("details.facet__more").first
    summary = " ".join(more.locator("summary").text_content().split())
    match = re.search(r"\((\d+)\)", summary)
    assert match, summary
    total = int(match.group(1))
    fieldset = page.locator("fieldset.facet", has=more)
    assert summary.startswith("Vis alle")
    visible = fieldset.locator(".facet__option:visible").count()
    assert 0 < visible < total
    more.locator("summary").click()
    assert fieldset.locator(".facet__option:visible").count() == total


def test_the_count_is_announced_with_focus_after_a_filter_without_javascript(tab_with):
    page = tab_with(PHONE, javascript=False)
    page.goto("/sok/?q=bolig")
    page.locator(".listing__filters-toggle").click()
    page.locator("input[name='type'][value='praksis']").check()
    page.locator(".listing__apply").click()
    page.wait_for_url(re.compile(r"type=praksis(&[^#]*)?#treff$"))
    # The browser follows the fragment: the next Tab starts from the count.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('listing__filters-toggle')")


def _seed_url(seed_pages, name):
    return seed_pages[name].url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/sok/?q={quote(LONG_WORD)}",
        f"/sok/?q={quote(LONG_WORD)}&county=troms",
        "/sok/?q=bolig&county=troms-og-finnmark",
        "/praksiseksempler/",
        "/rapporter/",
        "/artikler/",
        "/stikkord/depositumgaranti/",
        "/lover/sosialtjenesteloven/27/",
        *SEED_SLUGS,
    ],
)
def test_no_sideways_scrolling_at_320_px_with_the_filters_open(tab_with, seed_pages, path):
    if not path.startswith("/"):
        path = seed_pages[path].url
    page = tab_with(NARROWEST_PHONE)
    page.goto(path)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROWEST_PHONE["width"], f"{path} is {width} px wide on a 320 px screen"


@pytest.mark.parametrize("path", ["/sok/?q=bolig&county=troms", f"/sok/?q={quote(LONG_WORD)}", "/rapporter/"])
def test_the_phone_layout_meets_wcag_21_aa_open_and_closed(tab_with, path):
    page = tab_with(PHONE)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    for state in ("closed", "open"):
        if state == "open":
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        report = [violation["id"] for violation in results.response["violations"]]
        assert results.violations_count == 0, f"{path} ({state}): {report}"
