"""Authoring in the Wagtail admin, as an editor does it: the forms are in Norwegian, a practice
example is created field by field and published, and the public page shows what was entered."""

import json
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from practices.blocks import RICH_TEXT_FEATURES
from practices.models import (
    County,
    PracticeIndexPage,
    PracticePage,
    ReportIndexPage,
    Theme,
)
from tests.factories import MunicipalityFactory, chosen, edit_form_data, provision

TITLE = "Boligkontakt for unge i Bodø"
SLUG = "boligkontakt-for-unge-i-bodo"


@pytest.fixture
def practice_index(db):
    return PracticeIndexPage.objects.get()


@pytest.fixture
def editor(practice_index):
    """A non-superuser editor: admin access, and add/edit/publish on the practice examples only."""
    group = Group.objects.create(name="Redaktører for praksiseksempler")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=practice_index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    user = get_user_model().objects.create_user(
        "kari.nordmann", "kari.nordmann@example.no", "hemmelig-passord", first_name="Kari", last_name="Nordmann"
    )
    user.groups.add(group)
    return user


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username="kari.nordmann", password="hemmelig-passord")
    return client


@pytest.fixture
def admin_client_nb(client, db):
    admin = get_user_model().objects.create_superuser("administrator", "admin@example.no", "passord")
    client.force_login(admin)
    return client


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["practices", "practicepage", parent.pk])


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def facts(soup):
    """The fact box of a public page as {«Ansvarlig enhet»: «NAV Bodø», …}."""
    return {
        dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select("dl dt")
        if dt.find_next_sibling("dd") is not None
    }


def practice_form_data(**overrides):
    """The add form filled in field by field, as an editor would."""
    bodo = MunicipalityFactory(entry=("1804", "Bodø", "18", 53_712))
    nordland = County.objects.get(number="18")
    section_27 = provision("sosialtjenesteloven", "27")
    theme = Theme.objects.get(slug="tett-oppfolging")
    data = nested_form_data(
        {
            "title": TITLE,
            "slug": SLUG,
            "summary": "NAV Bodø ga unge i midlertidig botilbud en fast boligkontakt, og flere fikk egen bolig.",
            "other_actor": "",
            "responsible_unit": "NAV Bodø og Eiendomskontoret",
            "county": nordland.pk,
            "period_start": "2021",
            "period_end": "2023",
            "municipality_size": "",
            "status": "viderefort",
            "description": rich_text(
                "<p>Unge under 30 år i midlertidig botilbud fikk en boligkontakt som fulgte dem fra søknad "
                "til innflytting.</p>",
                features=RICH_TEXT_FEATURES,
            ),
            "results": rich_text("<p>28 av 35 unge flyttet inn i egen bolig.</p>", features=RICH_TEXT_FEATURES),
            "background": rich_text("", features=RICH_TEXT_FEATURES),
            "goals": rich_text("", features=RICH_TEXT_FEATURES),
            "implementation": rich_text("", features=RICH_TEXT_FEATURES),
            "steps": streamfield(
                [
                    (
                        "step",
                        {
                            "title": "Kartlegging av boligbehov",
                            "text": rich_text(
                                "<p>NAV kartla alle unge i midlertidig botilbud.</p>", features=RICH_TEXT_FEATURES
                            ),
                        },
                    ),
                    (
                        "step",
                        {
                            "title": "Fast boligkontakt",
                            "text": rich_text(
                                "<p>Hver ungdom fikk én boligkontakt som ble med på visninger.</p>",
                                features=RICH_TEXT_FEATURES,
                            ),
                        },
                    ),
                ]
            ),
            "legal_references": inline_formset([{"provision": chosen(section_27), "comment": "", "id": ""}]),
            "user_participation": rich_text("", features=RICH_TEXT_FEATURES),
            "financing": rich_text("", features=RICH_TEXT_FEATURES),
            "continuation": rich_text("", features=RICH_TEXT_FEATURES),
            "success_factors": streamfield(
                [
                    (
                        "item",
                        {
                            "statement": "Én fast kontaktperson.",
                            "elaboration": "Ungdommene slapp å gjenta historien sin.",
                        },
                    )
                ]
            ),
            "challenges": streamfield(
                [("item", {"statement": "For få små, rimelige utleieboliger.", "elaboration": ""})]
            ),
            "tags": "boligkontakt, unge, midlertidig botilbud",
            "evidence_level": "evaluert",
            "resources": "ett årsverk",
            "contact": "",
            "last_reviewed": "",
            "attachments": inline_formset([]),
            "source_publisher": "",
            "source_title": "",
            "source_url": "",
            "source_published": "",
            "source_updated": "",
            "source_note": "",
            "seo_title": "",
            "search_description": "",
            "action-publish": "action-publish",
        }
    )
    # The searchable choosers post the chosen rows as JSON.
    data["municipalities"] = chosen([bodo])
    data["themes"] = chosen([theme])
    data.update(overrides)
    return data


# --- Creating a practice example ---------------------------------------------------------------


def test_editor_creates_and_publishes_a_practice_example(editor_client, practice_index):
    response = editor_client.post(add_url(practice_index), practice_form_data(), follow=True)

    assert response.redirect_chain == [(reverse("wagtailadmin_explore", args=[practice_index.pk]), 302)], (
        soup_of(response).select(".error-message, .help-critical")
    )
    messages = [BeautifulSoup(str(m), "html.parser").get_text(" ", strip=True) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith(f"Siden \"{TITLE}\" er opprettet og publisert.")
    assert "Vis publisert" in messages[0]

    page = PracticePage.objects.get(slug=SLUG)
    assert page.live
    assert page.get_parent().pk == practice_index.pk
    assert page.owner.username == "kari.nordmann"

    public = editor_client.get("/praksiseksempler/boligkontakt-for-unge-i-bodo/")
    assert public.status_code == 200
    soup = soup_of(public)
    text = soup.get_text(" ", strip=True)

    assert soup.find("h1").get_text(strip=True) == TITLE
    assert "NAV Bodø ga unge i midlertidig botilbud en fast boligkontakt" in text
    shown = facts(soup)
    assert shown["Ansvarlig aktør"] == "Bodø kommune"
    assert shown["Ansvarlig enhet"] == "NAV Bodø og Eiendomskontoret"
    assert shown["Fylke"] == "Nordland"
    assert shown["Periode"] == "2021–2023"
    assert shown["Status"] == "Videreført"
    # Derived from Bodø's population, not typed in.
    assert shown["Kommunestørrelse"] == "Stor (20 000 innbyggere eller flere)"
    assert shown["Dokumentasjonsnivå"].startswith("Evaluert")

    assert "Unge under 30 år i midlertidig botilbud fikk en boligkontakt" in text
    assert "28 av 35 unge flyttet inn i egen bolig." in text

    steps = soup.select("ol li h3")
    assert len(steps) == 2
    step_words = [step.get_text(" ", strip=True).replace(":", " ").split() for step in steps]
    assert step_words == [
        ["Trinn", "1", "Kartlegging", "av", "boligbehov"],
        ["Trinn", "2", "Fast", "boligkontakt"],
    ]
    assert "NAV kartla alle unge i midlertidig botilbud." in text
    assert "Hver ungdom fikk én boligkontakt som ble med på visninger." in text

    law_links = [a for a in soup.find_all("a", href=True) if "lovdata.no" in a["href"]]
    assert len(law_links) == 1
    assert unquote(law_links[0]["href"]) == "https://lovdata.no/lov/2009-12-18-131/§27"
    assert law_links[0].get_text(strip=True) == "sosialtjenesteloven § 27"
    assert "§ 27" in shown["Lovgrunnlag"]

    assert "Én fast kontaktperson." in text and "Ungdommene slapp å gjenta historien sin." in text
    assert "For få små, rimelige utleieboliger." in text
    chips = {li.get_text(strip=True) for li in soup.select("ul.tags li")}
    assert {"boligkontakt", "unge", "midlertidig botilbud", "Tett oppfølging"} <= chips


def test_created_practice_is_stored_with_every_field(editor_client, practice_index):
    editor_client.post(add_url(practice_index), practice_form_data())

    page = PracticePage.objects.get(slug=SLUG)
    assert page.summary.startswith("NAV Bodø ga unge")
    assert [m.name for m in page.municipalities.all()] == ["Bodø"]
    assert page.county.name == "Nordland"
    assert (page.period_start, page.period_end, page.period_ongoing) == (2021, 2023, False)
    assert page.status == "viderefort"
    assert page.municipality_size == "stor"
    assert [block.value["title"] for block in page.steps] == ["Kartlegging av boligbehov", "Fast boligkontakt"]
    assert "NAV kartla alle unge" in page.steps[0].value["text"].source
    assert [ref.provision.label for ref in page.legal_references.all()] == ["sosialtjenesteloven § 27"]
    assert [item.value["statement"] for item in page.success_factors] == ["Én fast kontaktperson."]
    assert [item.value["statement"] for item in page.challenges] == ["For få små, rimelige utleieboliger."]
    assert sorted(page.tags.names()) == ["boligkontakt", "midlertidig botilbud", "unge"]
    assert [t.slug for t in page.themes.all()] == ["tett-oppfolging"]
    assert page.evidence_level == "evaluert"
    assert page.get_latest_revision().user.username == "kari.nordmann"


def test_period_ending_before_it_starts_is_refused_in_norwegian(editor_client, practice_index):
    before = PracticePage.objects.count()
    response = editor_client.post(add_url(practice_index), practice_form_data(period_start="2023", period_end="2021"))

    assert response.status_code == 200  # the form again, not a redirect
    assert "Sluttåret kan ikke være før startåret." in response.content.decode()
    assert PracticePage.objects.count() == before
    assert not PracticePage.objects.filter(slug=SLUG).exists()
    # What the editor typed is kept.
    assert soup_of(response).find("input", attrs={"name": "title"})["value"] == TITLE


def test_ongoing_work_with_an_end_year_is_refused(editor_client, practice_index):
    data = practice_form_data(period_ongoing="on", status="pagar")
    response = editor_client.post(add_url(practice_index), data)
    assert response.status_code == 200
    assert "Et arbeid som pågår, har ikke sluttår." in response.content.decode()
    assert not PracticePage.objects.filter(slug=SLUG).exists()


def test_editor_may_not_add_practices_elsewhere(editor_client, db):
    reports = ReportIndexPage.objects.get()
    response = editor_client.post(add_url(reports), practice_form_data(), follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    messages = [str(m).strip() for m in response.context["messages"]]
    assert messages == ["Beklager, du har ikke tilgang på dette området."]
    assert not PracticePage.objects.filter(slug=SLUG).exists()


# --- The forms are in Norwegian ---------------------------------------------------------------


def test_add_form_renders_in_norwegian(editor_client, practice_index):
    response = editor_client.get(add_url(practice_index))
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("html")["lang"] == "nb"
    html = response.content.decode()
    assert "Lagre kladd" in html  # Wagtail's «Save draft» in bokmål
    assert "Publiser" in html
    assert "Save draft" not in html
    labels = {label.get_text(" ", strip=True).rstrip(" *") for label in soup.find_all("label")}
    expected = ["Tittel", "Ingress", "Ansvarlig enhet", "Fylke", "Startår", "Sluttår", "Stikkord"]
    expected += ["Dokumentasjonsnivå"]
    for label in expected:
        assert label in labels, f"feltet «{label}» mangler i skjemaet"
    headings = {h.get_text(" ", strip=True) for h in soup.find_all(["h2", "h3"])}
    assert {"Lovgrunnlag", "Hvem, hvor og når", "Trinn", "Suksessfaktorer"} <= headings
    # A tab's text ends with its (empty) error counter: «Innhold ( )».
    tabs = {a.get_text(" ", strip=True).split(" (")[0] for a in soup.select("[role=tab]")}
    assert {"Innhold", "Klassifisering og kilde", "Publisering"} <= tabs


def test_edit_form_of_a_seed_practice_renders_in_norwegian_with_its_values(editor_client, tromso):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[tromso.pk]))
    assert response.status_code == 200
    soup = soup_of(response)
    html = response.content.decode()
    assert "Lagre kladd" in html
    assert "Ansvarlig enhet" in html and "Lovgrunnlag" in html
    assert soup.find("input", attrs={"name": "responsible_unit"})["value"] == "NAV Tromsø og Boligkontoret"
    assert soup.find("input", attrs={"name": "legal_references-TOTAL_FORMS"})["value"] == "4"
    assert soup.find("input", attrs={"name": "period_start"})["value"] == "2013"


def test_editor_changes_a_seed_practice_and_the_public_page_follows(editor_client, oksnes):
    data = edit_form_data(editor_client, oksnes)
    data["responsible_unit"] = "NAV Øksnes og Vesterålen"
    data["action-publish"] = "action-publish"
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[oksnes.pk]), data)
    assert response.status_code == 302, soup_of(response).select(".error-message, .help-critical")

    public = soup_of(editor_client.get(oksnes.url))
    assert facts(public)["Ansvarlig enhet"] == "NAV Øksnes og Vesterålen"
    oksnes.refresh_from_db()
    assert [ref.provision.label for ref in oksnes.legal_references.all()] == ["boligsosialloven § 6"]
    assert len(oksnes.steps) == len(PracticePage.objects.get(pk=oksnes.pk).steps)


# --- Taxonomies ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model_name, heading, example",
    [
        ("law", "Lover", "sosialtjenesteloven"),
        ("county", "Fylker", "Troms og Finnmark"),
        ("municipality", "Kommuner", "Øksnes"),
        ("theme", "Temaer", "Tett oppfølging"),
        ("targetgroup", "Målgrupper", "Bostedsløse"),
        ("fundingsource", "Finansieringskilder", "Husbanken"),
    ],
)
def test_taxonomy_snippet_lists_render(admin_client_nb, model_name, heading, example):
    url = reverse(f"wagtailsnippets_practices_{model_name}:list")
    response = admin_client_nb.get(url)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("h1").get_text(" ", strip=True) == heading
    # The registers are long (479 municipalities); the editor finds a row by searching the list.
    found = admin_client_nb.get(url, {"q": example[:4]})
    assert found.status_code == 200
    assert example in soup_of(found).get_text(" ", strip=True)


def menu_items(items):
    """(label, url or children) for the admin's sidebar menu, from its JSON props."""
    for item in items:
        options = item["_args"][0]
        if item["_type"] == "wagtail.sidebar.SubMenuItem":
            yield options["label"], dict(menu_items(item["_args"][1]))
        else:
            yield options["label"], options.get("url")


def test_taxonomies_are_grouped_in_the_admin_menu(admin_client_nb):
    response = admin_client_nb.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    props = json.loads(soup_of(response).find("script", id="wagtail-sidebar-props").string)
    main_menu = next(module for module in props["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule")
    menu = dict(menu_items(main_menu["_args"][0]))
    assert menu["Taksonomier"] == {
        "Lover": "/admin/snippets/practices/law/",
        "Temaer": "/admin/snippets/practices/theme/",
        "Målgrupper": "/admin/snippets/practices/targetgroup/",
        "Fylker": "/admin/snippets/practices/county/",
        "Kommuner": "/admin/snippets/practices/municipality/",
        "Finansieringskilder": "/admin/snippets/practices/fundingsource/",
    }
