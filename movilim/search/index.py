"""Keeping the search table current: documents from the sources, written as entries.

Changes to watched models reach here through signals (``SearchConfig.ready``) and are written
in the same transaction as the change, so search never shows what was rolled back.
``rebuild`` refills a whole kind in batches (the ``search_reindex`` command, the benchmark).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Model

from movilim.core.hebrew import document_terms, fold

from . import sources
from .models import Entry, Word

BATCH = 2000
_DIGIT = re.compile("[0-9]")
#: While ``deferred()`` runs: the objects whose entries are to be written at its end, by kind.
_pending: ContextVar[dict[str, tuple[sources.Source, set[int]]] | None] = ContextVar(
    "search_pending", default=None
)


def _entry(kind: str, document: sources.Document) -> Entry:
    return Entry(
        kind=kind,
        object_id=document.object_id,
        program_id=document.program_id,
        person_id=document.person_id,
        title=document.title[:300],
        summary=document.summary[:500],
        url=document.url,
        day=document.day,
        title_folded=fold(document.title)[:300],
        title_terms=document_terms(document.title),
        terms=document_terms(document.text),
    )


_FIELDS = [
    "program_id",
    "person_id",
    "title",
    "summary",
    "url",
    "day",
    "title_folded",
    "title_terms",
    "terms",
]


@transaction.atomic
def refresh(source: sources.Source, ids: Iterable[int]) -> None:
    """Write the entries of these objects again; drop those that no longer have a document."""
    ids = set(ids)
    if not ids:
        return
    documents = list(source.documents(ids))
    existing = {e.object_id: e for e in Entry.objects.filter(kind=source.kind, object_id__in=ids)}
    entries_written = []
    for document in documents:
        entry = _entry(source.kind, document)
        entries_written.append(entry)
        current = existing.pop(document.object_id, None)
        if current is None:
            entry.save()
        else:
            entry.pk = current.pk
            entry.save(update_fields=_FIELDS)
    if existing:
        Entry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    _remember_words(entries_written)


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


@transaction.atomic
def rebuild(source: sources.Source) -> int:
    """Every entry of the source's kind written anew; how many."""
    Entry.objects.filter(kind=source.kind).delete()
    count = 0
    for batch in _batches(source.documents(None), BATCH):
        entries = [_entry(source.kind, d) for d in batch]
        Entry.objects.bulk_create(entries)
        _remember_words(entries)
        count += len(batch)
    return count


def _remember_words(entries: list[Entry]) -> None:
    """Add the entries' words to the vocabulary (numbers left out: a mistyped number is not
    corrected). Words are never removed: a word no entry holds any more only suggests a
    correction that then finds nothing."""
    words = set()
    for entry in entries:
        words.update(entry.title_terms.split())
        words.update(entry.terms.split())
    Word.objects.bulk_create(
        (Word(word=w) for w in sorted(words) if len(w) <= 100 and not _DIGIT.search(w)),
        ignore_conflicts=True,
        batch_size=BATCH,
    )


@contextmanager
def deferred() -> Iterator[None]:
    """Write the entries that a run of many writes changes once, at its end, instead of at every
    save (a person saved five times while a demo or a batch is loaded is indexed once).

    Use it inside the writes' transaction, as ``refresh`` is: search then still never shows what
    was rolled back. If the block raises, nothing is written (its transaction is rolled back).
    """
    if _pending.get() is not None:
        yield  # already inside one: the outer block writes
        return
    pending: dict[str, tuple[sources.Source, set[int]]] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for source, ids in pending.values():
        refresh(source, ids)


def on_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """Signal receiver: refresh what a saved or deleted object changes, for every source that
    watches its model."""
    if kwargs.get("raw"):
        return  # fixtures loading: their objects are indexed by a rebuild
    written = kwargs.get("update_fields")
    for source in sources.registered():
        if not isinstance(instance, source.watches):
            continue
        if written and frozenset(written) <= source.unread_fields:
            continue
        # The ids are taken now: a deleted object cannot be asked about later.
        ids = source.ids_for(instance)
        pending = _pending.get()
        if pending is None:
            refresh(source, ids)
        else:
            pending.setdefault(source.kind, (source, set()))[1].update(ids)


def on_m2m_change(sender: Any, instance: Model, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        on_change(type(instance), instance)
