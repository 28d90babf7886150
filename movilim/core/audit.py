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

from .models import User

CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE


@dataclass(frozen=True)
class Change:
    """One object created or changed: ``changes`` maps field names to ``(old, new)``."""

    instance: models.Model
    action: int
    changes: Mapping[str, tuple[Any, Any]]


def created(instance: models.Model, fields: Iterable[str]) -> Change:
    """A creation, listing the fields that hold a value (as auditlog lists them)."""
    changes = {}
    for name in fields:
        value = _value(instance, name)
        if value not in (None, ""):
            changes[name] = (None, value)
    return Change(instance, CREATE, changes)


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


def log_bulk(changes: Iterable[Change | None], *, actor: User | None) -> int:
    """Store one audit entry per change in a single statement; returns how many."""
    context = auditlog_value.get({})
    actor = actor if actor is not None and actor.is_authenticated else None
    cid = get_cid()
    entries = []
    for change in changes:
        if change is None:
            continue
        instance = change.instance
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(type(instance)),
                object_pk=str(instance.pk),
                object_id=instance.pk,
                object_repr=str(instance),
                action=change.action,
                changes={
                    name: [_plain(old), _plain(new)] for name, (old, new) in change.changes.items()
                },
                actor=actor,
                actor_email=actor.email if actor is not None else None,
                cid=cid,
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
            )
        )
    LogEntry.objects.bulk_create(entries)
    return len(entries)
