"""manage.py check_links: reports the broken external links (Lovdata included) of every practice,
report and article, page by page. For cron: with --fail it exits with an error when any is broken."""

from django.core.management.base import BaseCommand, CommandError

from practices.link_check import check_urls, external_links
from practices.models import ArticlePage, PracticePage, ReportPage


class Command(BaseCommand):
    help = "Sjekker eksterne lenker (også Lovdata) på praksiseksempler, rapporter og artikler og viser brutte lenker."

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, action="append", dest="pages", help="Bare siden med denne ID-en")
        parser.add_argument("--timeout", type=float, default=10.0, help="Sekunder å vente på hver lenke (10)")
        parser.add_argument("--workers", type=int, default=8, help="Lenker som sjekkes samtidig (8)")
        parser.add_argument("--fail", action="store_true", help="Avslutt med feil når noen lenke er brutt")

    def handle(self, *args, pages, timeout, workers, fail, **options):
        links_by_page = []
        for model in (PracticePage, ReportPage, ArticlePage):
            queryset = model.objects.order_by("path")
            if pages:
                queryset = queryset.filter(pk__in=pages)
            for page in queryset:
                latest = page.get_latest_revision_as_object()
                links_by_page.append((page, external_links(latest)))
        urls = [url for _page, links in links_by_page for url in links]
        unique = len(set(urls))
        self.stdout.write(f"Sjekker {unique} lenker på {len(links_by_page)} sider …")
        step = max(1, unique // 20)

        def progress(done, total):
            if done % step == 0 or done == total:
                self.stdout.write(f"    {done}/{total}")

        results = check_urls(urls, workers=workers, timeout=timeout, progress=progress)

        broken_pages = 0
        broken_links = set()
        for page, links in links_by_page:
            broken = [results[url] for url in links if not results[url].ok]
            if not broken:
                continue
            broken_pages += 1
            state = "" if page.live else " (ikke publisert)"
            self.stdout.write(self.style.WARNING(f"«{page.title}»{state}: {page.full_url or page.url_path}"))
            for result in broken:
                broken_links.add(result.url)
                self.stdout.write(f"    {result.url} — {result.describe()}")
        summary = (
            f"{unique} lenker på {len(links_by_page)} sider sjekket: "
            f"{len(broken_links)} brutte på {broken_pages} sider."
        )
        if broken_links and fail:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary) if not broken_links else summary)
