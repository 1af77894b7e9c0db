"""When someone was last reminded to review a page (manage.py send_review_reminders), so that
running the command again the same day, or within REVIEW_REMINDER_INTERVAL_DAYS, sends nothing new."""

from django.conf import settings
from django.db import models


class ReviewReminder(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="side")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="mottaker"
    )
    sent_at = models.DateTimeField("sendt", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "påminnelse om gjennomgang"
        verbose_name_plural = "påminnelser om gjennomgang"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.page_id} → {self.recipient_id} ({self.sent_at:%d.%m.%Y})"
