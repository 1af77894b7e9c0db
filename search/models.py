"""The embedded search index: one row per live page with its facet values and weighted terms.

Kept in sync from Wagtail's page signals (search/signals.py) and rebuilt by
``manage.py search_reindex``. The database backend searches it; the Elasticsearch backend
can be fed from the same documents (search/documents.py).
"""

from django.db import models
from wagtail.models import Page


class SearchDocument(models.Model):
    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="search_document")
    page_type = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=255)
    title_sort = models.CharField(max_length=255, db_index=True)
    title_folded = models.CharField(max_length=255, help_text="Title without case and diacritics, for autocomplete.")
    url = models.CharField(max_length=1000)
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Plain text of the page, for snippets.")
    published = models.DateTimeField(null=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    county_label = models.CharField(max_length=150, blank=True)
    municipality_size = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, help_text="Tags and legal references as the API shows them.")
    length = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "søkedokument"
        verbose_name_plural = "søkedokumenter"

    def __str__(self):
        return self.title


class SearchFacetValue(models.Model):
    # No database constraint (migration 0010): written and deleted only with their document.
    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facet_values", db_constraint=False
    )
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=150)
    label = models.CharField(max_length=255)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="kb_facet_value_doc"),
            models.Index(fields=["document", "facet"], name="kb_facet_doc"),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchTerm(models.Model):
    """A document's characteristic terms: its ``PER_DOCUMENT`` heaviest index terms with their
    weights (title above summary and tags, above structured fields, above body; more for a term
    that recurs). «Les også» (SearchService.similar) finds the documents whose characteristic
    terms share most of a page's heaviest ones. Matching and ranking use the engines' own
    full-text index (search/engines/), which holds every term; so does the spelling help."""

    PER_DOCUMENT = 30

    # No database constraint (migration 0010), as SearchFacetValue.
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="terms", db_constraint=False)
    term = models.CharField(max_length=80)
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term", "document", "weight"], name="kb_term_doc")]

    def __str__(self):
        return f"{self.term} ({self.weight})"


class SearchVocabulary(models.Model):
    """Every folded word seen in the index with its stem: prefix search and spelling suggestions."""

    word = models.CharField(max_length=80, primary_key=True)
    stem = models.CharField(max_length=80, db_index=True)

    def __str__(self):
        return f"{self.word} → {self.stem}"


class SearchIndexState(models.Model):
    """One row: the embedded index's version, raised in the same transaction as every write to
    it. Writers wait for each other on this row, so versions become visible in order."""

    version = models.BigIntegerField(default=0)
    stamp = models.CharField(
        max_length=32, blank=True, help_text="Random per write: tells a rolled-back version apart."
    )

    class Meta:
        verbose_name = "søkeindeksens versjon"
        verbose_name_plural = "søkeindeksens versjon"

    def __str__(self):
        return str(self.version)


class SearchChange(models.Model):
    """Which documents a version of the index changed: each process's search snapshot reads the
    version (one row) and re-reads only the documents changed since its own. ``document_id``
    empty: everything changed (a full reindex). Old rows are pruned; a process further behind
    rebuilds its snapshot."""

    id = models.BigAutoField(primary_key=True)
    version = models.BigIntegerField(db_index=True)
    stamp = models.CharField(max_length=32, blank=True)
    document_id = models.PositiveIntegerField(null=True, help_text="Not a foreign key: the page may be deleted.")

    class Meta:
        verbose_name = "endring i søkeindeksen"
        verbose_name_plural = "endringer i søkeindeksen"

    def __str__(self):
        return f"{self.id}: {self.document_id or 'alle'}"


class IndexQueueEntry(models.Model):
    """A page the external search engine (Elasticsearch/OpenSearch) could not be updated for.

    Written when an update fails or times out (search/sync.py), worked off by
    ``manage.py search_retry_queue`` and after the next update that succeeds. One entry per
    page: retrying brings the page to its current state, whatever happened in between.
    """

    page_id = models.PositiveIntegerField(unique=True, help_text="Not a foreign key: the page may be deleted.")
    action = models.CharField(max_length=10, default="index", help_text="What failed: index or delete.")
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "ventende oppdatering av søkeindeksen"
        verbose_name_plural = "ventende oppdateringer av søkeindeksen"

    def __str__(self):
        return f"side {self.page_id} ({self.action}, {self.attempts} forsøk)"


class ReadAlso(models.Model):
    """One entry of a page's «Les også» list, stored by the index tasks (search/read_also.py)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="read_also")
    target = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="read_also_in")
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "«Les også»-lenke"
        verbose_name_plural = "«Les også»-lenker"
        constraints = [models.UniqueConstraint(fields=["page", "position"], name="kb_read_also_position")]
        indexes = [models.Index(fields=["target"], name="kb_read_also_target")]

    def __str__(self):
        return f"{self.page_id} → {self.target_id}"
