"""The one content importer: Markdown files with YAML front matter become Wagtail pages.

Used by ``manage.py import_content``, by ``manage.py bootstrap`` for ``fixtures/`` and by
editors' own files alike. See docs/innholdsformat.md for the format.
"""

from .content_file import ContentFileError
from .history import REVIEW_DRAFT, STOP, EditedSinceImport
from .importer import ImportResult, import_file, import_files

__all__ = [
    "REVIEW_DRAFT", "STOP", "ContentFileError", "EditedSinceImport", "ImportResult", "import_file", "import_files",
]
