"""A saved search an e-mail address follows: one row per (address, search).

Nothing is sent to an address before it has confirmed the subscription (``confirmed_at``).
``last_checked_at`` is the watermark: content first published or republished after it is new
to the subscriber; ``send_alerts`` moves it forward in the same transaction as it queues the
e-mail, so running the command twice sends nothing the second time. Unsubscribing deletes the
row: what is kept about a subscriber is the address, the search and these times, no more.
"""

from django.db import models


class Frequency(models.TextChoices):
    DAILY = "daily", "Daglig"
    WEEKLY = "weekly", "Ukentlig"


class Subscription(models.Model):
    email = models.EmailField("e-postadresse", max_length=254, db_index=True)
    query = models.CharField(
        "søk", max_length=2000, help_text="Det normaliserte søket (spørrestreng), f.eks. «q=bolig&county=nordland»."
    )
    frequency = models.CharField("hyppighet", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    confirmed_at = models.DateTimeField("bekreftet", null=True, blank=True)
    last_checked_at = models.DateTimeField(
        "sjekket til", null=True, blank=True, help_text="Innhold publisert etter dette er nytt for abonnenten."
    )
    last_sent_at = models.DateTimeField("sist sendt", null=True, blank=True)
    last_sent_pages = models.JSONField(
        "sider i siste varsel", default=list, blank=True, help_text="Id-ene til sidene i det siste varselet."
    )

    class Meta:
        verbose_name = "varsel om nye treff"
        verbose_name_plural = "varsler om nye treff"
        constraints = [models.UniqueConstraint(fields=["email", "query"], name="alerts_one_subscription_per_search")]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="alerts_due")]

    def __str__(self):
        return f"{self.email}: {self.query or 'alt'} ({self.get_frequency_display().lower()})"

    @property
    def confirmed(self):
        return self.confirmed_at is not None
