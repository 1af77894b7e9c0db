"""App config for the login-protection and security-header code (see the package docstring)."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "kunnskapsbase.security"
    label = "kunnskapsbase_security"
    verbose_name = "Sikkerhet"
