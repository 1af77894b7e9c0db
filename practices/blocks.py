"""StreamField blocks: report and article bodies, numbered steps, success factors and challenges."""

import re

from django.utils.text import slugify
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# «underline» is registered in wagtail_hooks.py (Wagtail has none); Word imports keep u, sub and sup (m², CO₂).
RICH_TEXT_FEATURES = [
    "h3", "h4", "bold", "italic", "underline", "superscript", "subscript", "ol", "ul", "link", "document-link",
]
INLINE_FEATURES = ["bold", "italic", "link"]

NUMBER_CELL_RE = re.compile(r"^-?\d{1,3}([\s\u00a0]\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")


NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def anchor_for(text):
    """A readable fragment id: «2 Ressurser og økonomi» -> «2-ressurser-og-okonomi»."""
    return slugify(str(text).translate(NORWEGIAN_LETTERS)) or "seksjon"


class HeadingValue(blocks.StructValue):
    @property
    def anchor(self):
        return anchor_for(self.get("text", ""))


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Overskrift")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Nivå 2"), ("h3", "Nivå 3"), ("h4", "Nivå 4")], default="h2", label="Nivå"
    )

    class Meta:
        icon = "title"
        label = "Overskrift"
        template = "practices/blocks/heading.html"
        value_class = HeadingValue


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Sitat")
    attribution = blocks.CharBlock(required=False, label="Kilde", help_text="Hvem sa det (valgfritt).")

    class Meta:
        icon = "openquote"
        label = "Sitat"
        template = "practices/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Bilde")
    alt_text = blocks.CharBlock(
        required=False,
        label="Alternativ tekst",
        help_text="Beskriv bildet for dem som ikke ser det. La stå tomt bare hvis bildet er ren pynt.",
    )
    caption = blocks.CharBlock(required=False, label="Bildetekst")

    class Meta:
        icon = "image"
        label = "Bilde"
        template = "practices/blocks/figure.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(required=False, label="Lenketekst", help_text="Standard er dokumentets tittel.")

    class Meta:
        icon = "doc-full"
        label = "Dokument"
        template = "practices/blocks/document_link.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label="Videoadresse", help_text="Adressen til videoen, f.eks. på YouTube eller Vimeo.")
    caption = blocks.CharBlock(required=False, label="Bildetekst")

    class Meta:
        icon = "media"
        label = "Video"
        template = "practices/blocks/video.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Tittel")
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="Innhold")

    class Meta:
        icon = "info-circle"
        label = "Faktaboks"
        template = "practices/blocks/fact_box.html"


class CollapsibleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Tittel")
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="Innhold")

    class Meta:
        icon = "collapse-down"
        label = "Sammenleggbar seksjon"
        template = "practices/blocks/collapsible.html"


class DataTableBlock(TableBlock):
    """A table whose first row may be a header row; numeric cells are right-aligned when rendered."""

    class Meta:
        icon = "table"
        label = "Tabell"
        template = "practices/blocks/table.html"


def is_number_cell(text):
    return bool(NUMBER_CELL_RE.match((text or "").strip()))


def body_blocks():
    """The blocks a report body offers."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="Tekst", icon="pilcrow")),
        ("table", DataTableBlock()),
        ("quote", QuoteBlock()),
        ("image", FigureBlock()),
        ("document", DocumentLinkBlock()),
        ("video", VideoBlock()),
        ("fact_box", FactBoxBlock()),
    ]


def article_blocks():
    """An article body: the report blocks plus collapsible sections."""
    return [*body_blocks(), ("collapsible", CollapsibleBlock())]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, label="Tittel", help_text="Valgfritt. Trinnene nummereres automatisk.")
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="Tekst")

    class Meta:
        icon = "list-ol"
        label = "Trinn"


class StatementBlock(blocks.StructBlock):
    """A short statement with an optional elaboration (success factors, challenges)."""

    statement = blocks.CharBlock(label="Utsagn", max_length=500)
    elaboration = blocks.TextBlock(required=False, label="Utdyping")

    class Meta:
        icon = "list-ul"
        label = "Punkt"
