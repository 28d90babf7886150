"""The catalogue (filters, sorting, who sees what, a fixed number of queries) and the portfolio
(its figures, its spreadsheet)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from movilim.people.models import OrganizationKind
from movilim.projects import services
from movilim.projects.models import StrategicGoal

from .. import factories
from ..conftest import World

DAY = datetime.date(2026, 1, 10)


pytestmark = pytest.mark.usefixtures("module_world")


def _project(cohort, title: str, *, people=(), kind: str = "group", goals=(), stage=None):  # type: ignore[no-untyped-def]
    project = services.project_create(
        cohort=cohort,
        title=title,
        kind=kind,
        members=[(p, "member") for p in people],
        goals=goals,
        started_on=DAY,
        by=None,
    )
    if stage:
        services.stage_set(project=project, stage=stage, on=DAY, by=None)
    return project


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.title for row in response.context["page"].items]


def test_filters_and_sorting(world: World, client_for) -> None:
    local = factories.PersonFactory(
        organization=factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY)
    )
    rights = StrategicGoal.objects.get(key="rights")
    _project(world.cohort, "אלף", people=[world.participant_person], kind="personal")
    _project(
        world.cohort,
        "בית",
        people=[world.participant_person, local],
        goals=[rights],
        stage="advanced",
    )
    _project(world.other_cohort, "גימל")
    client = client_for("coordinator")
    url = reverse("projects:list")
    assert sorted(_titles(client.get(url))) == ["אלף", "בית"]  # not the other program's
    assert _titles(client.get(url, {"kind": "personal"})) == ["אלף"]
    assert _titles(client.get(url, {"stage": "advanced"})) == ["בית"]
    assert _titles(client.get(url, {"goal": rights.pk})) == ["בית"]
    assert _titles(client.get(url, {"organization_kind": "local_authority"})) == ["בית"]
    assert _titles(client.get(url, {"crossing": "yes"})) == ["בית"]
    assert _titles(client.get(url, {"crossing": "no"})) == ["אלף"]
    assert _titles(client.get(url, {"sort": "title"})) == ["אלף", "בית"]
    # Nonsense filters are ignored rather than failing.
    assert client.get(url, {"stage": "x", "cohort": "abc", "after": "%%%"}).status_code == 200


def test_participants_see_their_programs_projects_and_the_outsider_does_not(
    world: World, client_for
) -> None:
    _project(world.cohort, "שלנו")
    _project(world.other_cohort, "שלהם")
    assert _titles(client_for("participant").get(reverse("projects:list"))) == ["שלנו"]
    assert _titles(client_for("outsider").get(reverse("projects:list"))) == ["שלהם"]


def test_the_catalogue_runs_the_same_queries_for_few_and_many_projects(
    world: World, client_for
) -> None:
    client = client_for("coordinator")
    url = reverse("projects:list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _project(world.cohort, "ראשון", people=[world.participant_person])
    few = count()
    for n in range(60):
        _project(world.cohort, f"מיזם {n}", people=[world.fellow_person])
    assert count() == few
    assert client.get(url).context["page"].has_next  # 50 a page


def test_the_portfolio_counts_stages_originals_goals_and_crossing(world: World, client_for) -> None:
    local = factories.PersonFactory(
        organization=factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY)
    )
    rights = StrategicGoal.objects.get(key="rights")
    first = _project(world.cohort, "א", people=[world.participant_person], stage="advanced")
    _project(world.cohort, "ב", people=[world.fellow_person, local], goals=[rights])
    _project(world.cohort, "ג", people=[world.fellow_person], stage="completed")
    services.member_end(member=first.members.get(), ended_on=DAY)
    _project(world.other_cohort, "אחר", stage="advanced")

    response = client_for("steering").get(reverse("projects:dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data.total == 3
    (row,) = data.cohorts
    assert (row.total, row.advanced) == (3, 2)
    assert (data.with_original, data.with_original_active) == (3, 2)
    assert data.cross_organization == 1
    assert {g.key: n for g, n in data.goals}["rights"] == 1
    page = response.content.decode()
    # Aggregates only: no member's name on the steering committee's page.
    assert world.participant_person.user.last_name not in page
    assert "67%" in page  # the advanced share, beside its chart
    # The steering committee forms no teams; the coordinator finds the way there.
    teams = reverse("projects:teams", args=[world.cohort.pk])
    assert teams not in page
    assert teams in client_for("coordinator").get(reverse("projects:dashboard")).content.decode()


def test_the_portfolio_spreadsheet_neutralizes_formulas(world: World, client_for) -> None:
    world.program.name_he = '=HYPERLINK("http://x")'
    world.program.save()
    _project(world.cohort, "א", stage="advanced")
    response = client_for("manager").get(reverse("projects:dashboard_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.value for row in workbook.active.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c, str)]
    assert not any(text.startswith("=") for text in texts)
    assert any(text.startswith("'=HYPERLINK") for text in texts)
    assert 100.0 in cells  # advanced share of the one project, as a number
