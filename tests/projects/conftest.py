"""Fixtures of the projects tests: a project of the world's cohort, and uploads kept in a
temporary folder."""

from __future__ import annotations

import datetime

import pytest

from movilim.projects import services
from movilim.projects.models import MemberRole, Project

from ..conftest import World


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(world: World) -> Project:
    return services.project_create(
        cohort=world.cohort,
        title="תור דיגיטלי",
        kind="group",
        members=[(world.participant_person, MemberRole.LEAD)],
        started_on=datetime.date(2026, 1, 10),
        by=None,
    )


@pytest.fixture(autouse=True)
def _reference_data(reference_data: None) -> None:
    """Every test here reads the goals or the matrix (see the root ``reference_data``)."""
