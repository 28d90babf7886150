"""The PostgreSQL indexes each kind of entry needs: a partial GIN index on ``tsv`` and one on
``title_tsv``, restricted to the kind. Search looks up one kind at a time, and a partial index
holds only that kind's postings, so a common word among 100,000 items costs nothing when
searching the 12 events (measured in ``bench/search.py``).

A new source's migration runs ``kind_indexes(kind)`` (and ``drop_kind_indexes`` backwards).
"""

from __future__ import annotations

import re


def _checked(kind: str) -> str:
    if not re.fullmatch("[a-z]{1,20}", kind):
        raise ValueError(f"not a kind: {kind!r}")
    return kind


def kind_indexes(kind: str) -> list[str]:
    kind = _checked(kind)
    return [
        f"CREATE INDEX IF NOT EXISTS search_entry_tsv_{kind} ON search_entry "
        f"USING gin (tsv) WHERE kind = '{kind}'",
        f"CREATE INDEX IF NOT EXISTS search_entry_title_tsv_{kind} ON search_entry "
        f"USING gin (title_tsv) WHERE kind = '{kind}'",
    ]


def drop_kind_indexes(kind: str) -> list[str]:
    kind = _checked(kind)
    return [
        f"DROP INDEX IF EXISTS search_entry_tsv_{kind}",
        f"DROP INDEX IF EXISTS search_entry_title_tsv_{kind}",
    ]
