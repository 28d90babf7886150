"""Organizations' digital maturity from the app: the program's staff list ministries and local
authorities (filtered by kind, searched by name, paged), each with its latest assessment in the
program, and go from there to assess it or to its history."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.core.models import User
from movilim.maturity import services
from movilim.maturity.models import Lens
from movilim.people.models import Organization, OrganizationKind
from movilim.programs.models import Program

from .. import factories
from ..conftest import World

pytestmark = pytest.mark.usefixtures("module_world")


def _assess(
    program: Program, org: Organization, assessor: User, on: str, levels: list[int]
) -> None:
    lenses = Lens.objects.order_by("position")
    services.organization_assess(
        program=program,
        organization=org,
        assessor=assessor,
        on=datetime.date.fromisoformat(on),
        levels={lens.pk: (level, "") for lens, level in zip(lenses, levels, strict=True)},
    )


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in response.context["page"].items]


def test_staff_reach_the_organizations_from_the_matrix(world: World, client_for) -> None:
    ours = reverse("maturity:organizations", args=[world.program.slug])
    theirs = reverse("maturity:organizations", args=[world.other_program.slug])
    staff = client_for("steering").get(reverse("maturity:matrix")).content.decode()
    assert ours in staff
    assert theirs not in staff
    assert ours not in client_for("participant").get(reverse("maturity:matrix")).content.decode()
    # And back from an organization's history and from the ranking.
    org = world.participant_person.organization
    history = reverse("maturity:organization", args=[world.program.slug, org.pk])
    assert ours in client_for("evaluator").get(history).content.decode()
    ranking = reverse("maturity:authorities", args=[world.program.slug])
    assert ours in client_for("evaluator").get(ranking).content.decode()


def test_the_list_shows_each_organizations_latest_assessment_in_this_program(
    world: World, client_for
) -> None:
    yeruham = factories.OrganizationFactory(
        kind=OrganizationKind.LOCAL_AUTHORITY, name_he="מועצה מקומית ירוחם", region="דרום"
    )
    health = factories.OrganizationFactory(
        kind=OrganizationKind.GOV_EXECUTION, name_he="משרד הבריאות"
    )
    justice = factories.OrganizationFactory(kind=OrganizationKind.GOV_HQ, name_he="משרד המשפטים")
    factories.OrganizationFactory(kind=OrganizationKind.CIVIL_SOCIETY, name_he="עמותת הבריאות")
    _assess(world.program, yeruham, world.coordinator, "2025-01-01", [1] * 7)
    _assess(world.program, yeruham, world.coordinator, "2026-01-01", [2, 2, 2, 3, 3, 3, 3])
    _assess(world.program, yeruham, world.manager, "2026-01-01", [2, 2, 2, 3, 3, 3, 5])
    # Kept per program: the other program's later reading of the ministry is not this one's.
    _assess(world.program, health, world.manager, "2025-06-01", [4] * 7)
    _assess(world.other_program, health, world.admin, "2026-03-01", [1] * 7)

    url = reverse("maturity:organizations", args=[world.program.slug])
    response = client_for("coordinator").get(url)
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["page"].items}
    assert "עמותת הבריאות" not in rows  # civil society is not followed here
    assert rows["מועצה מקומית ירוחם"].assessed_on == datetime.date(2026, 1, 1)
    # The medians at the latest date are 2, 2, 2, 3, 3, 3, 4: their mean.
    assert rows["מועצה מקומית ירוחם"].level == (6 + 9 + 4) / 7
    assert (rows["משרד הבריאות"].assessed_on, rows["משרד הבריאות"].level) == (
        datetime.date(2025, 6, 1),
        4.0,
    )
    assert (rows["משרד המשפטים"].assessed_on, rows["משרד המשפטים"].level) == (None, None)
    page = response.content.decode()
    assert "2.7" in page and "01/01/2026" in page and "טרם הוערך" in page
    for org in (yeruham, health, justice):
        assert reverse("maturity:organization", args=[world.program.slug, org.pk]) in page
        assert reverse("maturity:organization_assess", args=[world.program.slug, org.pk]) in page

    # Filtered by kind and searched by name, with vowel points or without.
    assert _names(client_for("coordinator").get(url, {"kind": "local_authority"})) == [
        "מועצה מקומית ירוחם"
    ]
    ministries = _names(client_for("coordinator").get(url, {"kind": "ministries", "q": "משרד"}))
    assert ministries == ["משרד הבריאות", "משרד המשפטים"]
    assert _names(client_for("coordinator").get(url, {"kind": "gov_hq", "q": "משרד"})) == [
        "משרד המשפטים"
    ]
    assert _names(client_for("coordinator").get(url, {"q": "יְרוּחָם"})) == ["מועצה מקומית ירוחם"]
    # An unknown kind is ignored rather than an error.
    assert client_for("coordinator").get(url, {"kind": "nonsense"}).status_code == 200

    # Staff who read but do not assess get the history, not the way to assess.
    evaluator = client_for("evaluator").get(url).content.decode()
    assert reverse("maturity:organization", args=[world.program.slug, yeruham.pk]) in evaluator
    assert "/assess/" not in evaluator


def test_the_list_runs_the_same_queries_for_few_and_many_organizations(
    world: World, client_for
) -> None:
    client = client_for("coordinator")
    url = reverse("maturity:organizations", args=[world.program.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY, name_he="אבו גוש")
    _assess(world.program, first, world.coordinator, "2026-01-01", [3] * 7)
    few = count()
    for n in range(60):
        org = factories.OrganizationFactory(
            kind=OrganizationKind.LOCAL_AUTHORITY if n % 2 else OrganizationKind.GOV_HQ,
            name_he=f"ב ארגון {n:02d}",
        )
        for on in ("2025-01-01", "2026-01-01"):
            for assessor in (world.coordinator, world.manager):
                _assess(world.program, org, assessor, on, [1 + n % 5] * 7)
    assert count() == few
    page = client.get(url).context["page"]
    assert page.has_next  # 50 a page
    assessed = [row for row in page.items if row.name.startswith("ב ארגון")]
    assert assessed and all(row.assessed_on == datetime.date(2026, 1, 1) for row in assessed)
    rest = client.get(f"{url}?{page.next_query}").context["page"]
    listed = [row.name for row in page.items] + [row.name for row in rest.items]
    total = Organization.objects.filter(
        kind__in=[
            OrganizationKind.GOV_HQ,
            OrganizationKind.GOV_EXECUTION,
            OrganizationKind.LOCAL_AUTHORITY,
        ]
    ).count()
    assert len(listed) == len(set(listed)) == total


def test_only_ministries_and_local_authorities_are_assessed(world: World, client_for) -> None:
    """The list offers ministries and local authorities; another kind's pages are not found,
    and nothing can be assessed for it."""
    society = factories.OrganizationFactory(kind=OrganizationKind.CIVIL_SOCIETY)
    authority = factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY)
    client = client_for("manager")
    for name in ("maturity:organization", "maturity:organization_assess"):
        assert client.get(reverse(name, args=[world.program.slug, authority.pk])).status_code == 200
        assert client.get(reverse(name, args=[world.program.slug, society.pk])).status_code == 404
    lenses = Lens.objects.order_by("position")
    form = {f"level_{lens.pk}": "3" for lens in lenses} | {"on": "2026-05-01"}
    url = reverse("maturity:organization_assess", args=[world.program.slug, society.pk])
    assert client.post(url, form).status_code == 404
    assert not society.maturity_assessments.exists()
