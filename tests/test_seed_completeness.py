"""Nothing of the five source documents is dropped on the way to the published pages.

Every line of each original in fixtures/sources/ must be readable on the rendered page,
except the lines listed below, each with the reason it is not there verbatim: site chrome
and page furniture of the originals, and text that became a structured field shown in
another form (a legal reference, a date, a field label).
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"

# Obvious conversion damage repaired in fixtures/ (source spelling -> page spelling).
REPAIRS = {
    "varместua": "varmestua",
    "varместuas": "varmestuas",
    "hjemmевærende": "hjemmeværende",
    "å sates på": "å satse på",
    "sevlstendige": "selvstendige",
    "recoveryorentering": "recoveryorientering",
}

NOT_VERBATIM = {
    "000_320ae3e770b46cd8.txt": {
        # "Prosjektrapport:" prefix is kept as the source title; the heading lines are field labels.
        # (Keys are the source's lines verbatim, however long.)
        "Prosjektrapport: Utvikling av de sosiale tjenestene i NAV-kontoret. Oppfølging av brukere med depositumgaranti": "title + source title",  # noqa: E501
        "Kobling til boligsosial lov:": "shown as the legal-basis row of the fact box",
        "6.Plikt til å gi individuelt tilpasset bistand til vanskeligstilte på boligmarkedet.": (
            "legal reference boligsosialloven § 6 with this title"
        ),
        "Resultater:": "section heading «Resultater»",
        "Gjennomføring": "section heading",
        "Suksessfaktorer": "section heading",
        "Erfaringer og utfordringer": "section heading «Utfordringer»; original heading kept in the source note",
        "Les mer her": "link whose target was lost; kept in the source note",
    },
    "001_b0837087ab158e1b.txt": {
        "Publisert: 09.05.2019": "the article's date, shown as 9. mai 2019",
        "-": "the expand toggle of the original page",
    },
    "002_77dd05fa56ca3cc7.txt": {
        "- Ansvarlig aktør:": "fact-box label",
        "- Ansvarlig enhet:": "fact-box label",
        "- Kommunestørrelse:": "fact-box label",
        "- Stor": "fact-box value «Stor»",
        "- Fylke:": "fact-box label",
        "Beskrivelse av eksempelet": "section heading «Beskrivelse»",
        "Resultat": "section heading «Resultater»",
        "Målsettinger": "section heading «Mål»",
        "Beskrivelse av hvem som gjorde hva": "section heading for the numbered steps",
        "Relevant lovverk": "fact-box label «Lovgrunnlag»",
        "- Lov om sosiale tjenester i NAV §§ 15, 17, 27": (
            "three legal references, sosialtjenesteloven §§ 15, 17 and 27"
        ),
        "- Lov om kommunale helse- og omsorgstjenester, med særlig fokus på § 3-7": (
            "legal reference hol. § 3-7 with the comment"
        ),
        "Sikre brukermedvirkning": "section heading «Brukermedvirkning»",
        "Utfordringer underveis": "section heading «Utfordringer»",
        "Videreføring av arbeidet": "section heading «Videreføring»",
    },
    "003_f57e537586fd0b33.txt": {
        "Publisert: 31. oktober 2018.   Endret: 29. oktober 2018": "source dates, shown as published/changed",
        "Kommenter:": "site chrome: comment field of the original site",
        "Mer om": "site chrome: label of the tag list (the tags are the page's tags)",
        "housing.first brukermedvirkning praksiseksempler": (
            "the page's tags: Housing First, brukermedvirkning, praksiseksempler"
        ),
        "Les også": "site chrome: related-content box of the original site",
        "Ingen treff...": "site chrome",
        "Aktuelt": "site chrome",
        "Siste fra Kunnskapsbasen": "site chrome",
    },
    "004_8f785a2662c1a0f7.txt": {
        "- En erfaringsrapport fra prosjektets andre år. Perioden 01.01.09 – 31.12.09.": "the report's lead",
        "Figuren viser fordelingen mellom de ulike tjenestene i forhold til henvisninger": "kept as the caption text",
    },
}

# The Nes report's table of contents (page numbers) is replaced by the generated one.
TOC_LINE_RE = re.compile(r"\t(<b>)?\d{1,2}(</b>)?$")
MOTTO = "“Alle skal kunne få og beholde bolig, og ha en opplevelse av hjem”"

SEED_PAGES = {
    "000_320ae3e770b46cd8.txt": "/praksiseksempler/oppfolging-av-brukere-med-depositumgaranti/",
    "001_b0837087ab158e1b.txt": "/artikler/gode-grep-for-tett-oppfolging/",
    "002_77dd05fa56ca3cc7.txt": "/praksiseksempler/fra-bostedslos-til-beboer/",
    "003_f57e537586fd0b33.txt": "/praksiseksempler/hjem-forst-grunerlokka/",
    "004_8f785a2662c1a0f7.txt": "/rapporter/boligsosialt-arbeid-i-nes-kommune-2009/",
}


def normalise(text):
    text = html.unescape(text)
    text = text.replace("\u00a0", " ").casefold()
    for wrong, right in REPAIRS.items():
        text = text.replace(wrong.casefold(), right.casefold())
    text = re.sub(r"</?b>|\*\*?|[«»“”\"'’`•]|^[\s\-–—]+", " ", text)
    text = re.sub(r"[\s\-–—]+", " ", text)
    return text.strip().rstrip(".:;,!? ")


def page_text(content):
    content = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", content)
    return normalise(re.sub(r"<[^>]+>", " ", content))


def without_bullet(line):
    return " ".join(re.sub(r"^[•\-]\s*", "", line.strip()).split())


def source_fragments(name):
    skip = {without_bullet(line) for line in NOT_VERBATIM[name]}
    for number, line in enumerate((SOURCES / name).read_text(encoding="utf-8").splitlines(), start=1):
        stripped = without_bullet(line)
        if not stripped or stripped in skip or stripped.strip("*") == MOTTO:
            continue
        if name.startswith("004") and TOC_LINE_RE.search(line.strip()):
            continue
        if name.startswith("004") and stripped in {"# **Boligsosialt arbeid i Nes kommune**"}:
            continue
        stripped = re.sub(r"^#+\s*", "", stripped)
        # Sentence by sentence: a quotation may have become a quote block after its lead-in.
        for sentence in re.split(r"(?<=[.:!?»])\s+", stripped):
            yield number, sentence


@pytest.mark.parametrize("source_name", sorted(SEED_PAGES))
def test_every_line_of_the_source_is_on_the_published_page(client, db, source_name):
    response = client.get(SEED_PAGES[source_name])
    assert response.status_code == 200
    text = page_text(response.content.decode())
    missing = [
        f"{source_name}:{number}: {line[:100]}"
        for number, line in source_fragments(source_name)
        if normalise(line) and normalise(line) not in text
    ]
    assert missing == [], "Lines of the source missing from the page:\n" + "\n".join(missing)


def test_the_nes_motto_is_shown_once_not_as_a_running_header(client, db):
    content = client.get(SEED_PAGES["004_8f785a2662c1a0f7.txt"]).content.decode()
    assert page_text(content).count(normalise(MOTTO)) == 1


def test_no_cyrillic_look_alike_letters_reach_the_pages(client, db):
    for url in SEED_PAGES.values():
        content = client.get(url).content.decode()
        assert not re.search("[\u0400-\u04ff]", content), url
