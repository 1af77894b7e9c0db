"""App config for the backup and restore commands."""

from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "kunnskapsbase.backup"
    label = "kunnskapsbase_backup"
    verbose_name = "Sikkerhetskopi"
