"""The public pages of «Del ditt eksempel»: the steps, the «check your e-mail» page and the
confirmation link.

Progress lives in the visitor's session (server-side; the cookie only carries the signed session
key): each step posts, is checked and stored there, so a reload or the back button loses nothing
and no JavaScript is needed. Nothing is written to the submissions until the last step is valid
and passes the spam checks (honeypot, fill time, throttling); then the submission waits for the
e-mail address to be confirmed through a signed link that expires. Only the confirmation (a POST
from the link's page, so mail scanners that open links confirm nothing) makes it a draft page.
"""

import time

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..models import LegalProvision, Municipality, Submission, SubmissionFile, SubmissionStatus
from . import drafts, notify, throttle
from .forms import STEP_BY_SLUG, STEPS, TEXT_STEPS, SendForm, as_post_data, consent_text, describe, initial_from

SESSION_KEY = "del_ditt_eksempel"
CONFIRM_SALT = "practices.submissions.confirm"
TOO_FAST_MESSAGE = (
    "Skjemaet ble sendt inn uvanlig raskt, og vi må være sikre på at du ikke er en robot. "
    "Se over svarene og send inn på nytt."
)


def _state(request):
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("answers"), dict):
        state = {"started": time.time(), "answers": {}}
    return state


def _save_state(request, state):
    request.session[SESSION_KEY] = state
    request.session.modified = True


def _first_missing(state, before):
    """The first step before ``before`` that has not been filled in (None if all have)."""
    for step in STEPS:
        if step.slug == before:
            return None
        if step.slug not in state["answers"]:
            return step
    return None


def start(request):
    state = _state(request)
    return render(
        request,
        "contribute/start.html",
        {"steps": STEPS, "started": bool(state["answers"]), "consent_text": consent_text()},
    )


def _context(step, form, state, **extra):
    number = STEPS.index(step) + 1
    previous = STEPS[number - 2] if number > 1 else None
    describe(form)
    return {
        "step": step,
        "steps": STEPS,
        "number": number,
        "form": form,
        "previous": previous,
        "answers": state["answers"],
        **extra,
    }


@require_http_methods(["GET", "POST"])
def step_view(request, slug):
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404("Steget finnes ikke.")
    state = _state(request)
    missing = _first_missing(state, step.slug)
    if missing is not None:
        return redirect("contribute:step", slug=missing.slug)
    if step.form_class is SendForm:
        return _send_step(request, step, state)
    if request.method == "POST":
        form = step.form_class(request.POST)
        if form.is_valid():
            state["answers"][step.slug] = form.stored_data()
            _save_state(request, state)
            return redirect("contribute:step", slug=STEPS[STEPS.index(step) + 1].slug)
    else:
        if SESSION_KEY not in request.session:
            _save_state(request, state)  # the fill time counts from the first step shown
        form = step.form_class(initial=initial_from(state["answers"].get(step.slug)))
    return render(request, "contribute/step.html", _context(step, form, state))


def _validated_steps(state):
    """Every text step checked again, as it will be stored (None if one no longer validates)."""
    cleaned = {}
    for step in TEXT_STEPS:
        form = step.form_class(as_post_data(state["answers"].get(step.slug)))
        if not form.is_valid():
            return None, step
        cleaned.update(form.cleaned_data)
    return cleaned, None


def _summary(state):
    """What the visitor has written so far, to read through before sending."""
    rows = []
    for step in TEXT_STEPS:
        form = step.form_class(as_post_data(state["answers"].get(step.slug)))
        form.is_valid()
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
            if name == "municipality" and value:
                value = Municipality.objects.filter(pk=value).values_list("name", flat=True).first()
            elif name == "provisions":
                chosen = LegalProvision.objects.filter(pk__in=value or []).select_related("law")
                value = ", ".join(str(provision) for provision in chosen)
            if value:
                rows.append((step, field.label, value))
    return rows


def _send_step(request, step, state):
    if request.method != "POST":
        form = SendForm()
        return render(request, "contribute/step.html", _context(step, form, state, summary=_summary(state)))

    form = SendForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "contribute/step.html", _context(step, form, state, summary=_summary(state)))
    if form.cleaned_data.get("website"):
        # A robot filled in the hidden field: it is told what a person would be, and nothing is kept.
        request.session.pop(SESSION_KEY, None)
        return redirect("contribute:sent")
    cleaned, broken = _validated_steps(state)
    if broken is not None:
        return redirect("contribute:step", slug=broken.slug)
    if time.time() - float(state.get("started") or 0) < settings.SUBMISSION_MIN_FILL_SECONDS:
        form.add_error(None, TOO_FAST_MESSAGE)
        state["started"] = time.time()
        _save_state(request, state)
        return render(request, "contribute/step.html", _context(step, form, state, summary=_summary(state)))
    if not throttle.allow(request, cleaned["email"]):
        form.add_error(None, throttle.LIMIT_MESSAGE)
        return render(request, "contribute/step.html", _context(step, form, state, summary=_summary(state)))

    submission = _store(cleaned, form.cleaned_data["attachments"])
    token = signing.dumps({"id": submission.pk, "email": submission.email}, salt=CONFIRM_SALT)
    notify.send_confirmation(submission, request.build_absolute_uri(reverse("contribute:confirm", args=[token])))
    request.session.pop(SESSION_KEY, None)
    request.session["del_ditt_eksempel_sendt"] = submission.email
    return redirect("contribute:sent")


TEXT_ANSWERS = (
    "summary", "background", "goals", "steps", "user_participation", "financing", "resources",
    "results", "success_factors", "challenges", "continuation",
)


@transaction.atomic
def _store(cleaned, attachments):
    submission = Submission.objects.create(
        title=cleaned["title"],
        municipality_id=cleaned["municipality"],
        unit=cleaned["unit"],
        contact_name=cleaned["contact_name"],
        email=cleaned["email"],
        answers={name: cleaned.get(name, "") for name in TEXT_ANSWERS},
    )
    submission.provisions.set(cleaned.get("provisions") or [])
    for checked in attachments:
        SubmissionFile.objects.create(
            submission=submission, filename=checked.filename, kind=checked.kind, size=len(checked.data),
            data=checked.data,
        )
    return submission


def sent(request):
    return render(request, "contribute/sent.html", {"email": request.session.get("del_ditt_eksempel_sendt", "")})


def _from_token(token):
    """The unconfirmed or confirmed submission a link names, or the reason it cannot be used."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.SUBMISSION_CONFIRM_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        return None, "Lenken er for gammel. Send inn eksempelet på nytt."
    except signing.BadSignature:
        return None, "Lenken er ikke gyldig. Sjekk at du har fått med hele lenken fra e-posten."
    submission = Submission.objects.filter(pk=data.get("id"), email=data.get("email")).first() if isinstance(
        data, dict
    ) else None
    if submission is None or not submission.email:
        return None, "Vi finner ikke denne innsendingen. Den kan være slettet; send inn eksempelet på nytt."
    return submission, ""


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    submission, problem = _from_token(token)
    if submission is None:
        return render(request, "contribute/confirm.html", {"problem": problem}, status=400)
    if submission.status != SubmissionStatus.UNCONFIRMED:
        return render(request, "contribute/confirmed.html", {"submission": submission, "again": True})
    if request.method == "POST":
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            created = locked.status == SubmissionStatus.UNCONFIRMED
            if created:
                drafts.create_draft(locked)
        if created:  # committed: the e-mail (background tasks) can only tell what exists
            _after_confirmation(locked.pk)
        return redirect("contribute:confirmed")
    return render(
        request, "contribute/confirm.html", {"submission": submission, "sections": notify.answer_sections(submission)}
    )


def _after_confirmation(pk):
    submission = Submission.objects.select_related("municipality").get(pk=pk)
    notify.send_receipt(submission)
    notify.notify_approvers(submission)


def confirmed(request):
    return render(request, "contribute/confirmed.html", {})
