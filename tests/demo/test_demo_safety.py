"""``manage.py demo`` refuses production databases unless forced, and loading twice equals once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from movilim.core.models import User
from movilim.people.models import Person
from movilim.programs.models import Cohort, Program

pytestmark = pytest.mark.django_db


def all_counts() -> dict[str, int]:
    """Rows of every model, the audit log included: a second run must not even log a change."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def person_details() -> list[tuple[str, str, str, str]]:
    return sorted(
        Person.objects.values_list("user__email", "job_title", "phone", "organization__name_he")
    )


def test_refuses_to_run_when_debug_is_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    before = all_counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", stdout=StringIO())
    assert all_counts() == before


def test_force_loads_even_with_debug_off(demo: str) -> None:
    """The folder's shared load (``conftest.demo``) is that run: DEBUG off, ``--force``."""
    assert "Demo data ready" in demo
    assert Program.objects.count() == 3
    assert Cohort.objects.count() == 5
    assert User.objects.filter(email="admin@example.org.il").exists()


def test_running_twice_changes_nothing(settings, demo: str) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    counts, people = all_counts(), person_details()
    assert counts["programs.Attendance"] > 1000

    out = StringIO()
    call_command("demo", stdout=out)

    assert all_counts() == counts
    assert person_details() == people
    assert "(+" not in out.getvalue()  # the report lists nothing as added


def test_running_again_weeks_later_adds_nothing(settings, monkeypatch, demo: str) -> None:  # type: ignore[no-untyped-def]
    """The current cohort's dates follow the calendar; a later run must not start another one."""
    settings.DEBUG = True
    counts = all_counts()
    current = Cohort.objects.get(program__slug="government", name_en="Cohort H")

    later = timezone.localdate() + timedelta(days=45)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    call_command("demo", stdout=StringIO())

    assert all_counts() == counts
    current.refresh_from_db()
    assert current.start_date < later - timedelta(days=60)
