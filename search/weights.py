"""How much each kind of text counts in a search document: title above summary and tags, above
the structured fields, above body text. Read by search/documents.py when it builds a document
and by the engines (search/engines/) when they weight its fields, so the engines need nothing
from the page models."""

WEIGHT_TITLE = 8.0
WEIGHT_SUMMARY = 4.0
WEIGHT_TAGS = 4.0
WEIGHT_STRUCTURED = 2.0
WEIGHT_BODY = 1.0
