"""The steps of «Del ditt eksempel», following the practice template, and their checks.

Each step is a plain Django form; ``STEPS`` gives their order, address and heading. Every text
field has a Norwegian label, a help text saying what a good answer looks like with an example
from the seed content (Nav Øksnes' practice with depositumgaranti), a length limit and Norwegian
error messages; ``SubmissionStepForm.clean`` refuses national identity numbers in any text field
(the editorial check of practices/personal_data.py), so they are never stored. ``stored_data``
and ``initial_from`` turn a valid step into what the session keeps and back.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import validators

from ..models import LegalProvision, Municipality
from ..personal_data import find_in_text
from .files import check_upload, max_size_label

NULL_MESSAGE = "Teksten inneholder et nulltegn som ikke kan lagres. Fjern det og prøv igjen."
IDENTITY_NUMBER_MESSAGE = (
    "Teksten ser ut til å inneholde et fødselsnummer eller D-nummer («{text}»). Personopplysninger skal "
    "ikke være med i et praksiseksempel: fjern nummeret før du går videre."
)
CONSENT_TEXT = (
    "Jeg samtykker i at Kunnskapsbase lagrer det jeg har skrevet og vedleggene for å vurdere og publisere "
    "eksempelet, og navnet og e-postadressen min for å kunne kontakte meg om det. Navn og e-postadresse "
    "publiseres ikke. Ubekreftede innsendinger slettes etter {confirm_days} dager, avviste etter "
    "{rejected_days} dager, og kontaktopplysningene slettes {contact_days} dager etter publisering – eller "
    "tidligere hvis jeg ber om det."
)


def consent_text():
    return CONSENT_TEXT.format(
        confirm_days=settings.SUBMISSION_CONFIRM_DAYS,
        rejected_days=settings.SUBMISSION_REJECTED_RETENTION_DAYS,
        contact_days=settings.SUBMISSION_CONTACT_RETENTION_DAYS,
    )


class TextField(forms.CharField):
    """A text field with Norwegian messages for every rule and an example of a good answer."""

    def __init__(self, label, *, required=False, max_length=4000, rows=5, help_text="", example="", **kwargs):
        widget = forms.TextInput() if rows == 1 else forms.Textarea(attrs={"rows": rows})
        super().__init__(
            label=label,
            required=required,
            max_length=max_length,
            help_text=help_text,
            widget=widget,
            error_messages={"required": f"Fyll inn «{label.lower()}»."},
            **kwargs,
        )
        self.example = example
        self.single_line = rows == 1
        self.validators = [
            validators.ProhibitNullCharactersValidator(message=NULL_MESSAGE),
            validators.MaxLengthValidator(
                max_length,
                message=f"«{label}» kan ha høyst %(limit_value)d tegn; du har skrevet %(show_value)d.",
            ),
        ]


    def to_python(self, value):
        value = super().to_python(value)
        if self.single_line:  # a one-line field (a title goes into e-mail subjects): no line breaks
            value = " ".join(value.split())
        return value


class SubmissionStepForm(forms.Form):
    """A step: refuses identity numbers in its text fields; knows how to store itself."""

    error_css_class = "field--error"

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                for finding in find_in_text(value):
                    if finding.kind == "fødselsnummer":
                        self.add_error(name, IDENTITY_NUMBER_MESSAGE.format(text=finding.text))
                        break
        return cleaned

    def stored_data(self):
        """The valid step as JSON-serialisable values (ids for register rows)."""
        return dict(self.cleaned_data)


def municipality_choices():
    """Today's municipalities, grouped by county, as (county, [(id, name), …])."""
    groups = {}
    municipalities = Municipality.objects.filter(valid_to__isnull=True).select_related("county")
    for municipality in municipalities.order_by("county__name", "name"):
        county = municipality.county.name if municipality.county else "Uten fylke"
        groups.setdefault(county, []).append((str(municipality.pk), municipality.name))
    return [("", "Velg kommune")] + list(groups.items())


def provision_choices():
    """The provisions in force, grouped by law, as (law, [(id, «§ 27 Midlertidig botilbud»), …])."""
    groups = {}
    provisions = LegalProvision.objects.filter(repealed_on__isnull=True).select_related("law")
    for provision in provisions.order_by("law__short_name", "sort_order", "pk"):
        label = f"§ {provision.paragraph}" + (f" {provision.title}" if provision.title else "")
        groups.setdefault(provision.law.short_name[:1].upper() + provision.law.short_name[1:], []).append(
            (str(provision.pk), label)
        )
    return list(groups.items())


class WhoForm(SubmissionStepForm):
    municipality = forms.TypedChoiceField(
        label="Kommune",
        coerce=int,
        help_text="Kommunen som har gjort arbeidet. Listen er ordnet etter fylke.",
        error_messages={
            "required": "Velg kommunen som har gjort arbeidet.",
            "invalid_choice": "Velg en kommune fra listen.",
        },
    )
    unit = TextField(
        "Enhet",
        required=True,
        max_length=200,
        rows=1,
        help_text="Kontoret, tjenesten eller avdelingen som gjorde arbeidet.",
        example="NAV Øksnes",
    )
    contact_name = TextField(
        "Ditt navn",
        required=True,
        max_length=200,
        rows=1,
        help_text="Så redaksjonen kan kontakte deg. Navnet publiseres ikke.",
    )
    email = forms.EmailField(
        label="Din e-postadresse",
        max_length=254,
        help_text="Du får en lenke hit for å bekrefte innsendingen. Adressen publiseres ikke.",
        error_messages={
            "required": "Skriv e-postadressen din.",
            "invalid": "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.",
            "max_length": "E-postadressen kan ha høyst 254 tegn.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipality_choices()
        self.fields["email"].validators = [
            validators.ProhibitNullCharactersValidator(message=NULL_MESSAGE),
            validators.MaxLengthValidator(254, message="E-postadressen kan ha høyst 254 tegn."),
            validators.EmailValidator(message="Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."),
        ]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"


class WhatForm(SubmissionStepForm):
    title = TextField(
        "Tittel",
        required=True,
        max_length=200,
        rows=1,
        help_text="Et kort navn på arbeidet som sier hva det handler om.",
        example="Oppfølging av brukere med depositumgaranti",
    )
    summary = TextField(
        "Kort oppsummering",
        required=True,
        max_length=600,
        rows=3,
        help_text="Én til tre setninger: hvem gjorde hva, for hvem og når.",
        example="I januar 2021 startet Nav Øksnes et treårig prosjekt for å følge opp brukere med depositumgaranti.",
    )
    background = TextField(
        "Bakgrunn",
        help_text="Hvorfor dere startet: behovet eller problemet dere så.",
        example="Mange som fikk depositumgaranti, hadde også vansker med å bo og med å følge opp skole eller jobb.",
    )
    goals = TextField(
        "Mål",
        help_text="Hva dere ville oppnå, helst så konkret at det kan måles.",
        example="Brukerne skal klare å bo i egen leid bolig og få individuelt tilpasset hjelp.",
    )
    steps = TextField(
        "Slik gjorde dere det",
        max_length=8000,
        rows=8,
        help_text="Trinn for trinn: hvem gjorde hva. Skriv ett trinn per avsnitt (tom linje mellom).",
        example="Prosjektmedarbeiderne møter brukerne hjemme, fra to-tre ganger i uken til et par ganger i året.",
    )


class HowForm(SubmissionStepForm):
    provisions = forms.TypedMultipleChoiceField(
        label="Lovgrunnlag",
        coerce=int,
        required=False,
        help_text="Paragrafene arbeidet bygger på. Hold nede Ctrl (Cmd på Mac) for å velge flere. "
        "Eksempel: boligsosialloven § 6.",
        error_messages={"invalid_choice": "Velg lovparagrafer fra listen."},
    )
    user_participation = TextField(
        "Brukermedvirkning",
        help_text="Hvordan brukerne var med og påvirket arbeidet.",
        example="Brukerne var med og bestemte hva hjemmebesøkene skulle handle om.",
    )
    financing = TextField(
        "Finansiering",
        help_text="Hvem betalte: egne midler, tilskudd (fra hvem) eller annet.",
        example="Tilskudd fra Statsforvalteren til to prosjektstillinger.",
    )
    resources = TextField(
        "Ressurser",
        max_length=500,
        rows=2,
        help_text="Bemanning og kostnad.",
        example="To personer ansatt i prosjektet.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provisions"].choices = provision_choices()
        self.fields["provisions"].widget.attrs["size"] = 10


class ResultsForm(SubmissionStepForm):
    results = TextField(
        "Resultater",
        help_text="Hva arbeidet har ført til, med tall der dere har dem.",
        example="Vi har fått bedre rutiner for å koble på lege, psykisk helsevern og gjeldsrådgivning.",
    )
    success_factors = TextField(
        "Suksessfaktorer",
        max_length=3000,
        help_text="Det som gjorde at det lyktes. Ett punkt per linje.",
        example="Hjemmebesøk gir et bedre bilde av hjelpebehovet.",
    )
    challenges = TextField(
        "Utfordringer",
        max_length=3000,
        help_text="Det som var vanskelig, og hva dere lærte. Ett punkt per linje.",
        example="Det tar tid å bygge tillit hos brukere som har dårlige erfaringer med NAV.",
    )
    continuation = TextField(
        "Videreføring",
        help_text="Fortsetter arbeidet etter prosjektperioden, og hvordan?",
        example="Arbeidsmåten er videreført i den faste driften av NAV-kontoret.",
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more attachments, each checked by ``files.check_upload`` (list of CheckedFile)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(
            error_messages={
                "invalid": "Vedlegget kunne ikke leses. Velg filen på nytt.",
                "missing": "Vedlegget kom ikke med. Velg filen på nytt.",
                "empty": "Vedlegget er tomt.",
                "max_length": "Filnavnet er for langt.",
            },
            **kwargs,
        )

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > settings.SUBMISSION_MAX_FILES:
            raise forms.ValidationError(f"Du kan sende høyst {settings.SUBMISSION_MAX_FILES} vedlegg.")
        checked, errors = [], []
        for upload in uploads:
            super().clean(upload, initial)
            try:
                checked.append(check_upload(upload))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return checked


class SendForm(SubmissionStepForm):
    attachments = AttachmentsField(
        label="Vedlegg (valgfritt)",
        required=False,
        help_text="",  # set in __init__ from the settings
    )
    consent = forms.BooleanField(
        label="Jeg samtykker",
        error_messages={"required": "Du må samtykke for at vi kan ta imot eksempelet."},
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by robots.
    website = forms.CharField(label="La dette feltet stå tomt", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = (
            f"For eksempel en prosjektrapport. Word-dokument (.docx) eller PDF, høyst "
            f"{settings.SUBMISSION_MAX_FILES} filer på inntil {max_size_label()} hver."
        )
        self.fields["attachments"].widget.attrs["accept"] = (
            ".docx,.pdf,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        self.fields["consent"].help_text = consent_text()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def stored_data(self):
        return {}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type
    intro: str = ""


STEPS = [
    Step("hvem", "Hvem", WhoForm, "Hvem har gjort arbeidet, og hvem kan vi kontakte?"),
    Step("hva", "Hva", WhatForm, "Hva gjorde dere, og hvorfor?"),
    Step("hvordan", "Hvordan", HowForm, "Lovgrunnlag, brukermedvirkning og ressurser."),
    Step("resultater", "Resultater", ResultsForm, "Hva kom ut av det, og hva lærte dere?"),
    Step("send", "Vedlegg og innsending", SendForm, "Legg ved en rapport hvis dere har en, og send inn."),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
TEXT_STEPS = STEPS[:-1]


def initial_from(data):
    """A stored step as the form's initial values (register ids as strings, as the widgets post them)."""
    initial = dict(data or {})
    if "municipality" in initial:
        initial["municipality"] = str(initial["municipality"])
    if "provisions" in initial:
        initial["provisions"] = [str(pk) for pk in initial["provisions"]]
    return initial


def as_post_data(data):
    """A stored step as POST data, to validate it again before anything is stored."""
    post = {}
    for name, value in initial_from(data).items():
        post[name] = value
    return post


def describe(form):
    """Tie each field to its help text and errors (``aria-describedby``, ``aria-invalid``), with
    the ids templates/contribute/field.html gives them."""
    for name, field in form.fields.items():
        bound = form[name]
        ids = []
        if field.help_text or getattr(field, "example", ""):
            ids.append(f"{bound.auto_id}-hjelp")
        ids += [f"{bound.auto_id}-feil-{number}" for number in range(1, len(bound.errors) + 1)]
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
        if bound.errors:
            field.widget.attrs["aria-invalid"] = "true"
    return form
