"""A confirmed submission becomes a draft practice example in «Faglig godkjenning».

The page is created unpublished under the practice index (nothing of it is public until a
Godkjenner approves it; the workflow then publishes it at its ordinary address), with the
submitter's text in the practice template's fields, the municipality and its county, and the
provisions as legal references. The revision has no user: nobody on the staff wrote it, so any
Godkjenner may approve it. Attachments become documents in the collection «Innsendte vedlegg»,
private while only the draft uses them (practices/media_privacy.py); a Word report also goes
through the Word importer editors use, as a draft report tied to the practice.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from ..importing.content_file import ContentFileError
from ..importing.history import submit_for_review
from ..importing.reports import AlreadyImported, import_word_report, unique_slug
from ..models import PracticeAttachment, PracticeIndexPage, PracticeLegalReference, PracticePage, SubmissionStatus

logger = logging.getLogger(__name__)

COLLECTION_NAME = "Innsendte vedlegg"


def paragraphs(text):
    """Plain text as rich-text HTML: blank lines part paragraphs, single newlines become <br>."""
    parts = [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in parts if part)


def split_steps(text):
    """One step per paragraph (a blank line between)."""
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


def lines(text):
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


def statements(text):
    return [("item", {"statement": line[:500], "elaboration": ""}) for line in lines(text)]


def submissions_collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def _document(file, title):
    document = get_document_model()(title=title, collection=submissions_collection())
    document.file.save(file.filename, ContentFile(bytes(file.data)), save=False)
    document.file_size = file.size
    document._set_file_hash()
    document.save()
    return document


@transaction.atomic
def create_draft(submission):
    """The draft PracticePage for a confirmed submission, sent into its workflow."""
    index = PracticeIndexPage.objects.get()
    answers = submission.answers
    municipality = submission.municipality
    page = PracticePage(
        title=submission.title,
        slug=unique_slug(index, submission.title),
        summary=answers.get("summary", ""),
        responsible_unit=submission.unit[:255],
        county=municipality.county if municipality else None,
        background=paragraphs(answers.get("background")),
        goals=paragraphs(answers.get("goals")),
        steps=[
            ("step", {"title": "", "text": RichText(paragraphs(step))}) for step in split_steps(answers.get("steps"))
        ],
        user_participation=paragraphs(answers.get("user_participation")),
        financing=paragraphs(answers.get("financing")),
        resources=answers.get("resources", ""),
        results=paragraphs(answers.get("results")),
        success_factors=statements(answers.get("success_factors")),
        challenges=statements(answers.get("challenges")),
        continuation=paragraphs(answers.get("continuation")),
        live=False,
    )
    if municipality:
        page.municipalities = [municipality]
    page.legal_references = [PracticeLegalReference(provision=p) for p in submission.provisions.all()]
    files = list(submission.files.all())
    page.attachments = [
        PracticeAttachment(document=_document(file, f"{submission.title}: {file.filename}"), title=file.filename)
        for file in files
    ]
    index.add_child(instance=page)
    page.save_revision(user=None, log_action=True)
    submit_for_review(page, None)

    for file in files:
        if file.kind == file.Kind.WORD:
            _import_word_report(file, page)

    # The files now live on as documents (and a report): the submission keeps only their names.
    submission.files.update(data=b"")
    submission.page = page
    submission.status = SubmissionStatus.CONFIRMED
    submission.confirmed_at = timezone.now()
    submission.save(update_fields=["page", "status", "confirmed_at"])
    return page


def _import_word_report(file, practice):
    """The Word report as a draft report (the editors' importer), tied to the practice."""
    try:
        with transaction.atomic():
            result = import_word_report(io.BytesIO(bytes(file.data)), file.filename, existing="ask")
    except AlreadyImported as already:
        logger.info("Innsendt rapport %s er allerede importert som side %s", file.filename, already.page.pk)
        return None
    except ContentFileError:
        logger.warning("Innsendt rapport %s kunne ikke importeres", file.filename, exc_info=True)
        return None
    report = result.page
    report.related_practice = practice
    report.save(update_fields=["related_practice"])
    revision = report.get_latest_revision()
    if revision is not None:
        revision.content["related_practice"] = practice.pk
        revision.save(update_fields=["content"])
    return report
