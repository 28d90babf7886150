"""Audit entries for writes made in bulk, which the audit log's signals do not see.

``bulk_create`` and ``bulk_update`` send no ``post_save``, so django-auditlog records nothing for
them by itself. Services that write in bulk describe each change here and store the entries in
one statement, in the shape auditlog gives its own (``changes`` maps a field to
``[old, new]``), with the acting user and the request's correlation id and address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .bulk import insert_rows
from .models import User

CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE


@dataclass(frozen=True)
class Change:
    """One object created or changed: ``changes`` maps field names to ``(old, new)``."""

    instance: models.Model
    action: int
    changes: Mapping[str, tuple[Any, Any]]

    def entry(self) -> Entry:
        instance = self.instance
        return Entry(type(instance), instance.pk, str(instance), self.action, self.changes)


@dataclass(frozen=True)
class Entry:
    """One object created or changed, told by plain values: for rows written without a model
    instance (see ``core.bulk``), which a :class:`Change` would need. ``label`` is what the
    object's ``str()`` gives, which auditlog keeps as the entry's ``object_repr``."""

    model: type[models.Model]
    pk: Any
    label: str
    action: int
    changes: Mapping[str, tuple[Any, Any]]


def created(instance: models.Model, fields: Iterable[str]) -> Change:
    """A creation, listing the fields that hold a value (as auditlog lists them)."""
    return Change(
        instance, CREATE, creation_changes({name: _value(instance, name) for name in fields})
    )


def creation_changes(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The changes of a creation with these values by field name (relations by key): the
    fields that hold a value, each as ``(None, value)``."""
    return {name: (None, value) for name, value in values.items() if value not in (None, "")}


def _value(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(instance, field.attname)  # the key, as auditlog stores relations
    return getattr(instance, name)


def changed(
    instance: models.Model, before: Mapping[str, Any], fields: Iterable[str]
) -> Change | None:
    """An update from the values in ``before`` to the instance's, or None if none differ."""
    changes = {
        name: (before[name], _value(instance, name))
        for name in fields
        if before[name] != _value(instance, name)
    }
    return Change(instance, UPDATE, changes) if changes else None


def _plain(value: Any) -> Any:
    return value if isinstance(value, (type(None), bool, int, float, str)) else str(value)


def log_bulk(changes: Iterable[Change | Entry | None], *, actor: User | None) -> int:
    """Store one audit entry per change in a single statement; returns how many.

    The entries are written as plain rows (``core.bulk``): an import logs thousands at once.
    """
    context = auditlog_value.get({})
    actor = actor if actor is not None and actor.is_authenticated else None
    common = {
        "actor_id": actor.pk if actor is not None else None,
        "actor_email": actor.email if actor is not None else None,
        "cid": get_cid(),
        "remote_addr": context.get("remote_addr"),
        "remote_port": context.get("remote_port"),
        "timestamp": timezone.now(),
    }
    content_types: dict[type[models.Model], int] = {}
    rows = []
    for change in changes:
        if change is None:
            continue
        entry = change.entry() if isinstance(change, Change) else change
        content_type = content_types.get(entry.model)
        if content_type is None:
            content_type = ContentType.objects.get_for_model(entry.model).pk
            content_types[entry.model] = content_type
        rows.append(
            {
                "content_type_id": content_type,
                "object_pk": str(entry.pk),
                "object_id": entry.pk,
                "object_repr": entry.label,
                "action": entry.action,
                "changes": {
                    name: [_plain(old), _plain(new)] for name, (old, new) in entry.changes.items()
                },
            }
        )
    insert_rows(LogEntry, rows, common=common)
    return len(rows)
