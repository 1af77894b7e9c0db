"""The Content-Security-Policy in a real browser (Chromium): public pages raise no CSP violation
(nothing blocked, nothing reported in the console), and Wagtail's page editor loads and works
under the admin's policy."""

import pytest
from django.contrib.auth import get_user_model

from tests.browser import SEED_SLUGS

ADMIN_USERNAME = "csp-redaktor"
ADMIN_PASSWORD = "lang-og-tilfeldig-passord-for-csp"
PUBLIC_PATHS = [
    "/", "/praksiseksempler/", "/rapporter/", "/artikler/", "/sok/?q=bolig", "/lover/sosialtjenesteloven/27/"
]


@pytest.fixture(scope="module", autouse=True)
def editor_account(django_db_setup, django_db_blocker):
    """A superuser and the page to edit, made before the browser starts (autouse: first of all
    module fixtures; no ORM calls once Playwright's loop runs, see tests/browser.py)."""
    from wagtail.models import Page

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(ADMIN_USERNAME, "csp@example.no", ADMIN_PASSWORD)
        page_id = Page.objects.get(slug=SEED_SLUGS["tromso"]).pk
    yield page_id
    with django_db_blocker.unblock():
        user.delete()


def watch_for_violations(page):
    """Console messages and page errors about the policy, and requests the browser refused."""
    violations = []
    page.on(
        "console",
        lambda message: (
            ("Content Security Policy" in message.text or "Content-Security-Policy" in message.text)
            and violations.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"Skriptfeil: {error}"))
    page.on("requestfailed", lambda request: violations.append(f"{request.failure}: {request.url}"))
    return violations


@pytest.mark.parametrize("path", PUBLIC_PATHS + [f"seed:{name}" for name in SEED_SLUGS])
def test_public_pages_raise_no_policy_violations(page, seed_pages, path):
    address = seed_pages[path.removeprefix("seed:")].url if path.startswith("seed:") else path
    violations = watch_for_violations(page)
    response = page.goto(address)
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    policy = {part.split()[0]: part.split()[1:] for part in response.headers["content-security-policy"].split("; ")}
    assert policy["script-src"] == ["'self'"]
    assert violations == [], f"{address}: {violations}"


def test_the_search_suggestions_work_under_the_policy(page):
    violations = watch_for_violations(page)
    page.goto("/sok/")
    page.locator("#listing-q").press_sequentially("deposit", delay=30)
    page.wait_for_selector("datalist option[value='depositumgaranti']", state="attached")
    assert violations == []


def test_the_page_editor_loads_and_works_under_the_admin_policy(editor_account, chromium, site_url):
    context = chromium.new_context(base_url=site_url, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = watch_for_violations(page)
    page.goto("/admin/login/")
    page.fill("input[name=username]", ADMIN_USERNAME)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/pages/{editor_account}/edit/")
    page.wait_for_load_state("networkidle")
    # The editor is scripted: the rich-text editor (Draftail) and the tabs only appear through JS.
    page.locator(".Draftail-Editor").first.wait_for(state="visible")
    page.get_by_role("tab").nth(1).click()
    title = page.locator("#id_title")
    page.get_by_role("tab").first.click()
    title.fill("Fra bostedsløs til beboer (utkast)")
    assert title.input_value().endswith("(utkast)")
    context.close()
    assert violations == [], violations
