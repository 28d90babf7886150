"""The page benchmark's projects data and pages (``bench/app_projects.py``), on a small world:
the data is generated, every target answers, and the small variant runs the same queries."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .. import factories
from ..conftest import World

BENCH = Path(__file__).resolve().parents[2] / "bench" / "app_projects.py"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("app_projects", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generate_and_targets(world: World, client_for) -> None:
    for _ in range(5):
        factories.EnrollmentFactory(cohort=world.cohort, person=factories.PersonFactory())
    module = _module()
    summary = module.generate()
    assert summary.startswith("projects: 20 projects")
    client = client_for("coordinator")
    targets = module.targets()
    assert {t["label"] for t in targets} >= {
        "projects catalogue",
        "project page",
        "organizations' maturity",
    }
    # The organizations' maturity of the first program: assessed, and listed with it.
    assert summary.endswith("assessments of organizations")
    assert not summary.endswith(" 0 assessments of organizations")
    for target in targets:
        counts = []
        for path in (target["path"], target["small"]):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, path
            counts.append(len(queries))
        assert counts[0] == counts[1], target["label"]
