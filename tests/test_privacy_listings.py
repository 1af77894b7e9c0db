"""Every place a page can be listed shows only what an anonymous visitor may see (``live().public()``):
a live page with a login, password or group view restriction is absent from every listing, related-
page section and API, while its unrestricted twin is present in each of them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from practices.editorial import EDITORS
from practices.models import ArticleIndexPage, PracticeIndexPage, ReportIndexPage
from tests.factories import ArticlePageFactory, PracticePageFactory, ReportPageFactory

TAG = "skjermingsprøve"
RESTRICTIONS = [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS]


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="hemmelig-passord" if kind == PageViewRestriction.PASSWORD else ""
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.set([Group.objects.get(name=EDITORS)])


@pytest.fixture(params=RESTRICTIONS)
def site(request, db, django_capture_on_commit_callbacks):
    """Twin pages of each type – one open, one restricted («skjermet») – and pages relating to both."""
    kind = request.param
    common = {"tags": [TAG], "themes": ["housing-first"], "target_groups": ["bostedslose"]}
    # Dated today, so that the twins are among the newest on the home page (by their own date).
    today = timezone.localdate()
    practice = {**common, "period_start": today.year, "period_end": None}
    report = {**practice, "published": today}
    article = {**common, "date": today}
    pages = {
        "open_practice": PracticePageFactory(title="Boligkontakt i Lom, åpent eksempel", **practice),
        "closed_practice": PracticePageFactory(title="Boligkontakt i Lom, skjermet eksempel", **practice),
    }
    host = PracticePageFactory(title="Boligteam i Lillehammer", **practice)
    pages.update(
        host=host,
        open_report=ReportPageFactory(title="Boligkontakt i Lom, åpen rapport", related_practice=host, **report),
        closed_report=ReportPageFactory(title="Boligkontakt i Lom, skjermet rapport", related_practice=host, **report),
        open_article=ArticlePageFactory(title="Boligkontakt i Lom, åpen artikkel", **article),
        closed_article=ArticlePageFactory(title="Boligkontakt i Lom, skjermet artikkel", **article),
        report_of_closed=ReportPageFactory(
            title="Rapport om boligkontakten i Lom", related_practice=pages["closed_practice"]
        ),
    )
    host.related_practices.set([pages["open_practice"], pages["closed_practice"]])
    host.save()
    pages["article_relating"] = ArticlePageFactory(
        title="Boligkontakter i Innlandet", related_practices=[pages["open_practice"], pages["closed_practice"]]
    )
    with django_capture_on_commit_callbacks(execute=True):  # search follows the restrictions on commit
        for name in ("closed_practice", "closed_report", "closed_article"):
            restrict(pages[name], kind)
    pages["kind"] = kind
    return pages


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} svarte {response.status_code}"
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def assert_open_not_closed(text, site, kind, where):
    assert site[f"open_{kind}"].title in text, f"{where}: den åpne siden mangler"
    assert site[f"closed_{kind}"].title not in text, f"{where}: den skjermede siden vises"


def test_the_restricted_pages_themselves_are_not_shown(client, site):
    for name in ("closed_practice", "closed_report", "closed_article"):
        response = client.get(site[name].url)
        assert response.status_code in (200, 302)
        assert site[name].title not in response.content.decode()  # a login or password form instead


def test_index_pages(client, site):
    assert_open_not_closed(text_of(client, PracticeIndexPage.objects.get().url), site, "practice", "/praksiseksempler/")
    assert_open_not_closed(text_of(client, ReportIndexPage.objects.get().url), site, "report", "/rapporter/")
    assert_open_not_closed(text_of(client, ArticleIndexPage.objects.get().url), site, "article", "/artikler/")


def test_home_page(client, site):
    text = text_of(client, "/")
    for kind in ("practice", "report", "article"):
        assert_open_not_closed(text, site, kind, "forsiden")


def test_practice_page_reports_related_practices_and_read_also(client, site):
    page = BeautifulSoup(client.get(site["host"].url).content, "html.parser")
    sections = {section.find("h2").get_text(strip=True): section.get_text(" ", strip=True)
                for section in page.select("section") if section.find("h2")}
    assert_open_not_closed(sections["Rapporter fra prosjektet"], site, "report", "«Rapporter fra prosjektet»")
    assert_open_not_closed(sections["Beslektede praksiseksempler"], site, "practice", "beslektede praksiseksempler")
    assert_open_not_closed(sections["Les også"], site, "practice", "«Les også»")


def test_article_and_report_pages_link_only_to_public_practices(client, site):
    text = text_of(client, site["article_relating"].url)
    assert_open_not_closed(text, site, "practice", "artikkelens beslektede praksiseksempler")
    text = text_of(client, site["report_of_closed"].url)
    assert "Hører til praksiseksempelet" not in text
    assert site["closed_practice"].title not in text
    assert "Hører til praksiseksempelet" in text_of(client, site["open_report"].url)


def test_search_tag_and_law_pages(client, site):
    for url in ("/sok/?q=boligkontakt+lom", f"/stikkord/{TAG}/"):
        text = text_of(client, url)
        for kind in ("practice", "report", "article"):
            assert_open_not_closed(text, site, kind, url)


def test_search_api_and_autocomplete(client, site):
    data = client.get("/api/search/", {"q": "boligkontakt lom", "page_size": 50}).json()
    titles = " | ".join(hit["title"] for hit in data["results"])
    for kind in ("practice", "report", "article"):
        assert_open_not_closed(titles, site, kind, "/api/search/")
    suggestions = str(client.get("/api/search/autocomplete/", {"q": "boligkontakt"}).json())
    assert site["closed_practice"].title not in suggestions


def api_ids(client, page_type):
    response = client.get("/api/v2/pages/", {"type": page_type, "limit": 100})
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("as_user", [False, True], ids=["anonym", "innlogget"])
def test_page_api_listing_and_detail(client, site, as_user):
    if as_user:  # a logged-in editor passes login and group restrictions, but the API is the public's
        user = get_user_model().objects.create_user("leser", "leser@example.no", "passord-for-test")
        user.groups.add(Group.objects.get(name=EDITORS))
        client = Client()
        client.force_login(user)
    for kind, page_type in (("practice", "practices.PracticePage"), ("report", "practices.ReportPage"),
                            ("article", "practices.ArticlePage")):
        ids = api_ids(client, page_type)
        assert site[f"open_{kind}"].pk in ids
        assert site[f"closed_{kind}"].pk not in ids
        assert client.get(f"/api/v2/pages/{site[f'closed_{kind}'].pk}/").status_code == 404
        assert client.get(f"/api/v2/pages/{site[f'open_{kind}'].pk}/").status_code == 200
    everything = {item["id"] for item in client.get("/api/v2/pages/", {"limit": 100}).json()["items"]}
    assert site["open_article"].pk in everything and site["closed_article"].pk not in everything


def test_page_api_related_fields(client, site):
    open_practice = site["open_practice"]
    # detail views (one page) and listings (prefetched for many) must agree
    host = client.get(f"/api/v2/pages/{site['host'].pk}/").json()
    assert [p["id"] for p in host["related_practices"]] == [open_practice.pk]
    article = client.get(f"/api/v2/pages/{site['article_relating'].pk}/").json()
    assert [p["id"] for p in article["related_practices"]] == [open_practice.pk]
    report = client.get(f"/api/v2/pages/{site['report_of_closed'].pk}/").json()
    assert report["related_practice"] is None
    assert client.get(f"/api/v2/pages/{site['open_report'].pk}/").json()["related_practice"]["id"] == site["host"].pk

    fields = {"practices.PracticePage": "related_practices", "practices.ArticlePage": "related_practices",
              "practices.ReportPage": "related_practice"}
    listed = {
        item["id"]: item
        for page_type, field in fields.items()
        for item in client.get("/api/v2/pages/", {"type": page_type, "fields": field, "limit": 100}).json()["items"]
    }
    assert [p["id"] for p in listed[site["host"].pk]["related_practices"]] == [open_practice.pk]
    assert [p["id"] for p in listed[site["article_relating"].pk]["related_practices"]] == [open_practice.pk]
    assert listed[site["report_of_closed"].pk]["related_practice"] is None
    assert listed[site["open_report"].pk]["related_practice"]["id"] == site["host"].pk
