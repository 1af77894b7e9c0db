"""Import from Word: reading a .docx file as the content of a report.

Editors upload a Word document in the admin («Importer rapport fra Word») or run
``manage.py import_report FILE.docx``, and get a draft report to review (see
``practices.importing.reports`` for the page, docs/import-fra-word.md for the editor's side).

This module checks the file first, so a damaged, password-protected, too large or non-Word file
gets a clear Norwegian message before anything is read; then mammoth turns the document into
semantic HTML (our style map marks Word's Title, Subtitle, Quote and Caption styles, keeps
underlining and drops the table of contents), collecting the embedded images on the way, and
``html_blocks`` turns the HTML into report blocks. A document without the Title style gets the
largest text of its cover page as title (``docx_cover``), and a warning saying so. Nothing here
touches the database: images are returned as bytes for the caller to store in the same
transaction as the page, and the file's SHA-256 to recognise it when it is imported again.
"""

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import mammoth
from mammoth import html as mammoth_html
from PIL import Image as PILImage

from .content_file import ContentFileError
from .docx_cover import cover_page_title
from .html_blocks import convert_html

logger = logging.getLogger(__name__)

# Raise when the conversion changes, so the same file imported again updates its report.
WORD_IMPORTER_VERSION = "2"

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_FILE_SIZE_LABEL = "20 MB"
# A .docx is a zip archive; refuse archives that unpack to far more than any report needs.
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .doc, or an encrypted .docx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# Formats a browser shows and Wagtail accepts as they are; others Pillow can read become PNG.
KEPT_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}

STYLE_MAP = """
u => u
p[style-name='Title'] => h1.docx-title:fresh
p[style-name='Subtitle'] => p.docx-subtitle:fresh
p[style-name='Quote'] => blockquote.docx-quote > p:fresh
p[style-name='Quotations'] => blockquote.docx-quote > p:fresh
p[style-name='Sitat'] => blockquote.docx-quote > p:fresh
p[style-name='Intense Quote'] => blockquote.docx-quote-intense > p:fresh
p[style-name='Sterkt sitat'] => blockquote.docx-quote-intense > p:fresh
p[style-name='caption'] => p.docx-caption:fresh
p[style-name='Bildetekst'] => p.docx-caption:fresh
p[style-name='TOC Heading'] => !
p[style-name='toc 1'] => !
p[style-name='toc 2'] => !
p[style-name='toc 3'] => !
p[style-name='toc 4'] => !
p[style-name='toc 5'] => !
p[style-name='toc 6'] => !
p[style-name='toc 7'] => !
p[style-name='toc 8'] => !
p[style-name='toc 9'] => !
p[style-name='Contents Heading'] => !
p[style-name='Contents 1'] => !
p[style-name='Contents 2'] => !
p[style-name='Contents 3'] => !
"""

SAVE_AS_DOCX = "Åpne den i Word og velg Fil → Lagre som → «Word-dokument (*.docx)»."


@dataclass
class EmbeddedImage:
    """An image from the document, ready to store: bytes, file extension and alt text."""

    key: str
    data: bytes
    extension: str
    alt_text: str


@dataclass
class WordDocument:
    """What a Word document says about its report."""

    filename: str
    title: str
    summary: str
    blocks: list
    images: dict = field(default_factory=dict)  # key (the image block's value) -> EmbeddedImage
    warnings: list = field(default_factory=list)
    sha256: str = ""  # of the file's bytes


def _error(filename, message):
    return ContentFileError(filename, message)


def read_bytes(source, filename):
    """The bytes of ``source`` (a path or a binary file object), refusing empty and too large files."""
    try:
        if isinstance(source, (str, Path)):
            with open(source, "rb") as handle:
                data = handle.read(MAX_FILE_SIZE + 1)
        else:
            if hasattr(source, "seek"):
                source.seek(0)
            data = source.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        raise _error(filename, f"Filen kan ikke leses ({exc.strerror or exc}).") from exc
    if not data:
        raise _error(filename, "Filen er tom.")
    if len(data) > MAX_FILE_SIZE:
        raise _error(filename, f"Filen er for stor. Største tillatte størrelse er {MAX_FILE_SIZE_LABEL}.")
    return data


def check_container(data, filename):
    """Refuse anything that is not a readable .docx, saying what the file looks like instead."""
    if data.startswith(CFB_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise _error(
                filename,
                "Dokumentet er beskyttet med passord og kan ikke leses. Fjern passordet i Word "
                "(Fil → Info → Beskytt dokument → Krypter med passord) og prøv igjen.",
            )
        raise _error(filename, f"Filen er i det gamle Word-formatet (.doc), ikke .docx. {SAVE_AS_DOCX}")
    if data.startswith(b"%PDF"):
        raise _error(
            filename, "Filen er en PDF, ikke et Word-dokument. Importer Word-filen (.docx) rapporten ble laget i."
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise _error(filename, f"Filen er en RTF-fil, ikke et Word-dokument (.docx). {SAVE_AS_DOCX}")
    if not data.startswith(b"PK"):
        raise _error(filename, f"Filen er ikke et Word-dokument (.docx). {SAVE_AS_DOCX}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _error(filename, "Filen er skadet og kan ikke åpnes som et Word-dokument.") from exc
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        if "mimetype" in names and "content.xml" in names:
            raise _error(filename, f"Filen er et OpenDocument-dokument (.odt), ikke .docx. {SAVE_AS_DOCX}")
        if "xl/workbook.xml" in names:
            raise _error(filename, "Filen er et Excel-regneark, ikke et Word-dokument.")
        if "ppt/presentation.xml" in names:
            raise _error(filename, "Filen er en PowerPoint-presentasjon, ikke et Word-dokument.")
        raise _error(filename, "Filen er et zip-arkiv, men ikke et Word-dokument (den mangler selve dokumentet).")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _error(filename, "Dokumentet er beskyttet med passord og kan ikke leses. Fjern passordet og prøv igjen.")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_SIZE:
        raise _error(filename, "Dokumentet er for stort når det pakkes ut, og kan ikke importeres.")


def _image_label(number, alt_text):
    return f"Bilde nr. {number}" + (f" («{alt_text[:60]}»)" if alt_text else "")


def prepare_image(raw, number, alt_text):
    """(data, extension) for an embedded image Wagtail can store, or (None, warning)."""
    label = _image_label(number, alt_text)
    try:
        with PILImage.open(io.BytesIO(raw)) as picture:
            image_format = picture.format or ""
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                return None, f"{label} er for stort ({width} × {height} piksler) og ble hoppet over."
            picture.load()
            if image_format in KEPT_IMAGE_FORMATS:
                return raw, KEPT_IMAGE_FORMATS[image_format]
            converted = io.BytesIO()
            if picture.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
                picture = picture.convert("RGBA")
            picture.save(converted, "PNG")
            return converted.getvalue(), "png"
    except Exception:
        logger.info("Word import: image %s could not be read", number, exc_info=True)
        if raw[:4] in {b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a"}:
            reason = "er en vektortegning (EMF/WMF) som nettlesere ikke kan vise"
        else:
            reason = "kan ikke leses"
        return None, (
            f"{label} {reason} og ble hoppet over. Lagre bildet som PNG eller JPEG og legg det inn i rapporten."
        )


class _ImageCollector:
    """mammoth's image callback: keeps each distinct image once and refers to it by a key."""

    def __init__(self):
        self.images = {}
        self.warnings = []
        self.count = 0

    def __call__(self, image):
        self.count += 1
        alt_text = " ".join((image.alt_text or "").split())
        try:
            with image.open() as stream:
                raw = stream.read(MAX_FILE_SIZE + 1)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            # A linked (not embedded) image, or one missing from the package.
            logger.info("Word import: image %s could not be opened: %s", self.count, exc)
            label = _image_label(self.count, alt_text)
            self.warnings.append(f"{label} er lenket til en fil utenfor dokumentet eller mangler, og ble hoppet over.")
            return []
        data, extension_or_warning = prepare_image(raw, self.count, alt_text)
        if data is None:
            self.warnings.append(extension_or_warning)
            return []
        key = f"docx-image:{hashlib.sha1(data).hexdigest()}"
        self.images.setdefault(
            key, EmbeddedImage(key=key, data=data, extension=extension_or_warning, alt_text=alt_text)
        )
        attributes = {"src": key}
        if alt_text:
            attributes["alt"] = alt_text
        return [mammoth_html.element("img", attributes)]


def to_html(data, filename):
    """mammoth's HTML for the document, and the images it refers to."""
    collector = _ImageCollector()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, convert_image=collector, include_embedded_style_map=False
        )
    except Exception as exc:
        # Expected for a damaged file: the editor gets the message below; the details are for debugging.
        logger.debug("Word import: mammoth could not read %s", filename, exc_info=True)
        raise _error(
            filename,
            "Word-dokumentet er skadet og kan ikke leses. Åpne det i Word, lagre det på nytt og prøv igjen.",
        ) from exc
    for message in result.messages:
        logger.debug("Word import of %s: %s", filename, message.message)
    return result.value, collector


def read_docx(source, filename):
    """Read a .docx (a path or a binary file object) as a :class:`WordDocument`. Raises ContentFileError."""
    filename = Path(str(filename)).name or "dokument.docx"
    data = read_bytes(source, filename)
    check_container(data, filename)
    html, collector = to_html(data, filename)
    converted = convert_html(html)
    if converted.title_source != "style":
        title_hint = cover_page_title(data)
        if title_hint:
            converted = convert_html(html, title_hint=title_hint)
            if not converted.title:  # e.g. in a text box mammoth leaves out
                converted.title, converted.title_source = title_hint, "cover"
    if not converted.title and not converted.blocks:
        raise _error(filename, "Dokumentet er tomt; det er ingen tekst å importere.")
    used = {block["value"]["image"] for block in converted.blocks if block["type"] == "image"}
    return WordDocument(
        filename=filename,
        title=converted.title,
        summary=converted.summary,
        blocks=converted.blocks,
        images={key: image for key, image in collector.images.items() if key in used},
        warnings=[*_title_warnings(converted, filename), *collector.warnings, *converted.warnings],
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _title_warnings(converted, filename):
    """What the import guessed about the title, for the editor to check."""
    if converted.title_source == "style":
        return []
    lead = "Dokumentet har ingen tekst i stilen «Tittel»."
    if converted.title_source == "cover":
        return [f"{lead} Tittelen «{converted.title}» er gjettet ut fra den største teksten på forsiden; sjekk den."]
    if converted.title_source == "heading":
        return [f"{lead} Tittelen «{converted.title}» er hentet fra den første overskriften; sjekk den."]
    return [f"{lead} Fant ingen tittel på forsiden eller i en overskrift, så filnavnet «{filename}» ble brukt; "
            "skriv inn riktig tittel."]
