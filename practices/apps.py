from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Praksis og kunnskap"

    def ready(self):
        from wagtail.signals import page_published

        from . import site_chrome
        from .media_privacy import index_references_now

        # A published page's images and documents are public at once (practices/media_privacy.py).
        page_published.connect(index_references_now, dispatch_uid="kb_media_public_on_publish")
        # The header's and footer's remembered rows are forgotten when they may change (practices/site_chrome.py).
        site_chrome.connect()
