"""«Varsle meg om nye treff»: subscribing to a search with an e-mail address, the confirmation
link (double opt-in), the alert after a new page is published, one-click unsubscribe (RFC 8058),
the page of an address's subscriptions, and ``send_alerts`` sending once however often it runs.

Everything goes through the Django test client, the real background e-mail path (a task per
message, delivered to Django's outbox) and the real management command."""

import re
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.models import PracticePage
from search.alerts.models import Subscription
from search.alerts.queries import normalise_querydict
from tests.factories import PracticePageFactory

TAG = "varselprøve"
SEARCH = f"/varsler/ny/?tag={TAG}&q=bolig"
LINK_RE = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def links(message):
    return LINK_RE.findall(message.body)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def subscribe(client, email="saksbehandler@kommune.no", frequency="daily", url=SEARCH, **extra):
    return client.post(url, {"email": email, "frequency": frequency, **extra})


def confirm_from(client, message):
    confirm_url = next(u for u in links(message) if "/varsler/bekreft/" in u)
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200
    assert "Bekreft varselet" in page.content.decode()
    return client.post(path_of(confirm_url))


def publish_new_practice(title, tags=(TAG,), capture=None):
    """A practice made as a draft and published through Wagtail's real publishing (signals index it)."""
    page = PracticePageFactory(title=title, tags=list(tags), live=False)
    with capture(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def send(frequency="daily"):
    out = StringIO()
    call_command("send_alerts", "--frequency", frequency, stdout=out)
    return out.getvalue()


def test_subscribe_confirm_alert_and_one_click_unsubscribe(client, background_mail, django_capture_on_commit_callbacks):
    form = client.get(SEARCH)
    assert form.status_code == 200
    assert "Varsle meg om nye treff" in form.content.decode()
    assert "«bolig»" in form.content.decode()

    response = subscribe(client)
    assert response.status_code == 200
    assert "Sjekk e-posten din" in response.content.decode()
    subscription = Subscription.objects.get(email="saksbehandler@kommune.no")
    assert subscription.query == urlencode([("q", "bolig"), ("tag", TAG)])  # text first, then facets in order
    assert not subscription.confirmed
    assert len(background_mail) == 1
    confirmation = background_mail[0]
    assert confirmation.subject == "Bekreft varsel om nye treff i Kunnskapsbase"
    assert confirmation.to == ["saksbehandler@kommune.no"]

    # Nothing is sent before the address is confirmed, even when something new matches.
    publish_new_practice("Bolig først i Bodø før bekreftelsen", capture=django_capture_on_commit_callbacks)
    assert "0 e-poster sendt" in send()
    assert len(background_mail) == 1

    confirmed = confirm_from(client, confirmation)
    assert "Varselet er bekreftet" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed and subscription.frequency == "daily"

    new = publish_new_practice("Boligkontor i Narvik etter bekreftelsen", capture=django_capture_on_commit_callbacks)
    unrelated = publish_new_practice(
        "Bolig uten stikkordet", tags=("annet-stikkord",), capture=django_capture_on_commit_callbacks
    )
    output = send()
    assert "1 e-poster sendt" in output and "Ferdig:" in output
    assert len(background_mail) == 2
    alert = background_mail[1]
    assert new.title in alert.body and f"http://testserver{new.url}" in alert.body
    assert "(ny)" in alert.body
    assert unrelated.title not in alert.body
    assert "Bolig først i Bodø før bekreftelsen" not in alert.body  # published before confirming
    unsubscribe_url = alert.extra_headers["List-Unsubscribe"].strip("<>")
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in alert.body
    assert any("/varsler/mine/" in u for u in links(alert))
    subscription.refresh_from_db()
    assert subscription.last_sent_pages == [new.pk]

    # Safe to run twice: nothing new, nothing sent.
    assert "0 e-poster sendt" in send()
    assert len(background_mail) == 2

    # One click: the mail client POSTs without a session or CSRF token.
    from django.test import Client

    one_click = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe_url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    assert "Varselet er avsluttet" in one_click.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    publish_new_practice("Boligsosial plan etter avmelding", capture=django_capture_on_commit_callbacks)
    assert "0 varsler sjekket" in send()
    assert len(background_mail) == 2


def test_an_updated_page_is_sent_as_updated_and_weekly_is_separate(
    client, background_mail, django_capture_on_commit_callbacks
):
    subscribe(client, email="ukentlig@kommune.no", frequency="weekly")
    confirm_from(client, background_mail[0])
    old = PracticePage.objects.live().get(slug="fra-bostedslos-til-beboer")
    old.tags.add(TAG)
    with django_capture_on_commit_callbacks(execute=True):
        old.save_revision().publish()  # republished: updated content
    assert "0 varsler sjekket" in send("daily")
    assert len(background_mail) == 1
    assert "1 e-poster sendt" in send("weekly")
    alert = background_mail[1]
    assert old.title in alert.body and "(oppdatert)" in alert.body
    assert "ukentlig" in alert.body
    assert "0 e-poster sendt" in send("weekly")


def test_honeypot_stores_and_sends_nothing(client, background_mail):
    response = subscribe(client, email="robot@example.com", nettsted="http://spam.example")
    assert response.status_code == 200  # a bot learns nothing
    assert not Subscription.objects.filter(email="robot@example.com").exists()
    assert background_mail == []


def test_subscribe_requests_are_throttled_per_address(client, background_mail):
    for _ in range(5):
        assert subscribe(client, email="mange@kommune.no").status_code == 200
    response = subscribe(client, email="mange@kommune.no")
    assert response.status_code == 429
    assert "For mange forsøk" in response.content.decode()
    assert len(background_mail) == 5


def test_subscribe_requests_are_throttled_per_ip(client, background_mail):
    statuses = [subscribe(client, email=f"person{n}@kommune.no").status_code for n in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert Subscription.objects.filter(email__startswith="person").count() == 20


def test_invalid_address_gives_a_norwegian_message_and_stores_nothing(client, background_mail):
    response = subscribe(client, email="ikke-en-adresse")
    assert response.status_code == 400
    assert "Skriv en gyldig e-postadresse" in response.content.decode()
    assert Subscription.objects.count() == 0 and background_mail == []


def test_a_bad_search_cannot_be_followed(client, background_mail):
    response = subscribe(client, url="/varsler/ny/?year=tusen")
    assert response.status_code == 400
    assert "er ikke et årstall" in response.content.decode()
    assert Subscription.objects.count() == 0


def test_altered_links_are_refused(client, background_mail):
    subscribe(client)
    confirm_url = path_of(next(u for u in links(background_mail[0]) if "/bekreft/" in u))
    for bad in (confirm_url[:-3] + "xx/", "/varsler/avmeld/abc/", "/varsler/mine/abc:def/"):
        response = client.post(bad)
        assert response.status_code == 400, bad
        assert "Lenken er ugyldig eller utløpt" in response.content.decode()
    assert not Subscription.objects.get().confirmed


def test_manage_page_lists_and_ends_all_subscriptions_of_an_address(client, background_mail):
    subscribe(client, email="leder@kommune.no")
    subscribe(client, email="leder@kommune.no", url="/varsler/ny/?county=nordland")
    subscribe(client, email="annen@kommune.no")
    confirm_from(client, background_mail[0])
    Subscription.objects.filter(email="leder@kommune.no").update(last_checked_at=None)
    from search.alerts.mail import manage_url

    page = client.get(path_of(manage_url("leder@kommune.no")))
    text = page.content.decode()
    assert page.status_code == 200
    assert "«bolig»" in text and "Fylke: Nordland" in text
    assert "venter på bekreftelse" in text
    assert "annen@kommune.no" not in text
    ended = client.post(path_of(manage_url("leder@kommune.no")))
    assert "Alle varslene er avsluttet" in ended.content.decode()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["annen@kommune.no"]


def test_the_same_search_written_differently_is_one_subscription(client, background_mail):
    subscribe(client, url="/varsler/ny/?tag=b&tag=a&q=bolig&sort=title&page=3")
    subscribe(client, url="/varsler/ny/?q=bolig&tag=a&tag=b")
    assert list(Subscription.objects.values_list("query", flat=True)) == ["q=bolig&tag=a&tag=b"]


def test_listings_link_to_the_alert_of_their_own_search(client, db):
    html = client.get("/stikkord/depositumgaranti/?county=nordland").content.decode()
    assert 'href="/varsler/ny/?tag=depositumgaranti&amp;county=nordland"' in html
    html = client.get("/praksiseksempler/?q=bolig").content.decode()
    assert 'href="/varsler/ny/?q=bolig&amp;type=praksis"' in html


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(["q", "tag", "county", "law", "year", "size", "type", "sort", "page", "x"]),
            st.text(max_size=40),
        ),
        max_size=6,
    ),
    email=st.text(max_size=60),
    frequency=st.text(max_size=10),
)
def test_bad_input_never_gives_a_server_error(params, email, frequency):
    from django.test import Client

    cache.clear()
    query = urlencode(params)
    client = Client()
    for response in (
        client.get(f"/varsler/ny/?{query}"),
        client.post(f"/varsler/ny/?{query}", {"email": email, "frequency": frequency}),
        client.get(f"/varsler/bekreft/{email.replace('/', '') or 'x'}/"),
        client.post(f"/varsler/avmeld/{email.replace('/', '') or 'x'}/"),
    ):
        assert response.status_code < 500


def test_normalise_is_stable():
    from django.http import QueryDict

    assert normalise_querydict(QueryDict("county=Nordland&q=  bolig  ")) == "q=bolig&county=nordland"
    assert normalise_querydict(QueryDict("")) == ""
