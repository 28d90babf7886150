"""The strategic goals are reference data written by a data migration. A database emptied
without migrating again (a test flushed by a transactional test case, say) has none; the demo
and the tests call :func:`ensure_goals` to put them back, exactly as the migration wrote them."""

from __future__ import annotations

import importlib

from django.apps import apps

from .models import StrategicGoal


def ensure_goals() -> None:
    if not StrategicGoal.objects.exists():
        importlib.import_module("movilim.projects.migrations.0002_strategic_goals").load(apps, None)
