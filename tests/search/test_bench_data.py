"""Search's part of the page benchmark (``bench/app_search.py``), after the projects' part on a
small world: the projects are indexed, and the similar-projects page runs the same queries on
its large and its small instance, each with projects found."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .. import factories
from ..conftest import World

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generate_and_targets(world: World, client_for) -> None:
    for _ in range(5):
        factories.EnrollmentFactory(cohort=world.cohort, person=factories.PersonFactory())
    _module("app_projects").generate()
    module = _module("app_search")
    assert module.generate() == "search: 20 projects indexed"
    client = client_for("coordinator")
    (target,) = module.targets()
    counts, found = [], []
    for path in (target["path"], target["small"]):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(len(queries))
        found.append(len(re.findall(r'href="/projects/\d+/"', response.content.decode())))
    assert counts[0] == counts[1]
    assert found[0] > found[1] == 1
