"""Inserting many rows in one statement without building a model instance for each.

``bulk_create`` builds a model instance per row and prepares every value of it field by field;
for the thousands of rows of an import (accounts, people, enrollments, their history and audit
entries) that preparation cost more than the database's work. :func:`insert_rows` takes plain
values instead: on PostgreSQL the rows travel as one JSON document, which the database unpacks
into the table's row type (``json_populate_recordset``), and the statement returns the keys of
the rows it inserted. Elsewhere it falls back to ``bulk_create``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _columns(model: type[models.Model]) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """For the columns an insert writes (all but an automatic primary key): the value of each
    that a row leaves out, as a new instance would get it; the ``auto_now(_add)`` ones, which
    Django stamps whatever the row says; and the column name of any attname that differs."""
    now = timezone.now()
    defaults: dict[str, Any] = {}
    stamped: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.AutoField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamped[field.attname] = now
        defaults[field.attname] = field.get_default()
        if field.column != field.attname:
            renamed[field.attname] = field.column
    return defaults, stamped, renamed


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    common: Mapping[str, Any] | None = None,
    returning: str | None = None,
    ignore_conflicts: bool = False,
) -> dict[Any, Any]:
    """Insert ``rows`` (values by field attname, such as ``user_id``) into ``model``'s table.

    ``common`` holds values shared by every row, sent once. Columns left out get the field's
    default; ``auto_now`` and ``auto_now_add`` columns get the current time, as with
    ``bulk_create``. No signal is sent and no ``save()`` runs, so the caller writes any audit
    entries itself. Values must be what the column stores: text, numbers, booleans, times,
    JSON for JSON columns, keys for relations.

    Returns ``{row[returning]: pk}`` for the rows inserted. With ``ignore_conflicts``, a row that
    would break a unique constraint is skipped and missing from the result, which is how a caller
    learns that another writer got there first.
    """
    if not rows:
        return {}
    defaults, stamped, renamed = _columns(model)
    given: set[str] = set().union(*rows)
    unknown = (given | {returning} if returning else given) - set(defaults)
    if unknown:
        raise TypeError(f"{model.__name__} has no columns {sorted(unknown)}")
    fill = {**defaults, **(common or {})}
    if connection.vendor != "postgresql":
        rows = [{**fill, **row, **stamped} for row in rows]
        return _bulk_create(model, rows, returning=returning, ignore_conflicts=ignore_conflicts)

    varying = [name for name in defaults if name in given and name not in stamped]
    constant = {name: value for name, value in {**fill, **stamped}.items() if name not in varying}
    exact = set(varying)
    documents: list[Mapping[str, Any]] = [
        row if row.keys() == exact else {name: row.get(name, fill[name]) for name in varying}
        for row in rows
    ]
    if renamed:
        documents = [{renamed.get(k, k): v for k, v in row.items()} for row in documents]
        constant = {renamed.get(k, k): v for k, v in constant.items()}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [renamed.get(name, name) for name in (*varying, *constant)]
    columns = ", ".join(quote(name) for name in names)
    values = ", ".join(
        [
            *(f"r.{quote(name)}" for name in names[: len(varying)]),
            *(f"c.{quote(name)}" for name in names[len(varying) :]),
        ]
    )
    # Identifiers from the model's meta, quoted; every value travels in the two parameters.
    statement = (
        f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608
        f"FROM json_populate_recordset(NULL::{table}, %s::json) r, "
        f"json_populate_record(NULL::{table}, %s::json) c"
    )
    if ignore_conflicts:
        statement += " ON CONFLICT DO NOTHING"
    if returning is not None:
        key = renamed.get(returning, returning)
        statement += f" RETURNING {quote(key)}, {quote(_pk(model).column)}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [_json(documents), _json(constant)])
        return dict(cursor.fetchall()) if returning is not None else {}


def _json(value: Any) -> str:
    # ``str`` writes times with their microseconds and zone, which PostgreSQL reads as they were.
    return json.dumps(value, ensure_ascii=False, default=str)


def _bulk_create(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    returning: str | None,
    ignore_conflicts: bool,
) -> dict[Any, Any]:
    """:func:`insert_rows` where writers take turns for a whole transaction (SQLite).

    Skipped rows are told apart by their keys: Django numbers SQLite rows with ``AUTOINCREMENT``,
    and nobody else writes until the transaction ends, so the rows numbered above the highest
    key before the insert are this statement's.
    """
    manager = model._default_manager
    pk = _pk(model).attname
    last = None
    if ignore_conflicts and returning is not None:
        last = manager.aggregate(last=models.Max(pk))["last"] or 0
    objects = manager.bulk_create([model(**row) for row in rows], ignore_conflicts=ignore_conflicts)
    if returning is None:
        return {}
    if all(obj.pk is not None for obj in objects):
        return {getattr(obj, returning): obj.pk for obj in objects}
    keys = [row[returning] for row in rows]
    stored = manager.filter(**{f"{returning}__in": keys, f"{pk}__gt": last or 0}).order_by()
    return dict(stored.values_list(returning, pk))


def _pk(model: type[models.Model]) -> models.Field[Any, Any]:
    pk = model._meta.pk
    assert pk is not None  # every concrete model has one
    return pk
