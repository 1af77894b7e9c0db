"""The ways in, in a real browser (Chromium through Playwright, as tests/test_browser.py): the
county map is reached and followed by keyboard with a visible focus, the new pages pass axe
(WCAG 2.1 AA) and reflow at 320 px, and a practice page prints cleanly."""

import pytest

from tests.test_browser import NARROWEST_PHONE, _assert_accessible, _tab_until

NEW_PATHS = [
    "/",
    "/stikkord/",
    "/fylker/",
    "/fylker/akershus/",
    "/fylker/troms-og-finnmark/",
    "/om/",
    "/tilgjengelighetserklaering/",
    "/praksiseksempler/fra-bostedslos-til-beboer/",
]


@pytest.mark.parametrize("path", NEW_PATHS)
def test_ways_in_pages_meet_wcag_21_aa(page, path):
    _assert_accessible(page, path)


def test_keyboard_user_reaches_a_county_on_the_map_sees_the_focus_and_opens_it(page):
    page.goto("/")
    on_the_map = "el.closest && el.closest('.county-map') && el.getAttribute('href') === '/fylker/akershus/'"
    reached = _tab_until(page, on_the_map)
    assert reached, "the map's Akershus tile is not reachable by Tab"
    # the focused tile is visibly marked (a thick outline on its shape), not only by the browser default
    stroke = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('rect')).strokeWidth"
    )
    assert stroke == "5px"
    assert page.evaluate("document.activeElement.querySelector('title').textContent").startswith("Akershus: ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fylker/akershus/")
    assert page.locator("h1").inner_text() == "Akershus"


@pytest.mark.parametrize("path", ["/", "/stikkord/", "/fylker/", "/fylker/akershus/", "/tilgjengelighetserklaering/"])
def test_ways_in_reflow_on_the_narrowest_phone(chromium, site_url, path):
    context = chromium.new_context(base_url=site_url, viewport=NARROWEST_PHONE, locale="nb-NO")
    try:
        phone = context.new_page()
        phone.goto(path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than a 320 px screen"
        if path == "/":  # on a phone the list carries the counties
            assert phone.locator(".count-list--counties a").first.is_visible()
    finally:
        context.close()


def test_practice_page_prints_without_navigation_and_with_its_address(page):
    page.goto("/praksiseksempler/fra-bostedslos-til-beboer/")
    button = page.get_by_role("button", name="Skriv ut")
    assert button.is_visible()
    page.emulate_media(media="print")
    assert page.locator(".print-only").is_visible()
    assert "Adresse: " in page.locator(".print-only").inner_text()
    for hidden in (".breadcrumbs", ".main-nav", ".site-footer", ".page-tools", ".toc--short"):
        if page.locator(hidden).count():
            assert not page.locator(hidden).first.is_visible(), hidden
    if page.locator(".read-also").count():
        assert not page.locator(".read-also").is_visible()
