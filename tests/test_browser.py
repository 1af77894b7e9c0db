"""The site in a real browser (Chromium, driven by Playwright): what a visitor using a keyboard,
a screen reader, a phone or no JavaScript meets. WCAG 2.1 AA is the law for Norwegian public
websites; axe-core checks each kind of page for what can be checked automatically, the other
tests walk through the tasks a caseworker does.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import SEED_SLUGS

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROWEST_PHONE = {"width": 320, "height": 640}  # WCAG 1.4.10: no sideways scrolling at 320 CSS px

FIXED_PATHS = [
    "/",
    "/praksiseksempler/",
    "/rapporter/",
    "/artikler/",
    "/sok/",
    "/sok/?q=bolig",
    "/sok/?q=bolig&type=praksis&sort=title",
    "/sok/?q=sotjl.+%C2%A7+27",
    "/sok/?q=xqzzyvq",
    "/stikkord/depositumgaranti/",
    "/lover/",
    "/lover/sosialtjenesteloven/",
    "/lover/sosialtjenesteloven/27/",
    "/finnes-ikke/",
]
SEED_PAGES = list(SEED_SLUGS)


def _axe_report(results):
    lines = []
    for violation in results.response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return "\n".join(lines)


def _assert_accessible(page, path):
    broken = []  # stylesheets, scripts, icons and fetches that failed, and script errors
    page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document" and broken.append(r.url))
    page.on("requestfailed", lambda request: broken.append(request.url))
    page.on("pageerror", lambda error: broken.append(str(error)))
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response.status == (404 if path == "/finnes-ikke/" else 200), f"{path}: {response.status}"
    assert broken == [], f"{path}: {broken}"
    assert page.get_attribute("html", "lang") == "nb"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, f"{path}:\n{_axe_report(results)}"


@pytest.mark.parametrize("path", FIXED_PATHS)
def test_every_listing_and_search_page_meets_wcag_21_aa(page, path):
    _assert_accessible(page, path)


@pytest.mark.parametrize("seed", SEED_PAGES)
def test_every_seed_page_meets_wcag_21_aa(page, seed_pages, seed):
    _assert_accessible(page, seed_pages[seed].url)


@pytest.mark.parametrize("path", ["/", "/sok/?q=bolig", "/lover/sosialtjenesteloven/27/", *SEED_PAGES])
def test_pages_reflow_on_the_narrowest_phone_without_sideways_scrolling(chromium, site_url, seed_pages, path):
    if not path.startswith("/"):
        path = seed_pages[path].url
    context = chromium.new_context(base_url=site_url, viewport=NARROWEST_PHONE, locale="nb-NO")
    try:
        phone = context.new_page()
        phone.goto(path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than a 320 px screen"
    finally:
        context.close()


def _tab_until(page, predicate_js, limit=100):
    """Press Tab until the focused element satisfies ``predicate_js`` (given ``el``); the element's
    outer HTML, or None if it was never reached by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({predicate_js}))(document.activeElement)"):
            return page.evaluate("document.activeElement.outerHTML")
    return None


def test_keyboard_user_skips_the_header_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Hopp til hovedinnhold", focused
    assert page.locator(".skip-link").is_visible()  # visible when focused, not only to screen readers
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_user_searches_from_the_header_and_opens_the_oksnes_practice(page, seed_pages):
    oksnes = seed_pages["oksnes"]
    page.goto("/")
    assert _tab_until(page, "el.id === 'site-search-q'"), "the header search field is not reachable by Tab"
    page.keyboard.type("depositumgaranti")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=depositumgaranti$"))
    assert page.locator("#treff").inner_text() == "1 treff på «depositumgaranti»"

    first_result = page.locator(".search-result__title a").first
    assert first_result.inner_text() == oksnes.title
    first_result.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{oksnes.url}")
    assert page.locator("h1").inner_text() == oksnes.title


def test_search_field_suggests_tags_and_laws_while_typing(page):
    page.goto("/sok/")
    field = page.locator("#listing-q")
    field.press_sequentially("deposit", delay=30)
    page.wait_for_selector("datalist option[value='depositumgaranti']", state="attached")
    assert page.locator("datalist option[value='depositumgaranti']").get_attribute("label") == "Stikkord"

    field.fill("")
    field.press_sequentially("boligsosial", delay=30)
    page.wait_for_selector("datalist option[value='boligsosialloven']", state="attached")
    assert page.locator("datalist option[value='boligsosialloven']").get_attribute("label") == "Lov"


def test_empty_search_leaves_no_empty_parameters_in_the_address(page):
    page.goto("/")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/sok/$"))
    assert page.locator("h1").inner_text() == "Søk"

    page.locator("#listing-q").fill("bolig")
    page.locator("#listing-q").press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=bolig#treff$"))  # no «sort=» or «page=» either; lands on the count


def test_law_citation_is_understood_shown_and_removable(page, seed_pages):
    tromso = seed_pages["tromso"]
    page.goto("/sok/")
    page.locator("#listing-q").fill("sotjl. § 27")
    page.locator("#listing-q").press("Enter")
    page.wait_for_load_state()
    assert "lovhenvisningen sosialtjenesteloven § 27" in page.locator(".interpretation").inner_text()
    assert page.locator(".search-result__title a").first.inner_text() == tromso.title

    remove = page.locator(".active-filters__remove", has_text="sosialtjenesteloven § 27")
    assert "(fra søketeksten)" in remove.inner_text()
    remove.click()
    page.wait_for_load_state()
    assert page.locator(".interpretation").count() == 0
    assert page.locator(".active-filters__remove").count() == 0


def test_filters_work_by_keyboard_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/sok/?q=bolig")
    total = page.locator("#treff").inner_text()
    page.locator(".listing__filters-toggle").focus()  # the filters are folded under «Filtrer»
    page.keyboard.press("Enter")
    practice_box = page.locator("input[name='type'][value='praksis']")
    label = page.locator(f"label[for='{practice_box.get_attribute('id')}']").inner_text()
    facet_count = re.search(r"\((\d+)", label).group(1)

    practice_box.focus()
    page.keyboard.press("Space")
    assert practice_box.is_checked()
    assert _tab_until(page, "el.classList.contains('listing__apply')"), "«Bruk filtre» is not reachable by Tab"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]type=praksis(&|$)"))

    assert page.locator("#treff").inner_text().startswith(f"{facet_count} treff")
    assert page.locator(".active-filters__remove", has_text="Praksiseksempel").count() == 1
    page.locator(".active-filters__remove", has_text="Praksiseksempel").click()
    page.wait_for_load_state()
    assert page.locator("#treff").inner_text() == total


def test_collapsed_sections_open_with_the_keyboard(page, seed_pages):
    page.goto(seed_pages["close_follow_up_article"].url)
    section = page.locator("main details", has_text="Tverrfaglig samarbeid i Øvre Eiker")
    hidden_text = section.get_by_text("Ressursteam 15-24", exact=False)
    assert section.get_attribute("open") is None
    assert not hidden_text.is_visible()
    assert _tab_until(page, "el.tagName === 'SUMMARY'"), "the section's heading is not reachable by Tab"
    page.keyboard.press("Enter")
    assert section.get_attribute("open") is not None
    assert hidden_text.is_visible()
