"""The demo's projects and 7 Lenses data tell the follow-up study's story."""

from __future__ import annotations

import pytest
from django.db.models import Count

from movilim.maturity.models import Assessment
from movilim.projects.models import Project, ProjectMember, Stage

pytestmark = pytest.mark.django_db


def test_projects_of_cohorts_a_b_c_in_every_stage_about_half_advanced(demo: str) -> None:
    past = Project.objects.filter(cohort__name_en__in=["Cohort A", "Cohort B", "Cohort C"])
    assert set(past.values_list("cohort__name_en", flat=True)) == {
        "Cohort A",
        "Cohort B",
        "Cohort C",
    }
    assert set(past.values_list("stage", flat=True)) == set(Stage.values)
    advanced = past.filter(stage__in=["advanced", "completed"]).count()
    assert 0.4 <= advanced / past.count() <= 0.6
    # Histories end in the current stage, and a stalled project says why.
    for project in past:
        last = project.stage_changes.order_by("-changed_on", "-id").first()
        assert last is not None and last.stage == project.stage
    assert not past.filter(
        stage="stalled", stage_changes__stage="stalled", stage_changes__reason=""
    )


def test_most_original_members_are_no_longer_active(demo: str) -> None:
    originals = ProjectMember.objects.filter(
        is_original=True, project__cohort__name_en__in=["Cohort A", "Cohort B", "Cohort C"]
    )
    assert originals.filter(ended_on__isnull=False).count() > 0.6 * originals.count()


def test_assessments_at_two_dates_and_authorities_over_time(demo: str) -> None:
    two_dates = (
        Assessment.objects.filter(project__isnull=False)
        .values("project")
        .annotate(dates=Count("assessed_on", distinct=True))
        .filter(dates=2)
    )
    assert two_dates.count() >= 5
    authorities = (
        Assessment.objects.filter(organization__kind="local_authority", program__slug="local")
        .values("organization")
        .annotate(dates=Count("assessed_on", distinct=True))
        .filter(dates__gte=2)
    )
    assert authorities.count() >= 5
    mine = Project.objects.filter(members__person__user__email="participant@example.org.il")
    assert mine.exists()
