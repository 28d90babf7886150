"""Keyset paging: each page starts where the last one ended, found through an index.

A page is asked for by the sort key of a row next to it (``?after=…`` or ``?before=…``), not by
its number: ``OFFSET 10000`` makes the database read and throw away ten thousand rows, and a huge
page number overflowed into a server error. The cursor is the key's values, encoded; it is
checked against the model's fields before it reaches the database, and anything unreadable (or
a leftover ``?page=``) simply gives the first page.

Lists are browsed, not totalled, so the pager offers first/previous/next. A filtered list may
ask for its total on its first page, read by the same statement (``counted``); other totals come
from a COUNT or aggregate of their own.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models import Count, Q, QuerySet, Value, Window
from django.http import QueryDict

#: Longest cursor accepted: a few names and numbers, never more.
MAX_CURSOR = 600


@dataclass(frozen=True)
class Page:
    """One page of rows (tuples of ``columns``), and the addresses of its neighbours."""

    items: Sequence[Any]
    has_next: bool
    has_previous: bool
    next_query: str
    previous_query: str
    first_query: str
    #: How many rows the whole list holds, when asked for (``counted``) on a first page.
    total: int | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Keyset:
    """The order of a list, as the keyset pager needs it.

    ``order`` names the sort fields, ``-`` for descending, ending in a unique one (usually
    ``pk``) so that every row has its own place. ``prefix`` names the parameters
    (``<prefix>after``, ``<prefix>before``), so that two lists on one page page independently.
    ``annotated`` gives the type of sort keys that the list's queryset annotates rather than
    reads from a column (a value that is never NULL, since NULL cannot mark a page's edge).
    """

    def __init__(
        self,
        model: type[models.Model],
        order: Sequence[str],
        *,
        prefix: str = "",
        annotated: Mapping[str, models.Field[Any, Any]] | None = None,
    ):
        self.model = model
        self.order = tuple(order)
        self.names = tuple(name.removeprefix("-") for name in self.order)
        self.descending = tuple(name.startswith("-") for name in self.order)
        extra = annotated or {}
        self.fields = tuple(extra.get(name) or _field(model, name) for name in self.names)
        self.after_param, self.before_param = f"{prefix}after", f"{prefix}before"

    # --- cursors -----------------------------------------------------------------------------

    def encode(self, values: Sequence[Any]) -> str:
        plain = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
        text = json.dumps(plain, cls=_Encoder, ensure_ascii=False, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, ...] | None:
        """The key values in ``cursor``, or None if it is not one this list could have made."""
        if not cursor or len(cursor) > MAX_CURSOR:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw.decode())
        except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(values, list) or len(values) != len(self.fields):
            return None
        checked = []
        for field, value in zip(self.fields, values, strict=True):
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                return None
            if isinstance(value, str) and "\x00" in value:
                return None  # PostgreSQL refuses NUL characters in text
            try:
                python = field.to_python(value)
                field.run_validators(python)  # e.g. integers within the column's range
            except (ValidationError, TypeError, ValueError, OverflowError):
                return None
            if python is None:
                return None
            checked.append(python)
        return tuple(checked)

    # --- conditions --------------------------------------------------------------------------

    def beyond(self, values: Sequence[Any], *, forward: bool) -> Q:
        """Rows after (``forward``) or before ``values`` in this order.

        ``(a, b, c) > (x, y, z)`` spelled as ``a >= x AND (a > x OR (a = x AND (b > y OR …)))``:
        the leading bound lets the database start its index scan at the cursor.
        """
        condition: Q | None = None
        for name, descending, value in reversed(
            list(zip(self.names, self.descending, values, strict=True))
        ):
            strict = Q(**{f"{name}__{'gt' if forward != descending else 'lt'}": value})
            condition = strict if condition is None else strict | (Q(**{name: value}) & condition)
        assert condition is not None
        first, descending, value = self.names[0], self.descending[0], values[0]
        leading = Q(**{f"{first}__{'gte' if forward != descending else 'lte'}": value})
        return leading & condition

    def ordering(self, *, forward: bool) -> list[str]:
        if forward:
            return list(self.order)
        return [
            name.removeprefix("-") if name.startswith("-") else f"-{name}" for name in self.order
        ]


def keyset_page(
    queryset: QuerySet[Any],
    query: QueryDict,
    *,
    keyset: Keyset,
    columns: Sequence[str],
    per_page: int = 50,
    counted: bool = False,
) -> Page:
    """One page of ``queryset`` as tuples of ``columns``, positioned by ``query``'s cursor.

    ``columns`` must include every field of the keyset's order. One query, reading ``per_page + 1``
    rows to learn whether there is a next (or previous) page; a second only when paging back
    reaches the start, to fill the first page.

    ``counted`` also gives the first page the list's ``total``, read by the same statement
    (``COUNT(*) OVER ()``, which the database works out before the limit): a filtered list must
    find and sort all its rows to show the first few anyway, so the total costs next to nothing
    there, where a ``COUNT`` of its own would run the whole search again. Pages after a cursor
    are not counted (the window would see only the rows beyond it). Leave it off for lists too
    long to be read whole: it stops the database from reading just the first rows of an index.
    """
    (page,) = keyset_pages(
        [(queryset.values_list(*columns), keyset)],
        query,
        columns=columns,
        per_page=per_page,
        counted=counted,
    )
    return page


def keyset_pages(
    lists: Sequence[tuple[QuerySet[Any], Keyset]],
    query: QueryDict,
    *,
    columns: Sequence[str],
    per_page: int = 50,
    counted: bool = False,
) -> list[Page]:
    """A page of each of several lists shown on one page, each positioned by its own cursor
    (its keyset's ``prefix``), as :func:`keyset_page` would read them one by one.

    Where the database allows ordered, limited branches in a compound statement (PostgreSQL),
    the pages come in one ``UNION ALL``: each branch is tagged with its list's number and its
    rows are told apart by it, in the order the branch produced them (a branch's rows are
    never interleaved with their own kind out of order). Elsewhere (SQLite) one query per list.

    Each list's queryset comes as ``values_list(*columns)``, columns of the same types in every
    list: lists cut from one such queryset share the work of setting up its selection.
    ``counted`` is as for :func:`keyset_page`, for a single list only.
    """
    assert not counted or len(lists) == 1, "only a single list is counted"
    positions: list[tuple[tuple[Any, ...] | None, bool]] = []
    branches = []
    for number, (queryset, keyset) in enumerate(lists):
        after = keyset.decode(query.get(keyset.after_param, ""))
        before = keyset.decode(query.get(keyset.before_param, "")) if after is None else None
        cursor, forward = (after, True) if before is None else (before, False)
        positions.append((cursor, forward))
        branch = _ordered(queryset, keyset, cursor, forward=forward)
        if len(lists) > 1:
            branch = branch.annotate(_list=Value(number, output_field=models.IntegerField()))
        branches.append(branch)
    total: int | None = None
    if counted and positions[0][0] is None:
        counted_rows = list(branches[0].annotate(_total=Window(Count("*")))[: per_page + 1])
        total = counted_rows[0][-1] if counted_rows else 0
        read = [[tuple(row[:-1]) for row in counted_rows]]
    elif len(branches) == 1:
        read = [list(branches[0][: per_page + 1])]
    elif connection.features.supports_slicing_ordering_in_compound:
        read = [[] for _ in branches]
        first, *others = (branch[: per_page + 1] for branch in branches)
        for *row, number in first.union(*others, all=True):
            read[number].append(tuple(row))
    else:
        read = [[tuple(row[:-1]) for row in branch[: per_page + 1]] for branch in branches]
    pages = []
    for (queryset, keyset), (cursor, forward), rows in zip(lists, positions, read, strict=True):
        more = len(rows) > per_page
        rows = rows[:per_page]
        if forward:
            has_previous, has_next = cursor is not None, more
        else:
            rows.reverse()
            has_previous, has_next = more, True
            if not more:
                # Back at the start: show the whole first page rather than what was left of it.
                first_rows = list(_ordered(queryset, keyset, None, forward=True)[: per_page + 1])
                rows, has_next = first_rows[:per_page], len(first_rows) > per_page
        page = _page(rows, query, keyset, columns, has_next=has_next, has_previous=has_previous)
        pages.append(page if total is None else replace(page, total=total))
    return pages


def _ordered(
    queryset: QuerySet[Any], keyset: Keyset, cursor: tuple[Any, ...] | None, *, forward: bool
) -> QuerySet[Any]:
    """``queryset`` from ``cursor`` on (all of it without one), in the keyset's order or its
    reverse."""
    if cursor is not None:
        queryset = queryset.filter(keyset.beyond(cursor, forward=forward))
    return queryset.order_by(*keyset.ordering(forward=forward))


def _page(
    rows: list[Any],
    query: QueryDict,
    keyset: Keyset,
    columns: Sequence[str],
    *,
    has_next: bool,
    has_previous: bool,
) -> Page:
    """The page of ``rows``, with the addresses of its neighbours."""
    positions = [list(columns).index(name) for name in keyset.names]

    def link(param: str | None, row: Sequence[Any] | None) -> str:
        linked = query.copy()
        for name in (keyset.after_param, keyset.before_param, "page"):
            linked.pop(name, None)
        if param is not None and row is not None:
            linked[param] = keyset.encode([row[i] for i in positions])
        return linked.urlencode()

    return Page(
        items=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_query=link(keyset.after_param, rows[-1] if rows else None),
        previous_query=link(keyset.before_param, rows[0] if rows else None),
        first_query=link(None, None),
    )


def _field(model: type[models.Model], path: str) -> models.Field[Any, Any]:
    """The model field at the end of ``path`` (``"user__last_name"``, ``"pk"``)."""
    options = model._meta
    *relations, last = path.split("__")
    for name in relations:
        related = options.get_field(name).related_model
        if related is None or isinstance(related, str):
            raise FieldDoesNotExist(path)
        options = related._meta
    field = options.pk if last == "pk" else options.get_field(last)
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(path)
    return field


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)
