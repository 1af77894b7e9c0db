"""What an editor does to a published page in the search property tests, with the page's index
entry brought up to date as the background task does it: publish again (with new field values),
unpublish, delete."""

from search import indexing


def edit(pages, page, kind, **fields):
    """``kind``: "republish" (setting ``fields`` first), "unpublish" or "delete" (also taken out
    of ``pages``)."""
    if kind == "delete":
        pages.remove(page)
        page.delete()
        indexing.remove_page(page.pk)
        return
    if kind == "unpublish":
        page.unpublish()
    else:
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
    indexing.index_page(page)
