"""The public pages of the alerts: subscribe to a search, confirm, unsubscribe, and see and end
all the subscriptions of one address. No account: every link is signed (alerts/tokens.py).

The search followed is read from the address's query string with the same parameters as /sok/
(``q``, ``tag``, ``county`` …), so a listing links here with its own search.
"""

import logging

from django.db import IntegrityError, transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from search.params import ParameterError

from . import mail, throttle, tokens
from .forms import SubscribeForm
from .models import Frequency, Subscription
from .queries import describe, normalise_querydict

logger = logging.getLogger(__name__)

MAX_SUBSCRIPTIONS_PER_ADDRESS = 50
MAX_QUERY_LENGTH = Subscription._meta.get_field("query").max_length
BAD_LINK = "Lenken er ugyldig eller utløpt. Kopier hele lenken fra e-posten, eller meld deg på igjen fra søket."


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


def _message(request, title, text, status=200, **extra):
    return render(request, "alerts/message.html", {"title": title, "text": text, **extra}, status=status)


@never_cache
def subscribe(request):
    """/varsler/ny/?<søk>: the form (GET) and the subscription request (POST)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    try:
        query = normalise_querydict(request.GET, strict=True)
    except ParameterError as error:
        return _message(request, "Søket kan ikke følges", f"Søket kunne ikke leses: {error.message}", status=400)
    if len(query) > MAX_QUERY_LENGTH:
        return _message(request, "Søket kan ikke følges", "Søket er for langt til å lagres som varsel.", status=400)
    context = {"query": query, "search": describe(query), "search_url": mail.search_path(query)}
    if request.method != "POST":
        return render(request, "alerts/subscribe.html", {"form": SubscribeForm(), **context})

    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form, **context}, status=400)
    email, frequency = form.cleaned_data["email"], form.cleaned_data["frequency"]
    if form.is_bot:  # looks like success, stores and sends nothing
        return render(request, "alerts/check_email.html", {"email": email, **context})
    if not throttle.allow(email, _client_ip(request)):
        return _message(
            request,
            "For mange forsøk",
            "Det er sendt for mange påmeldinger herfra eller til denne adressen. Prøv igjen om en time.",
            status=429,
        )
    existing = Subscription.objects.filter(email=email)
    if existing.count() >= MAX_SUBSCRIPTIONS_PER_ADDRESS and not existing.filter(query=query).exists():
        return _message(
            request,
            "For mange varsler",
            f"En adresse kan følge høyst {MAX_SUBSCRIPTIONS_PER_ADDRESS} søk. Avslutt noen av dem først.",
            status=400,
        )
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.get_or_create(
                email=email, query=query, defaults={"frequency": frequency}
            )
            if not subscription.confirmed and subscription.frequency != frequency:
                subscription.frequency = frequency
                subscription.save(update_fields=["frequency"])
            mail.confirmation_message(subscription, frequency).send()
    except IntegrityError:  # the same request twice at once: the other one sends the e-mail
        logger.info("Påmelding til varsel sendt to ganger samtidig")
    return render(request, "alerts/check_email.html", {"email": email, **context})


@never_cache
def confirm(request, token):
    """/varsler/bekreft/<token>/: a button (GET) that confirms the subscription (POST)."""
    try:
        pk, frequency = tokens.read_confirm_token(token)
        subscription = Subscription.objects.filter(pk=pk).first()
        Frequency(frequency)
    except (tokens.BadToken, ValueError):
        subscription = None
    if subscription is None:
        return _message(request, "Ugyldig lenke", BAD_LINK, status=400)
    context = {
        "subscription": subscription,
        "search": describe(subscription.query),
        "search_url": mail.search_path(subscription.query),
        "frequency": Frequency(frequency).label.lower(),
    }
    if request.method == "POST":
        subscription.frequency = frequency
        if not subscription.confirmed:
            subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["frequency", "confirmed_at"])
        return render(request, "alerts/confirmed.html", {**context, "manage_url": mail.manage_path(subscription.email)})
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(request, "alerts/confirm.html", context)


@csrf_exempt  # RFC 8058: the mail client POSTs «List-Unsubscribe=One-Click» without a session
@never_cache
def unsubscribe(request, token):
    """/varsler/avmeld/<token>/: a button (GET); POST ends the subscription at once."""
    try:
        pk, email = tokens.read_unsubscribe_token(token)
    except tokens.BadToken:
        return _message(request, "Ugyldig lenke", BAD_LINK, status=400)
    subscription = Subscription.objects.filter(pk=pk, email=email).first()
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return _message(
            request,
            "Varselet er avsluttet",
            "Du får ikke flere e-poster om dette søket. Adressen og søket er slettet.",
            manage_url=mail.manage_path(email),
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if subscription is None:
        return _message(request, "Varselet er allerede avsluttet", "Du får ikke flere e-poster om dette søket.")
    return render(
        request,
        "alerts/unsubscribe.html",
        {"subscription": subscription, "search": describe(subscription.query), "token": token},
    )


@never_cache
def manage(request, token):
    """/varsler/mine/<token>/: every subscription of one address, each with its own «Avslutt»
    button, and «Avslutt alle» (POST)."""
    try:
        email = tokens.read_manage_token(token)
    except tokens.BadToken:
        return _message(request, "Ugyldig lenke", BAD_LINK, status=400)
    subscriptions = Subscription.objects.filter(email=email).order_by("created_at", "pk")
    if request.method == "POST":
        deleted = subscriptions.delete()[0]
        return _message(
            request,
            "Alle varslene er avsluttet",
            f"{deleted} varsler er slettet. Du får ingen flere e-poster fra oss om nye treff.",
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    rows = [
        {
            "subscription": s,
            "search": describe(s.query),
            "search_url": mail.search_path(s.query),
            "unsubscribe_token": tokens.unsubscribe_token(s),
        }
        for s in subscriptions
    ]
    return render(request, "alerts/manage.html", {"email": email, "rows": rows})
