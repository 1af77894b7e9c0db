"""`manage.py check_links` reports broken external links per page, Lovdata's included, against a
real HTTP server on this machine (nothing leaves the loopback address)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from practices.link_check import external_links
from practices.models import taxonomy as taxonomy_module


class Handler(BaseHTTPRequestHandler):
    def answer(self, with_body):
        if self.path.startswith("/finnes"):
            status = 200
        elif self.path.startswith("/lov/"):
            status = 200 if "%C2%A727" in self.path or "§27" in self.path else 404
        elif self.path.startswith("/flyttet"):
            self.send_response(301)
            self.send_header("Location", "/finnes")
            self.end_headers()
            return
        elif self.path.startswith("/bare-get"):
            status = 405 if self.command == "HEAD" else 200
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(False)

    def do_GET(self):
        self.answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def lovdata_here(web, monkeypatch):
    """The provisions' Lovdata addresses point at the local server."""
    monkeypatch.setattr(taxonomy_module, "LOVDATA_BASE_URL", web)
    return web


def run(*args):
    out = StringIO()
    call_command("check_links", *args, stdout=out)
    return out.getvalue()


def test_links_are_found_in_fields_rich_text_and_cited_provisions(oksnes):
    oksnes.source_url = "https://example.no/kilde"
    oksnes.description = '<p>Se <a href="https://example.no/rapport?a=1&amp;b=2">rapporten</a>.</p>'
    links = external_links(oksnes)
    assert {"https://example.no/kilde", "https://example.no/rapport?a=1&b=2"} <= set(links)
    assert len(links) == len(set(links))
    cited = [ref.provision.lovdata_url for ref in oksnes.legal_references.all()]
    assert cited and all(url in links for url in cited)
    assert all(url.startswith("https://lovdata.no/lov/") for url in cited)


def test_broken_links_are_reported_per_page(oksnes, lovdata_here):
    web = lovdata_here
    oksnes.source_url = f"{web}/borte"
    oksnes.description = f'<p><a href="{web}/finnes">virker</a>, <a href="{web}/flyttet">flyttet</a></p>'
    oksnes.contact = f"Mer på {web}/bare-get."
    oksnes.save_revision().publish()

    output = run("--page", str(oksnes.pk))

    assert f"«{oksnes.title}»" in output
    assert f"{web}/borte — HTTP 404" in output
    assert f"{web}/finnes —" not in output  # works
    assert f"{web}/flyttet —" not in output  # a redirect to a working page
    assert f"{web}/bare-get" not in output  # refuses HEAD, answers GET
    cited = [ref.provision for ref in oksnes.legal_references.select_related("provision__law")]
    for provision in cited:
        if provision.paragraph != "27":
            assert f"{provision.lovdata_url} — HTTP 404" in output
    assert "brutte på 1 sider" in output


def test_fail_flag_makes_broken_links_an_error_for_cron(oksnes, lovdata_here):
    oksnes.source_url = f"{lovdata_here}/borte"
    oksnes.save_revision().publish()
    with pytest.raises(CommandError, match="brutte"):
        run("--page", str(oksnes.pk), "--fail")


def test_a_page_without_broken_links_says_so(tromso, lovdata_here):
    tromso.legal_references.all().delete()
    tromso.source_url = f"{lovdata_here}/finnes"
    tromso.save_revision().publish()
    output = run("--page", str(tromso.pk))
    assert "0 brutte på 0 sider" in output


def test_an_address_nobody_answers_is_broken_not_a_crash(oksnes, lovdata_here):
    oksnes.source_url = "http://127.0.0.1:9/ingen"  # the discard port: connection refused
    oksnes.legal_references.all().delete()
    oksnes.save_revision().publish()
    output = run("--page", str(oksnes.pk), "--timeout", "2")
    assert "http://127.0.0.1:9/ingen — feil:" in output
