"""Admin registration of the lockout report (lockout_report.py) and the CSP-related admin settings."""

from wagtail import hooks

from . import lockout_report


@hooks.register("register_admin_urls")
def register_lockout_report_urls():
    return lockout_report.admin_urls()


@hooks.register("register_reports_menu_item")
def register_lockout_report_menu_item():
    return lockout_report.menu_item()
