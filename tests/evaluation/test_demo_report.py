"""The demo's studies: the report computes the published figures from the stored answers."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from movilim.evaluation import demo as evaluation_demo
from movilim.evaluation.models import QualitativeRecord, Recommendation
from movilim.evaluation.queries import wave_figures
from movilim.surveys import demo
from movilim.surveys.models import Answer, Response, Wave

from .. import factories
from ..conftest import module_transaction


@pytest.fixture(scope="module")
def studies(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Wave]]:
    """Built once for the module's tests, which only read them (or roll back what they do)."""
    with module_transaction(django_db_blocker):
        yield _build_studies()


@pytest.fixture
def demo_studies(studies: dict[str, Wave], db: None) -> dict[str, Wave]:
    return studies


def _build_studies() -> dict[str, Wave]:
    local = factories.ProgramFactory(slug="local", kind="local")
    government = factories.ProgramFactory(slug="government")
    kinds = (
        ["local_authority"] * 32 + ["gov_hq"] * 2 + ["gov_execution"] * 4 + ["civil_society"] * 2
    )
    cohort_c = factories.CohortFactory(program=local, name_en="Cohort C")
    for index, kind in enumerate(kinds):
        person = factories.PersonFactory(
            organization__kind=kind, gender="female" if index % 2 else "male"
        )
        factories.EnrollmentFactory(cohort=cohort_c, person=person, status="graduated")
    cohort_a = factories.CohortFactory(program=government, name_en="Cohort A")
    for index in range(39):
        person = factories.PersonFactory(
            organization__kind="gov_hq" if index < 15 else "gov_execution"
        )
        factories.EnrollmentFactory(cohort=cohort_a, person=person, status="graduated")
    demo.load(today=datetime.date(2026, 12, 1))
    evaluation_demo.load(today=datetime.date(2026, 12, 1))
    return {w.name_en: w for w in Wave.objects.all()}


def test_cohort_c_report_states_the_published_figures(demo_studies) -> None:
    wave = demo_studies["Cohort C – end of program"]
    figures = wave_figures(wave, audience="evaluator")
    assert (figures.rate.respondents, figures.rate.invited, round(figures.rate.percent)) == (
        25,
        35,
        71,
    )
    domains = {d.domain.key: d for d in figures.domains}
    assert domains["knowledge"].share == pytest.approx(85)
    assert domains["perceptions"].share == pytest.approx(68)
    assert domains["empowerment"].share == pytest.approx(94)
    assert domains["tools_skills"].share == pytest.approx(75)
    items = {f.question.code: f.share for f in figures.questions}
    assert items["role_methods"] == pytest.approx(80)
    assert items["role_collab"] == pytest.approx(88)
    assert [items["ties_sector"], items["ties_other"], items["ties_experts"]] == pytest.approx(
        [92, 76, 56]
    )
    assert items["sat_overall"] == items["sat_recommend"] == pytest.approx(100)
    assert items["sat_innovation"] == pytest.approx(96)
    # Anonymous: no response names an invitation or a person.
    assert not Response.objects.filter(wave=wave, person__isnull=False).exists()


def test_cohort_a_follow_up_rate_and_the_page_shows_it(demo_studies, client) -> None:
    wave = demo_studies["Cohort A – follow-up"]
    figures = wave_figures(wave, audience="evaluator")
    assert (figures.rate.respondents, figures.rate.invited, round(figures.rate.percent)) == (
        29,
        39,
        74,
    )
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("evaluation:report", args=[wave.pk])).content.decode()
    assert (
        'id="respondents">29<' in page and 'id="invited">39<' in page and 'id="rate">74%<' in page
    )
    page_c = client.get(
        reverse("evaluation:report", args=[demo_studies["Cohort C – end of program"].pk])
    ).content.decode()
    assert 'data-domain="knowledge">85%<' in page_c
    assert "קבוצת מיקוד" in page_c and "לפני התכנית" in page_c


def test_loading_again_changes_nothing(demo_studies) -> None:
    def counts() -> tuple[int, ...]:
        return tuple(
            m.objects.count() for m in (Wave, Response, Answer, QualitativeRecord, Recommendation)
        )

    before = counts()
    assert before[3:] == (3, 4)
    demo.load(today=datetime.date(2026, 12, 1))
    evaluation_demo.load(today=datetime.date(2026, 12, 1))
    assert counts() == before
