"""«Varsle meg om nye treff»: e-mail alerts of new and updated content for a saved search."""

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "search.alerts"
    label = "alerts"
    verbose_name = "Varsler om nye treff"
    default_auto_field = "django.db.models.BigAutoField"
