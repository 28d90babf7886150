"""Paging without counting: fetch one row more than a page to know whether another page exists.

A COUNT over a filtered, joined list costs as much as the page itself on large tables, and the lists
here are browsed, not totalled, so pages show previous/next only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import QueryDict

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    has_next: bool
    query: QueryDict

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def _query_for(self, number: int) -> str:
        query = self.query.copy()
        query["page"] = str(number)
        return query.urlencode()

    @property
    def next_query(self) -> str:
        return self._query_for(self.number + 1)

    @property
    def previous_query(self) -> str:
        return self._query_for(self.number - 1)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_of(queryset: QuerySet[Any], query: QueryDict, *, per_page: int = 50) -> Page[Any]:
    """Slice ``queryset`` for the ``page`` parameter of ``query`` (a bad number means page 1)."""
    try:
        number = max(int(query.get("page", "1")), 1)
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page, query=query)
