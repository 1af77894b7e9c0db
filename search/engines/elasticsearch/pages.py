"""Which pages the engine holds, and the document each should have now.

A page is held if it is live, public and of a searchable type (search.indexing decides, as
for the embedded index); its document is search.documents.document_for's. A rebuild reads
the pages as a stream (search.indexing.searchable_pages iterates in batches), so memory
stays flat however many pages there are.
"""

from .indices import alias_name
from .writes import delete_action, index_action, read_version


def searchable_count():
    from ...documents import SEARCHABLE_MODELS

    return sum(model.objects.live().public().count() for model in SEARCHABLE_MODELS)


def searchable_documents():
    """The documents of every page search covers, one at a time."""
    from ... import documents
    from ...indexing import searchable_pages

    for page in searchable_pages():
        yield documents.document_for(page)


def current_document(page_id):
    """The search document of page ``page_id`` if it should be found now, else None."""
    from wagtail.models import Page

    from ...documents import SEARCHABLE_MODELS, document_for
    from ...indexing import is_searchable

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    if not isinstance(page, SEARCHABLE_MODELS) or not is_searchable(page):
        return None
    return document_for(page)


def page_actions(page_ids, index=None, version=None):
    """Bulk actions bringing each page to its current state: index it, or delete it. Each is
    versioned with the moment its page was read (writes.py), unless ``version`` is given."""
    for page_id in page_ids:
        stamp = version or read_version()
        document = current_document(page_id)
        if document is None:
            yield delete_action(page_id, index or alias_name(), stamp)
        else:
            yield index_action(document, index or alias_name(), stamp)
