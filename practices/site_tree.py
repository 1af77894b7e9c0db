"""Creating the site's page tree: the home page and the index pages for practices, reports
and articles, under Wagtail's root, with the default Site pointing at the home page."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import ArticleIndexPage, HomePage, PracticeIndexPage, ReportIndexPage

SECTIONS = [
    (PracticeIndexPage, "praksiseksempler", "Praksiseksempler",
     "<p>Slik har kommuner og NAV-kontor løst boligsosiale oppgaver. Eksemplene viser hvordan andre har jobbet; "
     "de er ikke anbefalinger.</p>"),
    (ReportIndexPage, "rapporter", "Rapporter", "<p>Prosjektrapporter, erfaringsrapporter og sluttrapporter.</p>"),
    (ArticleIndexPage, "artikler", "Artikler", "<p>Fagartikler og aktuelt om boligsosialt arbeid.</p>"),
]


@transaction.atomic
def ensure_site_tree(hostname="localhost", port=80):
    """Create what is missing; returns the number of pages created."""
    created = 0
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Kunnskapsbase for boligsosialt arbeid",
                slug="forside",
                intro="<p>Gode eksempler fra kommuner og NAV-kontor: finn ut hvordan andre har løst det.</p>",
            )
        )
        created += 1

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="Kunnskapsbase"
        )
    elif site.root_page_id != home.pk or site.site_name != "Kunnskapsbase":
        site.root_page = home
        site.site_name = "Kunnskapsbase"
        site.save()

    # Wagtail's migrations create a placeholder «Welcome» page; retire it once the site points at ours.
    for placeholder in root.get_children().exact_type(Page):
        placeholder.delete()

    for model, slug, title, intro in SECTIONS:
        if not model.objects.exists():
            home.add_child(instance=model(title=title, slug=slug, intro=intro))
            created += 1
    return created
