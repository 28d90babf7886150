"""The cohort page: participants, composition against targets, and a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.people.models import OrganizationKind
from movilim.programs.queries import cohort_composition

from .. import factories

pytestmark = pytest.mark.usefixtures("module_world")


def _fill(cohort, n: int) -> None:
    hq = factories.OrganizationFactory(kind=OrganizationKind.GOV_HQ)
    local = factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY)
    factories.members(
        cohort,
        n,
        each=lambda i: {
            "organization": hq if i % 2 else local,
            "gender": "female" if i % 3 else "male",
        },
    )


@pytest.mark.django_db
def test_composition_counts_members_only_and_compares_with_targets() -> None:
    cohort = factories.CohortFactory(target_size=10)
    hq = factories.OrganizationFactory(kind=OrganizationKind.GOV_HQ)
    execution = factories.OrganizationFactory(kind=OrganizationKind.GOV_EXECUTION)
    local = factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY)
    civil = factories.OrganizationFactory(kind=OrganizationKind.CIVIL_SOCIETY)
    specs = [  # organization, gender, minority, profile
        (hq, "female", True, "policy"),
        (execution, "female", False, "technology"),
        (execution, "male", None, "technology"),
        (local, "male", False, "both"),
        (civil, "female", False, "policy"),
    ]
    for organization, gender, minority, profile in specs:
        person = factories.PersonFactory(
            organization=organization, gender=gender, minority=minority, profile_type=profile
        )
        factories.EnrollmentFactory(cohort=cohort, person=person)
    # Not a member: must not count.
    factories.EnrollmentFactory(cohort=cohort, status="withdrew")
    factories.CompositionTargetFactory(
        cohort=cohort, dimension="sector", category="government", min_percent=70, max_percent=80
    )
    factories.CompositionTargetFactory(
        cohort=cohort, dimension="gender", category="female", min_percent=40, max_percent=60
    )

    composition = cohort_composition(cohort)

    assert composition.total == 5
    groups = {g.dimension: g for g in composition.groups}
    sector = {r.category: r for r in groups["sector"].rows}
    assert sector["government"].count == 3
    assert sector["government"].share == pytest.approx(60.0)
    assert sector["government"].on_target is False  # 60% is below 70–80%
    assert sector["local"].count == 1 and sector["civil"].count == 1
    ministry = {r.category: r for r in groups["ministry_type"].rows}
    assert groups["ministry_type"].base == 3
    assert ministry["gov_execution"].share == pytest.approx(200 / 3)
    gender = {r.category: r for r in groups["gender"].rows}
    assert gender["female"].count == 3
    assert gender["female"].on_target is True  # 60% is inside 40–60%
    minority = {r.category: r for r in groups["minority"].rows}
    assert minority["yes"].count == 1 and minority["unknown"].count == 1
    assert [bar.label for bar in composition.chart().bars] == [
        str(sector["government"].label),
        str(gender["female"].label),
    ]


@pytest.mark.django_db
def test_target_bounds_are_inclusive() -> None:
    cohort = factories.CohortFactory()
    for gender in ("female", "female", "male", "male", "male"):
        factories.EnrollmentFactory(cohort=cohort, person__gender=gender)
    factories.CompositionTargetFactory(
        cohort=cohort,
        dimension="gender",
        category="female",
        min_percent=Decimal(40),
        max_percent=None,
    )
    rows = {
        r.category: r
        for g in cohort_composition(cohort).groups
        for r in g.rows
        if g.dimension == "gender"
    }
    assert rows["female"].share == pytest.approx(40.0)
    assert rows["female"].on_target is True


def test_cohort_page_shows_composition_table_and_chart(world, client_for) -> None:
    factories.CompositionTargetFactory(cohort=world.cohort)
    response = client_for("coordinator").get(reverse("programs:cohort", args=[world.cohort.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="composition-table"' in html
    assert "<svg" in html and 'role="img"' in html
    assert world.participant_person.full_name in html


def test_steering_committee_sees_composition_but_no_names(world, client_for) -> None:
    response = client_for("steering").get(reverse("programs:cohort", args=[world.cohort.pk]))
    html = response.content.decode()
    assert 'id="composition-table"' in html
    assert world.participant_person.full_name not in html


def test_participant_sees_fellows_but_not_composition(world, client_for) -> None:
    response = client_for("participant").get(reverse("programs:cohort", args=[world.cohort.pk]))
    html = response.content.decode()
    assert world.fellow_person.full_name in html
    assert 'id="composition-table"' not in html


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_cohort_page_queries_do_not_grow_with_participants(world, client_for) -> None:
    small = factories.CohortFactory(program=world.program)
    large = factories.CohortFactory(program=world.program)
    _fill(small, 10)
    _fill(large, 120)
    for cohort in (small, large):
        factories.SessionFactory(cohort=cohort)
        factories.CompositionTargetFactory(cohort=cohort)
    client = client_for("coordinator")
    pages = [
        ("programs:cohort", "cohort"),
        ("programs:cohort_attendance", "attendance summary"),
    ]
    for name, label in pages:
        counts = [_count_queries(client, reverse(name, args=[c.pk])) for c in (small, large)]
        assert counts[0] == counts[1], f"{label}: {counts[0]} queries for 10, {counts[1]} for 120"
    html = client.get(reverse("programs:cohort", args=[large.pk])).content.decode()
    members_table = html[html.index('id="participants-table"') :].split("</table>")[0]
    assert members_table.count('<th scope="row"') == 100  # one page of the 120
    assert "(120)" in html  # the total, counted


def test_cohort_page_follows_every_change(world, client_for) -> None:
    """The roster and composition show every change at once, whoever made it."""
    url = reverse("programs:cohort", args=[world.cohort.pk])
    client = client_for("coordinator")

    def page() -> str:
        return client.get(url).content.decode()

    person = world.fellow_person
    assert person.full_name in page()
    # A name, a job title, an organization's name, a status, a target, a new session.
    person.user.first_name = "שונה"
    person.user.save()
    assert "שונה" in page()
    person.job_title = "ראש מטה חדשנות"
    person.save()
    assert "ראש מטה חדשנות" in page()
    person.organization.name_he = "משרד שעבר שינוי שם"
    person.organization.save()
    assert "משרד שעבר שינוי שם" in page()
    client.post(
        reverse("programs:enrollment_status", args=[world.enrollment.pk]), {"status": "withdrew"}
    )
    html = page()
    members_table = html[html.index('id="participants-table"') :].split("</table>")[0]
    assert world.participant_person.full_name not in members_table
    assert world.participant_person.full_name in html.split(members_table)[1]
    assert "withdrew" not in html  # labels, not codes
    before = html.count("badge-status-")
    factories.CompositionTargetFactory(
        cohort=world.cohort, dimension="minority", category="yes", min_percent=10, max_percent=None
    )
    assert page().count("badge-status-") == before + 1
    factories.SessionFactory(cohort=world.cohort)
    assert "(2 " in page() or "2 מפגשים" in page() or "2 sessions" in page()


def test_cohort_page_title_and_breadcrumbs_follow_renames(world, client_for) -> None:
    """The title and breadcrumbs carry the cohort's and the program's current names."""
    url = reverse("programs:cohort", args=[world.cohort.pk])
    client = client_for("coordinator")
    client.get(url)
    world.program.name_he = "תוכנית ששמה הוחלף"
    world.program.save()
    html = client.get(url).content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "תוכנית ששמה הוחלף" in title
    assert html.count("תוכנית ששמה הוחלף") >= 3  # title, breadcrumbs, heading
    world.cohort.name_he = "מחזור ששמו הוחלף"
    world.cohort.save()
    html = client.get(url).content.decode()
    assert "מחזור ששמו הוחלף" in html[html.index("<title>") : html.index("</title>")]
    assert html.count("מחזור ששמו הוחלף") >= 3


def test_the_roster_and_its_action_bar_cost_the_same_queries_for_any_size(
    world, client_for
) -> None:
    """The boxes and the action bar (with the number "all matching" stands for) add no query
    that grows with the cohort, filtered or not."""
    small = factories.CohortFactory(program=world.program)
    large = factories.CohortFactory(program=world.program)
    _fill(small, 10)
    _fill(large, 120)
    client = client_for("coordinator")
    for query in ("", "?status=active&q=%D7%A9%D7%9D"):  # names start with "שם"
        urls = [reverse("programs:cohort", args=[c.pk]) + query for c in (small, large)]
        counts = [_count_queries(client, url) for url in urls]
        assert counts[0] == counts[1], f"{query or 'no filter'}: {counts}"
    html = client.get(urls[1]).content.decode()
    assert 'id="roster-actions"' in html
    members_table = html[html.index('id="participants-table"') :].split("</table>")[0]
    assert members_table.count('form="roster-actions"') == 100  # a box per row of the page
    assert "120" in html[html.index('id="roster-scope-filter"') :].split("</label>")[0]
