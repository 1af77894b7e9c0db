"""Importing one report file as a report page: a Word document, or a Markdown content file.

The one entry point for ``manage.py import_report`` and the admin view «Importer rapport fra
Word». A .docx is read by ``docx.py`` and written here as a page under the report index (a
draft sent into the workflow «Faglig godkjenning» unless published), with a slug made from its
title (``-2``, ``-3`` … if taken) and its images stored as Wagtail images in the same
transaction; an image the library already holds (same SHA-1 ``file_hash``) is reused.

The file's SHA-256 is recorded (``ImportRecord``): the same file imported again is recognised
and updates the report it made instead of making a second copy, by the rules of ``history.py``
(unchanged: nothing to do; edited in the admin since: stop, or a draft for review).

A .md content file with front matter (``type: rapport``) goes through the content importer
(``import_file``), exactly as with ``import_content``; a .md without front matter is a report
body whose first ``# `` line is the title.
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
from ..models import ImportRecord, ReportIndexPage, ReportPage
from ..models.report import ReportType
from .content_file import ContentFileError, read_content_file
from .docx import WORD_IMPORTER_VERSION, read_docx
from .history import STOP, check_permission, decide, record, submit_for_review
from .importer import import_file
from .markdown import Body, MarkdownError, stream_blocks

WORD_SUFFIXES = {".docx"}
TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_TITLE_LENGTH = 255
MAX_SLUG_LENGTH = 80
FALLBACK_TITLE = "Importert rapport"
TEXT_IMPORTER_VERSION = "1"

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
    action: str = "opprettet"  # «oppdatert», «uendret» or «til gjennomgang» when imported again
    images: int = 0
    warnings: list = field(default_factory=list)
    outcome: str = ""  # an ImportRecord.Outcome when a revision was written
    workflow: str = ""  # the workflow a draft was sent into
    reused_images: int = 0
    edit: object = None  # an editor's revision since the last import, left standing

    @property
    def state(self):
        if self.page.live and self.outcome == ImportRecord.Outcome.PUBLISHED:
            return "publisert"
        what = "utkast ved siden av redaktørens endring" if self.outcome == ImportRecord.Outcome.REVIEW else "utkast"
        if not self.outcome:
            what = "publisert" if self.page.live and not self.page.has_unpublished_changes else "utkast"
        return f"{what}, sendt til «{self.workflow}»" if self.workflow else what


class AlreadyImported(ContentFileError):
    """The same file was imported before; the caller may offer to update the report it made."""

    def __init__(self, source, page, import_record):
        self.page = page
        self.record = import_record
        super().__init__(source, f"Denne filen er allerede importert som «{page.get_admin_display_title()}».")


EDITED_HINT = (
    "Velg å lagre filens versjon som et utkast til gjennomgang (import_report --draft-if-edited) "
    "hvis den skal erstatte endringene."
)


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


def previous_import(sha256, kinds=(ImportRecord.Kind.WORD, ImportRecord.Kind.TEXT)):
    """(record, report page) of the latest import of the file with this SHA-256, or (None, None)."""
    for import_record in ImportRecord.objects.filter(sha256=sha256, kind__in=kinds).select_related("page"):
        page = ReportPage.objects.filter(pk=import_record.page_id).first()
        if page is not None:
            return import_record, page
    return None, None


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
    """A Wagtail image for ``embedded``: the library's own when it already holds the same file."""
    file_hash = hashlib.sha1(embedded.data).hexdigest()
    existing = image_model.objects.filter(file_hash=file_hash).order_by("pk").first()
    if existing is not None:
        return existing, False
    title = embedded.alt_text or f"{page_title} – bilde {number}"
    image = image_model(
        title=title[:255],
        file=ImageFile(io.BytesIO(embedded.data), name=f"{slug}-{number}.{embedded.extension}"),
        uploaded_by_user=user if user is not None and user.is_authenticated else None,
        file_size=len(embedded.data),
        file_hash=file_hash,
    )
    try:
        image.save()
    finally:
        if image.file.name:
            stored.append((image.file.storage, image.file.name))
    return image, True


def _validation_message(error):
    if hasattr(error, "message_dict"):
        return " ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


def _clean_title(title, source, warnings):
    title = " ".join(str(title or "").split()) or title_from_filename(source)
    if len(title) > MAX_TITLE_LENGTH:
        warnings.append(f"Tittelen var lengre enn {MAX_TITLE_LENGTH} tegn og ble forkortet.")
        title = title[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
    return title


def write_report(*, source, title, summary, blocks, parent, images=None, publish=False, user=None,
                 report_type=None, warnings=None, progress=None, sha256="", kind=ImportRecord.Kind.WORD,
                 importer_version=WORD_IMPORTER_VERSION, target=None, on_edited=STOP):
    """Create a report page under ``parent`` from raw body blocks, or update ``target``; all or nothing.

    ``blocks`` may hold image blocks whose ``image`` is a key of ``images`` (EmbeddedImage); the
    images are stored as Wagtail images in the same transaction (or reused), and the files
    written are deleted again if anything fails. An update keeps what the file does not carry
    (slug, classification, source) and follows ``history.decide``. Raises ContentFileError.
    """
    images = images or {}
    warnings = list(warnings or [])
    title = _clean_title(title, source, warnings)
    check_permission(source, user, parent, target, publish)
    outcome = ImportRecord.Outcome.PUBLISHED if publish else ImportRecord.Outcome.DRAFT
    edit = None
    if target is not None:
        decision = decide(source, target, sha256, importer_version, publish, on_edited=on_edited, hint=EDITED_HINT)
        if decision.action == "unchanged":
            return ReportImport(
                source=str(source), page=target, action="uendret", warnings=warnings, edit=decision.edit
            )
        if decision.action == "review":
            outcome, edit = ImportRecord.Outcome.REVIEW, decision.edit
    publish_now = outcome == ImportRecord.Outcome.PUBLISHED
    stored = []  # (storage, name) of every image file written, to remove on failure
    try:
        with transaction.atomic():
            slug = target.slug if target is not None else unique_slug(parent, title)
            image_ids, reused = {}, 0
            if images and progress:
                progress(f"Lagrer {len(images)} bilde(r) i bildebiblioteket …")
            image_model = get_image_model()
            for number, (key, embedded) in enumerate(images.items(), start=1):
                image, created = _store_image(image_model, embedded, number, title, slug, user, stored)
                image_ids[key] = image.pk
                reused += not created
            body = []
            for block in blocks:
                if block["type"] == "image":
                    image_id = image_ids.get(block["value"]["image"])
                    if image_id is None:
                        continue
                    block = {"type": "image", "value": {**block["value"], "image": image_id}}
                body.append(block)

            if target is None:
                page = ReportPage(
                    title=title,
                    slug=slug,
                    summary=summary or "",
                    report_type=report_type or guess_report_type(title),
                    body=body,
                    live=publish_now,
                    owner=user if user is not None and user.is_authenticated else None,
                )
            else:
                page = target.get_latest_revision_as_object() if edit is None else target
                page.title, page.body = title, body
                page.summary = summary or page.summary
                page.report_type = report_type or page.report_type
            try:
                page.full_clean(exclude=["path", "depth", "url_path"] if target is None else None)
            except ValidationError as exc:
                raise ContentFileError(source, f"Rapporten kan ikke lagres: {_validation_message(exc)}") from exc
            if progress:
                verb = "Oppdaterer" if target is not None else "Oppretter"
                progress(f"{verb} {'rapporten' if publish_now else 'utkastet'} «{title}» …")
            if target is None:
                parent.add_child(instance=page)
            revision = page.save_revision(user=user, log_action=True)
            workflow = ""
            if publish_now:
                revision.publish(user=user)
            else:
                workflow = submit_for_review(page, user)
            record(page, revision, kind=kind, source_name=Path(str(source)).name, sha256=sha256,
                   importer_version=importer_version, outcome=outcome, user=user)
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    page = ReportPage.objects.get(pk=page.pk)
    if target is None:
        action = "opprettet"
    else:
        action = "til gjennomgang" if outcome == ImportRecord.Outcome.REVIEW else "oppdatert"
    return ReportImport(
        source=str(source), page=page, action=action, images=len(image_ids), warnings=warnings, outcome=outcome,
        workflow=workflow, reused_images=reused, edit=edit,
    )


def _target(sha256, source, target, existing, progress):
    """The report to update: ``target`` if given; else the one this very file made before, which
    ``existing="update"`` updates and ``existing="ask"`` reports (AlreadyImported)."""
    if target is not None:
        return target
    import_record, page = previous_import(sha256)
    if page is None:
        return None
    if existing == "ask":
        raise AlreadyImported(source, page, import_record)
    if progress:
        progress(f"Filen er allerede importert som «{page.get_admin_display_title()}» (id {page.pk}); oppdaterer den.")
    return page


def import_word_report(
    source, filename=None, *, parent=None, publish=False, user=None, report_type=None, progress=None,
    target=None, existing="update", on_edited=STOP,
):
    """Import a .docx (a path or an uploaded file) as a report; a draft for review unless ``publish``.

    The same file imported before updates the report it made (``existing="update"``) or raises
    AlreadyImported (``existing="ask"``); ``target`` names the report to update explicitly."""
    filename = Path(str(filename or source)).name
    parent = parent or report_index()
    if progress:
        progress(f"Leser Word-dokumentet {filename} …")
    document = read_docx(source, filename)
    target = _target(document.sha256, filename, target, existing, progress)
    if progress:
        counts = _block_counts(document.blocks)
        progress(f"Fant «{document.title or title_from_filename(filename)}»: {counts}.")
    return write_report(
        source=filename,
        title=document.title,
        summary=document.summary,
        blocks=document.blocks,
        images=document.images,
        parent=target.get_parent().specific if target is not None else parent,
        publish=publish,
        user=user,
        report_type=report_type,
        warnings=document.warnings,
        progress=progress,
        sha256=document.sha256,
        target=target,
        on_edited=on_edited,
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
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as exc:
        raise ContentFileError(path, "Filen er ikke lagret som UTF-8.", line=raw[: exc.start].count(b"\n") + 1) from exc


def import_text_report(path, *, parent=None, publish=False, user=None, report_type=None, progress=None,
                       target=None, existing="update", on_edited=STOP):
    """Import a Markdown report: a content file through the content importer, or a bare body."""
    text, raw = _read_text(path)
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
        if target is not None:
            raise ContentFileError(
                path, "En innholdsfil oppdaterer alltid rapporten med samme slug; bruk ikke --update."
            )
        if progress:
            progress(f"Importerer innholdsfilen {Path(path).name} med innholdsimporten …")
        result = import_file(path, publish=publish, user=user, on_edited=on_edited)
        return ReportImport(source=str(path), page=result.page, action=result.action, outcome=result.outcome,
                            workflow=result.workflow, edit=result.edit)

    sha256 = sha256_of(raw)
    target = _target(sha256, path, target, existing, progress)
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
        parent=target.get_parent().specific if target is not None else (parent or report_index()),
        publish=publish,
        user=user,
        report_type=report_type,
        progress=progress,
        sha256=sha256,
        kind=ImportRecord.Kind.TEXT,
        importer_version=TEXT_IMPORTER_VERSION,
        target=target,
        on_edited=on_edited,
    )


def import_report(path, *, parent=None, publish=False, user=None, report_type=None, progress=None,
                  target=None, on_edited=STOP):
    """Import a report file by its kind: .docx from Word, .md/.markdown/.txt as Markdown."""
    suffix = Path(str(path)).suffix.lower()
    options = {
        "parent": parent, "publish": publish, "user": user, "report_type": report_type, "progress": progress,
        "target": target, "on_edited": on_edited,
    }
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
