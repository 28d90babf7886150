"""The 7 Lenses matrix is reference data written by a data migration. A database emptied
without migrating again (a test flushed by a transactional test case, say) has none; the demo
and the tests call :func:`ensure_matrix` to put it back, exactly as the migration wrote it."""

from __future__ import annotations

import importlib

from django.apps import apps

from movilim.projects.reference import ensure_goals

from .models import Lens


def ensure_matrix() -> None:
    ensure_goals()
    if not Lens.objects.exists():
        importlib.import_module("movilim.maturity.migrations.0002_matrix").load(apps, None)
