"""Finding and checking the external links of content pages: addresses in URL fields and text,
links in rich text and StreamField blocks, and the Lovdata addresses of the provisions a page
cites. Used by ``manage.py check_links``; never called inside a request."""

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import models
from wagtail.fields import RichTextField, StreamField

URL_RE = re.compile(r"https?://[^\s\"'<>()\[\]]+[^\s\"'<>()\[\].,;:!?»]")
HREF_RE = re.compile(r"""href=["'](https?://[^"']+)["']""")
USER_AGENT = "Kunnskapsbase lenkesjekk"
# Some servers refuse HEAD; they are asked again with GET.
HEAD_REFUSED = {403, 405, 501}


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # HTTP status of the final answer, None when no answer came
    error: str = ""

    @property
    def ok(self):
        return self.status is not None and self.status < 400

    def describe(self):
        if self.status is not None:
            return f"HTTP {self.status}"
        return self.error or "ingen svar"


def _strings(value):
    """Every string inside a JSON-like value (a StreamField's raw data)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def links_in_text(text):
    text = html.unescape(text or "")
    return HREF_RE.findall(text) + URL_RE.findall(HREF_RE.sub("", text))


def external_links(page):
    """The page's external addresses, in the order they appear, each once."""
    found = []
    for field in page._meta.concrete_fields:
        value = getattr(page, field.name, None)
        if not value:
            continue
        if isinstance(field, StreamField):
            raw = json.loads(json.dumps(field.get_prep_value(value)))
            for text in _strings(raw):
                found.extend(links_in_text(text))
        elif isinstance(field, models.URLField):
            found.append(value)
        elif isinstance(field, RichTextField | models.TextField | models.CharField) and field.name != "slug":
            found.extend(links_in_text(str(value)))
    references = getattr(page, "legal_references", None)
    if references is not None:
        found.extend(reference.provision.lovdata_url for reference in references.select_related("provision__law"))
    return list(dict.fromkeys(url for url in found if url.startswith(("http://", "https://"))))


def check_url(url, timeout=10.0):
    """Ask for ``url`` (HEAD, then GET where HEAD is refused), following redirects."""
    if not url.startswith(("http://", "https://")):
        return LinkResult(url, None, "feil: ikke en nettadresse")
    # Lovdata's addresses end in «§27»: an address with letters outside ASCII is sent percent-encoded.
    address = urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(address, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return LinkResult(url, response.status)
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in HEAD_REFUSED:
                continue
            return LinkResult(url, error.code)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return LinkResult(url, None, f"feil: {reason}")
    return LinkResult(url, None, "ingen svar")


def check_urls(urls, workers=8, timeout=10.0, progress=None):
    """{url: LinkResult} for every address, several at a time; ``progress(done, total)`` after each."""
    urls = list(dict.fromkeys(urls))
    results = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for done, result in enumerate(pool.map(lambda url: check_url(url, timeout), urls), start=1):
            results[result.url] = result
            if progress:
                progress(done, len(urls))
    return results
