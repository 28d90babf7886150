"""Version counters for cached content, and the keys pages cache it under.

A page that caches a part of itself reads the versions of the content that part shows (one
query for all of them) and puts them in the cache key; code that changes such content raises the
version (usually from a model signal, see ``programs/signals.py``). Cached copies are therefore
never stale, whichever process or host serves the next request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from .models import ContentVersion


def bump(*topics: str) -> None:
    """Raise the version of each topic (creating it at 1).

    Called for every changed row, inside the change's transaction: a rollback undoes the raise
    with the change, and no page cached between two changes can outlive the second.
    """
    for topic in topics:
        if not ContentVersion.objects.filter(topic=topic).update(version=F("version") + 1):
            try:
                with transaction.atomic():
                    ContentVersion.objects.create(topic=topic, version=1)
            except IntegrityError:  # created meanwhile by a concurrent request
                ContentVersion.objects.filter(topic=topic).update(version=F("version") + 1)


def current(topics: Iterable[str]) -> dict[str, int]:
    """The versions of ``topics`` (0 for a topic never raised), in one cheap query.

    Plain SQL: this runs on every view of a cached page, where building an ORM query would cost
    more than the rest of the cache hit.
    """
    wanted = list(topics)
    q = connection.ops.quote_name
    table = q(ContentVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('topic')}, {q('version')} FROM {table} "  # noqa: S608 - names from the model
            f"WHERE {q('topic')} IN ({marks})",
            wanted,
        )
        found = dict(cursor.fetchall())
    return {topic: found.get(topic, 0) for topic in wanted}


def stamp(*topics: str) -> str:
    """A cache-key part naming the current version of every topic: ``"people.4-schedule.9"``."""
    return "-".join(f"{topic}.{version}" for topic, version in current(topics).items())
