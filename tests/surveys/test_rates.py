"""The response rate by subgroup: sector, HQ vs. execution ministries, organization kind,
gender, and — for a wave of the network, whose people come from several programs and
cohorts — program and cohort, each suppressed for small groups."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from movilim.surveys import services
from movilim.surveys.models import WaveInvitation
from movilim.surveys.queries import rates_by_subgroup

from .. import factories
from .helpers import build_instrument, study

pytestmark = pytest.mark.usefixtures("module_world")


def _network_wave(world, *, per_cohort: int):  # type: ignore[no-untyped-def]
    """A network of alumni of the world's government cohort (HQ ministries) and of a local
    cohort (local authorities), surveyed all together; every other one answers."""
    network = factories.ProgramFactory(kind="network", slug="network")
    for role in ("evaluator", "manager"):
        factories.ProgramRoleFactory(user=getattr(world, role), program=network, role=role)
    fellows = factories.CohortFactory(program=network, name_he="עמיתי הרשת")
    local = factories.CohortFactory(
        program=world.other_program, name_he="מחזור מקומי", start_date=datetime.date(2025, 1, 1)
    )
    people = []
    for cohort, kind in ((world.cohort, "gov_hq"), (local, "local_authority")):
        for index in range(per_cohort):
            person = factories.PersonFactory(
                organization__kind=kind, gender="male" if index % 2 else "female"
            )
            factories.EnrollmentFactory(cohort=cohort, person=person, status="graduated")
            factories.EnrollmentFactory(cohort=fellows, person=person, status="graduated")
            people.append(person)
    today = timezone.localdate()
    wave = services.wave_create(
        instrument=build_instrument(network, title="שאלון רשת"),
        cohort=None,
        name_he="מעקב רשת",
        time_point="follow_up",
        months_after=12,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
        mode="anonymous",
    )
    services.wave_invite(wave=wave)
    for index, person in enumerate(people):
        if index % 2 == 0:
            invitation = WaveInvitation.objects.get(wave=wave, person=person)
            services.invitation_submit(invitation=invitation, raw={"q_know": "4", "q_ties": "1"})
    return wave, local


def test_a_network_wave_shows_the_rate_by_program_and_cohort(world, client_for) -> None:
    wave, local = _network_wave(world, per_cohort=6)
    rates = dict(rates_by_subgroup(wave, audience="evaluator"))
    assert set(rates) == {
        "מגזר",
        "משרדי מטה מול משרדי ביצוע",
        "סוג הארגון",
        "מגדר",
        "תכנית",
        "מחזור",
    }
    assert sorted(rates["תכנית"]) == sorted(
        [(world.program.name, 6, 3, 50.0), (world.other_program.name, 6, 3, 50.0)]
    )
    cohorts = {name: row for name, *row in rates["מחזור"]}
    assert cohorts[f"{local.name} ({world.other_program.name})"] == [6, 3, 50.0]
    assert rates["סוג הארגון"][0][1:] == (6, 3, 50.0)  # HQ ministries, in the kinds' order
    assert [name for name, *_row in rates["משרדי מטה מול משרדי ביצוע"]] == [
        "משרד ממשלתי – מטה או רגולציה"
    ]
    page = client_for("evaluator").get(reverse("surveys:wave", args=[wave.pk])).content.decode()
    assert "שיעור ההשבה לפי מחזור" in page and "שיעור ההשבה לפי תכנית" in page
    report = client_for("manager").get(reverse("evaluation:report", args=[wave.pk]))
    text = report.content.decode()
    assert "שיעור ההשבה לפי מחזור" in text and local.name in text


def test_small_groups_are_hidden_from_staff_with_their_complement(world, client_for) -> None:
    wave, _local = _network_wave(world, per_cohort=6)
    # Three respondents per program: under the staff's 5, both programs are hidden.
    staff = dict(rates_by_subgroup(wave, audience="staff"))
    assert all(row[1:] == (None, None, None) for row in staff["תכנית"])
    # A cohort wave does not repeat its single program and cohort.
    s = study(world)
    services.wave_invite(wave=s.wave)
    dims = dict(rates_by_subgroup(s.wave, audience="evaluator"))
    assert "מחזור" not in dims and "תכנית" not in dims and "סוג הארגון" in dims


def test_wave_page_and_report_run_the_same_queries_whatever_the_network_size(
    world, client_for
) -> None:
    small, _ = _network_wave(world, per_cohort=2)
    client = client_for("evaluator")
    pages = (
        reverse("surveys:wave", args=[small.pk]),
        reverse("evaluation:report", args=[small.pk]),
    )
    counts = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # More alumni, more cohorts, more respondents: the same number of queries.
    extra = factories.CohortFactory(program=world.program, start_date=datetime.date(2024, 1, 1))
    network_cohort = small.program.cohorts.get()
    for _index in range(12):
        person = factories.PersonFactory(organization__kind="civil_society")
        factories.EnrollmentFactory(cohort=extra, person=person, status="graduated")
        factories.EnrollmentFactory(cohort=network_cohort, person=person, status="graduated")
    services.wave_invite(wave=small)
    for invitation in WaveInvitation.objects.filter(wave=small, status="queued")[:6]:
        services.invitation_submit(invitation=invitation, raw={"q_know": "5", "q_ties": "0"})
    larger = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200 and extra.name in page.content.decode()
        larger.append(len(queries))
    assert counts == larger
