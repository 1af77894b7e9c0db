"""Importing one report file as a report page: a Word document, or a Markdown content file.

The one entry point for ``manage.py import_report`` and the admin view «Importer rapport fra
Word». A .docx is read by ``docx.py`` and written here as a new page (a draft unless published)
under the report index, with a slug made from its title (``-2``, ``-3`` … if taken) and its
images stored as Wagtail images in the same transaction. A .md content file with front matter
(``type: rapport``) goes through the content importer (``import_file``), exactly as with
``import_content``; a .md without front matter is a report body whose first ``# `` line is the title.
"""

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model

from ..blocks import NORWEGIAN_LETTERS, body_blocks
from ..models import ReportIndexPage, ReportPage
from ..models.report import ReportType
from .content_file import ContentFileError, read_content_file
from .docx import read_docx
from .importer import import_file
from .markdown import Body, MarkdownError, stream_blocks

WORD_SUFFIXES = {".docx"}
TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_TITLE_LENGTH = 255
MAX_SLUG_LENGTH = 80
FALLBACK_TITLE = "Importert rapport"

TITLE_LINE_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")

# Words in a title that tell the kind of report, checked in this order.
REPORT_TYPE_WORDS = [
    ("sluttrapport", ReportType.FINAL),
    ("evaluering", ReportType.EVALUATION),
    ("erfaring", ReportType.EXPERIENCE),
]


@dataclass
class ReportImport:
    """The outcome of importing one report file."""

    source: str
    page: ReportPage
    action: str = "opprettet"  # or, for a content file imported again, «oppdatert» / «uendret»
    images: int = 0
    warnings: list = field(default_factory=list)


def report_index(slug=None):
    """The report index to import under: the one with ``slug``, or the site's report index."""
    pages = ReportIndexPage.objects.all()
    index = pages.filter(slug=slug).first() if slug else pages.first()
    if index is None:
        if slug:
            known = ", ".join(f"«{p.slug}»" for p in pages) or "ingen"
            raise ContentFileError(slug, f"Fant ingen rapportoversikt med slug «{slug}». Kjente: {known}.")
        raise ContentFileError("rapporter", "Fant ingen oversikt over rapporter. Kjør «manage.py bootstrap» først.")
    return index


def guess_report_type(title):
    folded = title.casefold()
    for word, report_type in REPORT_TYPE_WORDS:
        if word in folded:
            return report_type
    return ReportType.PROJECT


def title_from_filename(filename):
    stem = Path(str(filename)).stem
    return " ".join(re.sub(r"[_]+", " ", stem).split()).strip() or FALLBACK_TITLE


def unique_slug(parent, title):
    base = slugify(title.translate(NORWEGIAN_LETTERS))[:MAX_SLUG_LENGTH].strip("-") or "rapport"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _store_image(image_model, embedded, number, page_title, slug, user, stored):
    title = embedded.alt_text or f"{page_title} – bilde {number}"
    image = image_model(
        title=title[:255],
        file=ImageFile(io.BytesIO(embedded.data), name=f"{slug}-{number}.{embedded.extension}"),
        uploaded_by_user=user if user is not None and user.is_authenticated else None,
        file_size=len(embedded.data),
        file_hash=hashlib.sha1(embedded.data).hexdigest(),
    )
    try:
        image.save()
    finally:
        if image.file.name:
            stored.append((image.file.storage, image.file.name))
    return image


def _validation_message(error):
    if hasattr(error, "message_dict"):
        return " ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


def write_report(*, source, title, summary, blocks, parent, images=None, publish=False, user=None,
                 report_type=None, warnings=None, progress=None):
    """Create a report page under ``parent`` from raw body blocks, all or nothing.

    ``blocks`` may hold image blocks whose ``image`` is a key of ``images`` (EmbeddedImage); the
    images are stored as Wagtail images in the same transaction, and their files are deleted
    again if anything fails. Raises ContentFileError.
    """
    images = images or {}
    warnings = list(warnings or [])
    title = " ".join(str(title or "").split()) or title_from_filename(source)
    if len(title) > MAX_TITLE_LENGTH:
        warnings.append(f"Tittelen var lengre enn {MAX_TITLE_LENGTH} tegn og ble forkortet.")
        title = title[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
    report_type = report_type or guess_report_type(title)
    stored = []  # (storage, name) of every image file written, to remove on failure
    try:
        with transaction.atomic():
            slug = unique_slug(parent, title)
            image_ids = {}
            if images and progress:
                progress(f"Lagrer {len(images)} bilde(r) i bildebiblioteket …")
            image_model = get_image_model()
            for number, (key, embedded) in enumerate(images.items(), start=1):
                image_ids[key] = _store_image(image_model, embedded, number, title, slug, user, stored).pk
            body = []
            for block in blocks:
                if block["type"] == "image":
                    image_id = image_ids.get(block["value"]["image"])
                    if image_id is None:
                        continue
                    block = {"type": "image", "value": {**block["value"], "image": image_id}}
                body.append(block)

            page = ReportPage(
                title=title,
                slug=slug,
                summary=summary or "",
                report_type=report_type,
                body=body,
                live=publish,
                owner=user if user is not None and user.is_authenticated else None,
            )
            try:
                page.full_clean(exclude=["path", "depth", "url_path"])
            except ValidationError as exc:
                raise ContentFileError(source, f"Rapporten kan ikke lagres: {_validation_message(exc)}") from exc
            if progress:
                progress(f"Oppretter {'rapporten' if publish else 'utkastet'} «{title}» …")
            parent.add_child(instance=page)
            revision = page.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user)
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    page.refresh_from_db()
    return ReportImport(source=str(source), page=page, images=len(image_ids), warnings=warnings)


def import_word_report(
    source, filename=None, *, parent=None, publish=False, user=None, report_type=None, progress=None
):
    """Import a .docx (a path or an uploaded file) as a new report; a draft unless ``publish``."""
    filename = Path(str(filename or source)).name
    parent = parent or report_index()
    if progress:
        progress(f"Leser Word-dokumentet {filename} …")
    document = read_docx(source, filename)
    if progress:
        counts = _block_counts(document.blocks)
        progress(f"Fant «{document.title or title_from_filename(filename)}»: {counts}.")
    return write_report(
        source=filename,
        title=document.title,
        summary=document.summary,
        blocks=document.blocks,
        images=document.images,
        parent=parent,
        publish=publish,
        user=user,
        report_type=report_type,
        warnings=document.warnings,
        progress=progress,
    )


def _block_counts(blocks):
    names = {
        "heading": "overskrifter",
        "paragraph": "tekstavsnitt",
        "table": "tabeller",
        "image": "bilder",
        "quote": "sitater",
    }
    counts = {}
    for block in blocks:
        counts[block["type"]] = counts.get(block["type"], 0) + 1
    return ", ".join(f"{counts.get(kind, 0)} {label}" for kind, label in names.items())


def _read_text(path):
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ContentFileError(path, f"Filen kan ikke leses ({exc.strerror or exc}).") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentFileError(path, "Filen er ikke lagret som UTF-8.", line=raw[: exc.start].count(b"\n") + 1) from exc


def import_text_report(path, *, parent=None, publish=False, user=None, report_type=None, progress=None):
    """Import a Markdown report: a content file through the content importer, or a bare body."""
    text = _read_text(path)
    if not text.strip():
        raise ContentFileError(path, "Filen er tom.")
    lines = text.splitlines()
    if lines[0].strip() == "---":
        content_file = read_content_file(path)
        page_type = str(content_file.front.get("type") or "").strip().casefold()
        if page_type != "rapport":
            raise content_file.error(
                "import_report importerer bare rapporter («type: rapport»). Bruk import_content for andre sider.",
                key="type",
            )
        index = report_index()
        if parent is not None and parent.pk != index.pk:
            raise ContentFileError(path, f"En innholdsfil importeres alltid under rapportoversikten «{index.slug}».")
        if progress:
            progress(f"Importerer innholdsfilen {Path(path).name} med innholdsimporten …")
        result = import_file(path, publish=publish)
        return ReportImport(source=str(path), page=result.page, action=result.action)

    title, title_line = "", None
    for number, line in enumerate(lines):
        match = TITLE_LINE_RE.match(line)
        if match:
            title, title_line = match.group(1).strip(), number
            break
    if title_line is not None:
        lines[title_line] = ""  # keep line numbers for error messages
    body = Body("\n".join(lines), 1)
    try:
        blocks = stream_blocks(body, {name for name, _block in body_blocks()})
    except MarkdownError as exc:
        raise ContentFileError(path, exc.message, line=exc.line, field="tekst") from exc
    if progress:
        progress(f"Fant «{title or title_from_filename(path)}»: {_block_counts(blocks)}.")
    return write_report(
        source=str(path),
        title=title or title_from_filename(path),
        summary="",
        blocks=blocks,
        parent=parent or report_index(),
        publish=publish,
        user=user,
        report_type=report_type,
        progress=progress,
    )


def import_report(path, *, parent=None, publish=False, user=None, report_type=None, progress=None):
    """Import a report file by its kind: .docx from Word, .md/.markdown/.txt as Markdown."""
    suffix = Path(str(path)).suffix.lower()
    options = {"parent": parent, "publish": publish, "user": user, "report_type": report_type, "progress": progress}
    if suffix in WORD_SUFFIXES:
        return import_word_report(path, **options)
    if suffix in TEXT_SUFFIXES:
        return import_text_report(path, **options)
    if suffix in {".doc", ".odt", ".rtf"}:
        raise ContentFileError(
            path, "Filen må være i .docx-format. Åpne den i Word og lagre som «Word-dokument (*.docx)»."
        )
    raise ContentFileError(
        path, f"Filtypen «{suffix or 'uten endelse'}» kan ikke importeres. Bruk .docx (Word) eller .md (Markdown)."
    )
