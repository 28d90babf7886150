"""The 7 Lenses tool: the matrix as data, assessments by several members (median and spread),
the radar chart with its table, the guidance, targets, history, heatmap and organizations."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse

from movilim.maturity import queries, services
from movilim.maturity.models import Assessment, Lens, LensLevel, Score
from movilim.people.models import OrganizationKind
from movilim.projects import services as project_services
from movilim.projects.models import MemberRole, Project

from .. import factories
from ..conftest import World

pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def project(world: World) -> Project:
    return project_services.project_create(
        cohort=world.cohort,
        title="חניה חכמה",
        kind="group",
        members=[(world.participant_person, MemberRole.LEAD), (world.fellow_person, "member")],
        started_on=datetime.date(2026, 1, 10),
        by=None,
    )


def _form(levels: list[int], on: str = "2026-06-01", notes: dict[int, str] | None = None) -> dict:
    data: dict = {"assessed_on": on, "submission_token": str(uuid.uuid4())}
    for lens, level in zip(Lens.objects.order_by("position"), levels, strict=True):
        data[f"level_{lens.pk}"] = str(level)
        data[f"note_{lens.pk}"] = (notes or {}).get(lens.position, "")
    return data


def test_the_matrix_is_seven_lenses_of_five_levels_in_both_languages(db: None) -> None:
    assert list(Lens.objects.values_list("key", flat=True)) == [
        "vision",
        "design",
        "plan",
        "leadership",
        "collaboration",
        "accountability",
        "people",
    ]
    assert LensLevel.objects.count() == 35
    assert not LensLevel.objects.filter(text_he="").exists()
    assert not LensLevel.objects.filter(text_en="").exists()
    assert Lens.objects.get(key="vision").name_he == "חזון"


def test_members_assess_and_the_page_shows_median_spread_and_notes(
    world: World, client_for, project: Project
) -> None:
    url = reverse("maturity:assess", args=[project.pk])
    mine = _form([2, 3, 3, 1, 4, 2, 3], notes={0: "אין מסמך חזון"})
    participant = client_for("participant")
    assert participant.post(url, mine).status_code == 302
    assert participant.post(url, mine).status_code == 302  # double submit: one record
    fellow = client_for("coordinator")  # staff may not assess the team's project
    assert fellow.get(url).status_code == 403
    fellow_user = world.fellow_person.user
    services.project_assess(
        project=project,
        assessor=fellow_user,
        on=datetime.date(2026, 6, 1),
        levels={
            lens.pk: (level, "")
            for lens, level in zip(
                Lens.objects.order_by("position"), [4, 3, 3, 2, 4, 2, 3], strict=True
            )
        },
    )
    assert Assessment.objects.filter(project=project).count() == 2

    page = participant.get(reverse("maturity:project", args=[project.pk]))
    assert page.status_code == 200
    table = {row["lens"].key: row for row in page.context["table"]}
    assert (table["vision"]["median"], table["vision"]["low"], table["vision"]["high"]) == (
        3.0,
        2,
        4,
    )
    assert table["vision"]["spread"] == 2
    text = page.content.decode()
    assert "יש מחלוקת בצוות" in text  # where the team disagrees
    assert "אין מסמך חזון" in text
    assert "<svg" in text and "<table" in text  # the chart and its table alternative


def test_assessing_again_the_same_day_replaces_the_reading(
    world: World, client_for, project: Project
) -> None:
    client = client_for("participant")
    url = reverse("maturity:assess", args=[project.pk])
    client.post(url, _form([1] * 7))
    client.post(url, _form([5] * 7))
    assessment = Assessment.objects.get(project=project)
    assert set(Score.objects.filter(assessment=assessment).values_list("level", flat=True)) == {5}


def test_bad_assessments_are_refused_and_the_answers_kept(
    world: World, client_for, project: Project
) -> None:
    client = client_for("participant")
    url = reverse("maturity:assess", args=[project.pk])
    data = _form([3] * 7)
    first = Lens.objects.order_by("position").first()
    assert first is not None
    del data[f"level_{first.pk}"]
    data["assessed_on"] = "2999-01-01"
    second = Lens.objects.order_by("position")[1]
    data[f"level_{second.pk}"] = "9"
    response = client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "יש לבחור את הרמה המתאימה ביותר" in text
    assert "התאריך אינו יכול להיות בעתיד" in text
    third = Lens.objects.order_by("position")[2]
    assert f'id="id_level_{third.pk}_2" value="3" checked' in text  # nothing lost
    assert not Assessment.objects.exists()


def test_radar_guidance_and_history_follow_the_rounds_and_targets(
    world: World, client_for, project: Project
) -> None:
    lenses = list(Lens.objects.order_by("position"))
    user = world.participant
    for on, levels in (
        (datetime.date(2026, 1, 20), [1, 2, 2, 2, 2, 2, 2]),
        (datetime.date(2026, 6, 20), [2, 3, 3, 3, 3, 3, 1]),
    ):
        services.project_assess(
            project=project,
            assessor=user,
            on=on,
            levels={lens.pk: (lv, "") for lens, lv in zip(lenses, levels, strict=True)},
        )
    response = client_for("coordinator").post(
        reverse("maturity:targets", args=[project.pk]),
        {"horizon": "6", f"target_{lenses[1].pk}": "5", f"target_{lenses[2].pk}": "9"},
    )
    assert response.status_code == 400  # 9 is not a level
    response = client_for("coordinator").post(
        reverse("maturity:targets", args=[project.pk]),
        {"horizon": "6", f"target_{lenses[1].pk}": "5"},
    )
    assert response.status_code == 302

    page = client_for("participant").get(reverse("maturity:project", args=[project.pk]))
    steps = page.context["guidance"]
    # Furthest from target first (design: 3 -> 5), then the weakest (people at 1, vision at 2).
    assert [(s.lens.key, s.why, s.next_level) for s in steps] == [
        ("design", "target", 4),
        ("people", "weakest", 2),
        ("vision", "weakest", 3),
    ]
    people_level_2 = LensLevel.objects.get(lens=lenses[6], level=2).text_he
    text = page.content.decode()
    assert people_level_2 in text  # the next level's descriptor is the concrete next step
    assert 'stroke-dasharray="6 4"' in text  # the previous round on the radar
    history = {row["lens"].key: row["values"] for row in page.context["history"]}
    assert history["people"] == [2.0, 1.0]


def test_the_heatmap_counts_projects_at_their_latest_level(
    world: World, client_for, project: Project
) -> None:
    lenses = list(Lens.objects.order_by("position"))
    other = project_services.project_create(
        cohort=world.cohort,
        title="שני",
        kind="personal",
        members=[(world.fellow_person, "lead")],
        started_on=datetime.date(2026, 1, 10),
        by=None,
    )
    for subject, on, level in (
        (project, datetime.date(2026, 1, 1), 1),
        (project, datetime.date(2026, 5, 1), 3),
        (other, datetime.date(2026, 2, 1), 3),
    ):
        services.project_assess(
            project=subject,
            assessor=world.participant,
            on=on,
            levels={lens.pk: (level, "") for lens in lenses},
        )
    response = client_for("steering").get(reverse("maturity:heatmap", args=[world.cohort.pk]))
    assert response.status_code == 200
    assert response.context["assessed"] == 2
    for row in response.context["rows"]:
        assert [cell["n"] for cell in row["cells"]] == [0, 0, 2, 0, 0]


def test_organizations_are_assessed_over_time_and_ranked(world: World, client_for) -> None:
    lenses = list(Lens.objects.order_by("position"))
    low = factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY, name_he="ירוחם")
    high = factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY, name_he="רעננה")
    client = client_for("coordinator")
    for org, on, level in ((low, "2025-01-01", 3), (low, "2026-01-01", 1), (high, "2026-01-01", 4)):
        url = reverse("maturity:organization_assess", args=[world.program.slug, org.pk])
        assert client.post(url, _form([level] * 7, on=on)).status_code == 302
    assert client.post(url, {"assessed_on": "x"}).status_code == 400
    ranked = (
        client_for("steering")
        .get(reverse("maturity:authorities", args=[world.program.slug]))
        .context["ranked"]
    )
    assert [(r["item"].organization.name_he, r["item"].mean) for r in ranked] == [
        ("ירוחם", 1.0),
        ("רעננה", 4.0),
    ]
    page = client_for("evaluator").get(
        reverse("maturity:organization", args=[world.program.slug, low.pk])
    )
    assert [r.on for r in page.context["rounds"]] == [
        datetime.date(2025, 1, 1),
        datetime.date(2026, 1, 1),
    ]
    # Kept per program: the other program's staff do not see it.
    assert not queries.ranking(world.other_program)
    del lenses


def test_the_project_page_summarizes_the_latest_assessment(
    world: World, client_for, project: Project
) -> None:
    lenses = list(Lens.objects.order_by("position"))
    detail = reverse("projects:detail", args=[project.pk])
    assert "טרם הוערך" in client_for("evaluator").get(detail).content.decode()
    services.project_assess(
        project=project,
        assessor=world.participant,
        on=datetime.date(2026, 3, 1),
        levels={lens.pk: (4, "") for lens in lenses},
    )
    page = client_for("evaluator").get(detail)
    (summary,) = [s for s in page.context["sections"] if s.name == "maturity:summary"]
    assert summary.data["rows"][0] == (lenses[0], 4.0)
    assert not summary.data["can_assess"]
    assert reverse("maturity:assess", args=[project.pk]) not in page.content.decode()
    mine = client_for("participant").get(detail).content.decode()
    assert reverse("maturity:assess", args=[project.pk]) in mine


def test_staff_find_the_heatmaps_and_authorities_from_the_matrix(world: World, client_for) -> None:
    heatmap = reverse("maturity:heatmap", args=[world.cohort.pk])
    authorities = reverse("maturity:authorities", args=[world.program.slug])
    staff = client_for("steering").get(reverse("maturity:matrix")).content.decode()
    assert heatmap in staff and authorities in staff
    assert reverse("maturity:authorities", args=[world.other_program.slug]) not in staff
    participant = client_for("participant").get(reverse("maturity:matrix")).content.decode()
    assert heatmap not in participant and authorities not in participant
