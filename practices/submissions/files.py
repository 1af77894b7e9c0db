"""Attachments to a submission: a Word report (.docx) or a PDF, checked by their content.

A Word file gets the Word importer's checks (``practices.importing.docx.read_docx``: a real,
readable .docx, not password-protected, not a zip bomb) so what editors later import is what was
accepted here; a PDF must start like one. The name's extension must agree with the content.
Every problem is a Norwegian message naming the file; nothing is stored here.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from ..importing.content_file import ContentFileError
from ..importing.docx import read_docx


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: str  # "docx" or "pdf" (SubmissionFile.Kind)
    data: bytes


def max_size_label():
    return filesizeformat(settings.SUBMISSION_MAX_FILE_SIZE).replace("\xa0", " ")


def clean_filename(name):
    """The file's own name without any folder, printable and at most 150 characters."""
    name = Path(str(name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "vedlegg"
    stem, suffix = Path(name).stem, Path(name).suffix
    return stem[: 150 - len(suffix)] + suffix


def check_upload(upload):
    """A ``CheckedFile`` for an uploaded file, or ValidationError with a Norwegian message."""
    filename = clean_filename(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size > settings.SUBMISSION_MAX_FILE_SIZE:
        raise ValidationError(f"«{filename}» er for stor. Største tillatte størrelse er {max_size_label()}.")
    upload.seek(0)
    data = upload.read(settings.SUBMISSION_MAX_FILE_SIZE + 1)
    if not data:
        raise ValidationError(f"«{filename}» er tom.")
    if len(data) > settings.SUBMISSION_MAX_FILE_SIZE:
        raise ValidationError(f"«{filename}» er for stor. Største tillatte størrelse er {max_size_label()}.")
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise ValidationError(f"«{filename}» heter .pdf, men er ikke en PDF-fil.")
        return CheckedFile(filename, "pdf", data)
    if suffix == ".docx":
        try:
            read_docx(io.BytesIO(data), filename)
        except ContentFileError as error:
            raise ValidationError(f"«{filename}»: {error.message}") from error
        return CheckedFile(filename, "docx", data)
    raise ValidationError(
        f"«{filename}» har en filtype som ikke kan sendes inn. Send Word-dokumenter (.docx) eller PDF-filer (.pdf)."
    )

