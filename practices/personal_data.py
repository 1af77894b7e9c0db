"""Finding personal data that must not be published: Norwegian national identity numbers
(fødselsnummer and D-numbers, recognised by their control digits) and mobile phone numbers,
which in Norway almost always belong to a person rather than an office.

Used by the page editor's form (practices/forms.py) to warn before a page is published or sent
for review. Landline numbers (starting with 2, 3, 5, 6 or 7) are offices' and are not reported.
"""

import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from stdnum.no import fodselsnummer

# Eleven digits, optionally written as 6 + 5 with a space or a dot between.
IDENTITY_NUMBER_RE = re.compile(r"(?<![\d\w])(\d{6})[ .]?(\d{5})(?![\d\w])")
# A Norwegian mobile number (first digit 4 or 9), with or without +47/0047, written as 8 digits or
# in the usual groups 3-2-3 («412 34 567») or 2-2-2-2 («41 23 45 67»). Amounts («45 000 000») are
# grouped 2-3-3 and do not match.
MOBILE_RE = re.compile(
    r"(?<![\d\w+])(?:(?:\+|00)47[ .-]?)?"
    r"([49]\d{7}|[49]\d{2}[ .-]\d{2}[ .-]\d{3}|[49]\d[ .-]\d{2}[ .-]\d{2}[ .-]\d{2})"
    r"(?![\d\w])"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "fødselsnummer" or "mobilnummer"
    text: str  # as written
    field: str  # the field's label, as the editor sees it

    def __str__(self):
        return f"{self.kind} «{self.text}» i feltet «{self.field}»"


def find_in_text(text, field=""):
    """Every identity number and mobile number in ``text`` (plain text or HTML)."""
    text = strip_tags(text or "")
    findings = []
    taken = []
    for match in IDENTITY_NUMBER_RE.finditer(text):
        if fodselsnummer.is_valid(match.group(1) + match.group(2)):
            findings.append(Finding("fødselsnummer", match.group(0), field))
            taken.append(match.span())
    for match in MOBILE_RE.finditer(text):
        start, end = match.span()
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        findings.append(Finding("mobilnummer", match.group(0).strip(), field))
    return findings


def field_texts(field, value):
    """The plain strings an editor wrote in one model field's value."""
    if value is None:
        return []
    stream_block = getattr(field, "stream_block", None)
    if stream_block is not None:
        return [str(text) for text in stream_block.get_searchable_content(value)]
    if isinstance(value, str):
        return [value]
    source = getattr(value, "source", None)  # wagtail.rich_text.RichText
    return [source] if isinstance(source, str) else []


def find_in_values(model, values):
    """Findings in a mapping of field name → value (a form's cleaned data) for ``model``'s fields."""
    findings = []
    for field in model._meta.get_fields():
        if field.name not in values or not getattr(field, "concrete", False) or field.is_relation:
            continue
        label = str(getattr(field, "verbose_name", field.name))
        for text in field_texts(field, values[field.name]):
            findings.extend(find_in_text(text, field=label[:1].upper() + label[1:]))
    return findings


def find_in_page(page):
    """Findings in every text field of a (specific) page."""
    values = {field.name: getattr(page, field.name, None) for field in page._meta.concrete_fields}
    return find_in_values(type(page), values)
