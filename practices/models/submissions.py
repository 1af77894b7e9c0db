"""«Del ditt eksempel»: practice examples sent in by the public, without an account.

A ``Submission`` holds what the submitter wrote (``answers``: the practice template's text
fields), who sent it (kept apart from the page: the name and e-mail address never become public
and can be erased on request) and where it is in its life: unconfirmed until the e-mail address is
confirmed (double opt-in), then a draft practice example in «Faglig godkjenning», then published
or rejected. ``SubmissionFile`` keeps an attachment's bytes in the database until the submission
is confirmed; then it becomes a private document (and a Word report a draft report). See
practices/submissions/ for the form and the flow, docs/innsending.md for what is kept how long.
"""

from django.db import models


class SubmissionStatus(models.TextChoices):
    UNCONFIRMED = "ubekreftet", "Venter på at innsenderen bekrefter e-postadressen"
    CONFIRMED = "bekreftet", "Til faglig vurdering"
    PUBLISHED = "publisert", "Publisert"
    REJECTED = "avvist", "Avvist"


class Submission(models.Model):
    status = models.CharField(
        "status", max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.UNCONFIRMED
    )
    created_at = models.DateTimeField("sendt inn", auto_now_add=True)
    confirmed_at = models.DateTimeField("e-post bekreftet", null=True, blank=True)
    published_at = models.DateTimeField("publisert", null=True, blank=True)
    rejected_at = models.DateTimeField("avvist", null=True, blank=True)

    title = models.CharField("tittel", max_length=200)
    municipality = models.ForeignKey(
        "practices.Municipality", verbose_name="kommune", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField("enhet", max_length=200)
    answers = models.JSONField("svar", default=dict, blank=True)
    provisions = models.ManyToManyField(
        "practices.LegalProvision", verbose_name="lovgrunnlag", blank=True, related_name="+"
    )

    contact_name = models.CharField("innsenderens navn", max_length=200, blank=True)
    email = models.EmailField("innsenderens e-postadresse", blank=True)
    contact_deleted_at = models.DateTimeField("kontaktopplysninger slettet", null=True, blank=True)

    page = models.ForeignKey(
        "practices.PracticePage",
        verbose_name="praksiseksempel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question_to_submitter = models.TextField(
        "spørsmål til innsender",
        blank=True,
        help_text="Skriv et spørsmål og lagre: det sendes på e-post til innsenderen, "
        "med din e-postadresse som svaradresse.",
    )
    question_sent_at = models.DateTimeField("spørsmål sendt", null=True, blank=True)

    class Meta:
        verbose_name = "innsendt eksempel"
        verbose_name_plural = "innsendte eksempler"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class SubmissionFile(models.Model):
    class Kind(models.TextChoices):
        WORD = "docx", "Word-dokument"
        PDF = "pdf", "PDF"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField("filnavn", max_length=200)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField("størrelse (byte)")
    data = models.BinaryField("innhold")

    class Meta:
        verbose_name = "vedlegg til innsendt eksempel"
        verbose_name_plural = "vedlegg til innsendte eksempler"

    def __str__(self):
        return self.filename
