"""The authentication backend: Django's, with a leaner read of the signed-in user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router


class UserBackend(ModelBackend):
    """Django's model backend; only ``get_user`` differs.

    ``get_user`` runs on every signed-in request. A raw query by primary key skips building an
    ORM query (the saving is measured in ``docs/decisions/0006-lean-request-reads.md``) and
    still yields a full model instance, every column converted as the ORM would convert it.
    ``user_id`` arrives already converted by ``django.contrib.auth.get_user``.
    """

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        meta = model._meta
        q = connections[router.db_for_read(model)].ops.quote_name
        sql = f"SELECT * FROM {q(meta.db_table)} WHERE {q(meta.pk.column)} = %s"  # type: ignore[union-attr]  # noqa: S608 - names from the model
        user = next(iter(model._default_manager.raw(sql, [user_id])), None)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
