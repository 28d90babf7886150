"""The page benchmark's survey data and targets work: every target answers, and the small
instance of each runs as many queries as the large one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .. import factories


def _module():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[2] / "bench" / "app_surveys.py"
    spec = importlib.util.spec_from_file_location("app_surveys", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_generate_and_targets(db) -> None:  # type: ignore[no-untyped-def]
    import datetime

    coordinator = factories.UserFactory(email="coordinator@bench.example.org")
    program = factories.ProgramFactory(kind="government")
    factories.ProgramRoleFactory(user=coordinator, program=program, role="coordinator")
    running = factories.CohortFactory(
        program=program, start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 3, 1)
    )
    small = factories.CohortFactory(program=program)
    for index in range(30):
        gender = "male" if index % 2 else "female"
        factories.EnrollmentFactory(cohort=running, person__gender=gender)
    for _ in range(3):
        factories.EnrollmentFactory(cohort=small)
    module = _module()
    assert "24 of 31 answered" in module.generate()
    client = Client()
    client.force_login(coordinator)
    for target in module.targets():
        counts = []
        for path in (target["path"], target["small"]):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            counts.append(len(queries))
        assert counts[0] == counts[1], (target["label"], counts)
