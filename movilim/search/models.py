"""One table of everything search finds: one row per object, filled by the sources
(``sources.py``) whenever an object changes.

``terms`` and ``title_terms`` hold every form of every word (``core.hebrew.document_terms``);
PostgreSQL indexes them as a ``tsvector`` (the ``simple`` configuration: our terms, no
dictionary of its own) kept by a trigger, plus a trigram index on the folded title for typing
mistakes; SQLite keeps an FTS5 table beside it, kept by triggers. Both are created by the
migration for their database only.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Entry(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    # The program whose staff may see the object; the source decides what it means for its kind.
    program_id = models.BigIntegerField(null=True)
    # The person the object is by or about (an item's author, a member): evidence for experts.
    person_id = models.BigIntegerField(null=True)
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=300)
    day = models.DateField(null=True)
    title_folded = models.CharField(max_length=300)
    title_terms = models.TextField()
    terms = models.TextField()
    # Filled by a trigger on PostgreSQL; stay NULL on SQLite, where FTS5 does the work.
    # ``title_tsv`` is small, so the title's matches are found and ranked first and cheaply.
    tsv = SearchVectorField(null=True, editable=False)
    title_tsv = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            # object_id first: an index led by the kind would tempt PostgreSQL to read every
            # entry of a kind instead of the kind's GIN index (see queries.indexed_only).
            models.UniqueConstraint(fields=["object_id", "kind"], name="search_entry_unique")
        ]
        indexes = [models.Index(fields=["person_id"], name="search_entry_person")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class Word(models.Model):
    """Every term the table holds, once: the vocabulary a mistyped query word is corrected
    against (PostgreSQL: a trigram index on a few tens of thousands of short words, rather than
    on every title)."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word
