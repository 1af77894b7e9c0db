"""What ``bootstrap`` creates for the site itself, only when it is missing: the pages about the
site (about, contact, privacy, accessibility statement), the site-wide texts, and the Wagtail
Site's address.

An editor's work is never overwritten: a page is created only if no page of its kind (or with
its slug) exists, and a site text is filled only while it is empty. The Site's address follows
``settings.SITE_URL`` when it was set explicitly (SITE_URL or WAGTAILADMIN_BASE_URL); otherwise
only a Site still on Wagtail's placeholder address (localhost:80) gets the default address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from .models import AccessibilityStatementPage, HomePage, InfoPage, SiteTexts

PLACEHOLDER_ADDRESS = ("localhost", 80)

ORGANISATION = "Kunnskapsbase for boligsosialt arbeid"
FOOTER_TEXT = (
    "<p>Kunnskapsbase samler praksiseksempler, rapporter og artikler om boligsosialt arbeid og oppfølging "
    "i NAV og kommunene.</p>"
)
TAGLINE = "Gode eksempler på boligsosialt arbeid"

INFO_PAGES = [
    (
        "about_page",
        "om",
        "Om Kunnskapsbase",
        "Hva kunnskapsbasen er, hvem som står bak, og hvordan innholdet blir til.",
        "<p>Kunnskapsbasen samler eksempler på hvordan kommuner og NAV-kontor har arbeidet med boligsosiale "
        "oppgaver: praksiseksempler, rapporter og artikler. Eksemplene viser hvordan andre har gjort det; de er "
        "ikke anbefalinger.</p><p>Innholdet blir skrevet og godkjent av redaksjonen før det publiseres.</p>",
    ),
    (
        "contact_page",
        "kontakt",
        "Kontakt",
        "Slik kommer du i kontakt med redaksjonen.",
        "<p>Har du spørsmål om innholdet, et eksempel du vil dele, eller har du funnet en feil? Skriv til "
        "redaksjonen. E-postadressen står nederst på alle sider.</p>",
    ),
    (
        "privacy_page",
        "personvern",
        "Personvern",
        "Hvilke personopplysninger nettstedet behandler, og hvorfor.",
        "<p>Nettstedet bruker ikke sporing eller analyseverktøy fra tredjeparter, og setter ingen "
        "informasjonskapsler for besøkende som ikke logger inn. Redaktører som logger inn, får en "
        "informasjonskapsel for innloggingen.</p><p>Sender du oss e-post, bruker vi opplysningene bare til å "
        "svare deg.</p>",
    ),
]

ACCESSIBILITY = {
    "slug": "tilgjengelighetserklaering",
    "title": "Tilgjengelighetserklæring",
    "summary": "Hvordan nettstedet oppfyller kravene til universell utforming, og hvordan du melder fra om feil.",
    "deviations": "<p>Vi kjenner ikke til avvik fra kravene nå. Finner du noe som ikke virker, vil vi gjerne vite "
    "det.</p>",
    "feedback": "<p>Meld fra til oss om innhold eller funksjoner du ikke får brukt. Vi svarer så snart vi "
    "kan.</p>",
    "enforcement": '<p>Tilsynet for universell utforming av ikt (Uutilsynet) i Digitaliseringsdirektoratet '
    '(Digdir) fører tilsyn med at nettsteder følger kravene. Får du ikke svar fra oss, eller er du ikke fornøyd '
    'med svaret, kan du <a href="https://www.uutilsynet.no/">melde fra til Uutilsynet</a>.</p>',
}


def site_address(url=None):
    """(hostname, port) of an address such as http://127.0.0.1:8000 or https://kb.example.no."""
    parts = urlsplit(url or settings.SITE_URL)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default_port


@transaction.atomic
def ensure_site_address():
    """Point the default Site at SITE_URL. Returns a Norwegian line saying what was done."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "Ingen standard-Site å oppdatere"
    wanted = site_address()
    current = (site.hostname, site.port)
    if current == wanted:
        return f"Adressen er {site.root_url}"
    if not settings.SITE_URL_FROM_ENV and current != PLACEHOLDER_ADDRESS:
        return f"Adressen {site.root_url} er endret i admin og beholdes (sett SITE_URL for å endre den)"
    site.hostname, site.port = wanted
    site.save()
    return f"Adressen er satt til {site.root_url}"


def _publish(page):
    """Published as an editor would: a revision with its date, so the page says when it was updated."""
    page.save_revision().publish()
    return page


@transaction.atomic
def ensure_site_pages():
    """Create the missing info pages and fill empty site texts. Returns the number of pages created."""
    home = HomePage.objects.first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None or site is None:
        return 0
    texts = SiteTexts.for_site(site)
    created = 0
    children = {page.slug: page for page in home.get_children()}
    for field, slug, title, summary, body in INFO_PAGES:
        page = getattr(texts, field) or children.get(slug)
        if page is None:
            page = _publish(home.add_child(instance=InfoPage(title=title, slug=slug, summary=summary, body=body)))
            created += 1
        if not getattr(texts, f"{field}_id"):
            setattr(texts, field, page)
    statement = texts.accessibility_page or AccessibilityStatementPage.objects.first()
    if statement is None:
        statement = _publish(
            home.add_child(instance=AccessibilityStatementPage(statement_date=timezone.localdate(), **ACCESSIBILITY))
        )
        created += 1
    if not texts.accessibility_page_id:
        texts.accessibility_page = statement
    for field, value in (("organisation_name", ORGANISATION), ("footer_text", FOOTER_TEXT), ("tagline", TAGLINE)):
        if not getattr(texts, field):
            setattr(texts, field, value)
    texts.save()
    return created
