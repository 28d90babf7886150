"""Dashboards: pace, what needs attention, the steering committee's aggregates under disclosure
control, and a participant's own record (never a classmate's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.core.disclosure import suppress_table
from movilim.programs import dashboards
from movilim.programs.models import Cohort, EnrollmentStatus

from .. import factories

TODAY = dt.date(2026, 6, 1)


# --- pace ------------------------------------------------------------------------------------


pytestmark = pytest.mark.usefixtures("module_world")


def test_pace_scales_the_hours_held_to_the_target() -> None:
    # 250 hours scheduled for a target of 200: 80% of the 50 held is expected by now.
    pace = dashboards.Pace(held=Decimal(50), scheduled=Decimal(250), target=200)
    assert pace.expected == Decimal(40)
    assert pace.behind(Decimal(35))  # below 90% of 40 = 36
    assert not pace.behind(Decimal(36))
    # Less scheduled than the target: every hour held is expected.
    assert dashboards.Pace(Decimal(20), Decimal(100), 200).expected == Decimal(20)
    # Nothing held yet: nobody is behind.
    assert not dashboards.Pace(Decimal(0), Decimal(100), 200).behind(Decimal(0))


def test_cancelled_sessions_count_neither_as_held_nor_scheduled(world) -> None:
    # Held means started with attendance recorded: before it is, nobody can be behind for it.
    assert dashboards.cohort_pace(world.cohort, today=TODAY).held == Decimal(0)
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    factories.SessionFactory(
        cohort=world.cohort, starts_on=dt.date(2026, 3, 1), cancelled_at=dt.datetime.now(dt.UTC)
    )
    pace = dashboards.cohort_pace(world.cohort, today=TODAY)
    assert (pace.held, pace.scheduled) == (Decimal(8), Decimal(8))


# --- disclosure control ----------------------------------------------------------------------


def test_a_hidden_cell_is_protected_along_its_row_and_its_column() -> None:
    cells = {
        ("A", "f"): 20,
        ("A", "m"): 3,  # small: hidden
        ("B", "f"): 15,
        ("B", "m"): 12,
    }
    shown = suppress_table(cells, 10)
    assert shown[("A", "m")] is None
    # Row A's total would give it back from A/f, column m's from B/m: both hidden too.
    assert shown[("A", "f")] is None and shown[("B", "m")] is None
    # ...and then B's row has one hidden cell: its other one goes as well.
    assert shown[("B", "f")] is None


def test_a_small_group_whose_other_cells_are_empty_hides_the_empty_ones_too() -> None:
    # Three women and no men: showing "0 men" with a total of 3 tells that all are women.
    shown = suppress_table({(0, "f"): 3, (0, "m"): 0}, 10)
    assert shown == {(0, "f"): None, (0, "m"): None}
    assert suppress_table({(0, "f"): 3, (0, "m"): 0}, 1) == {(0, "f"): 3, (0, "m"): 0}


def _fill(cohort, *, women: int, men: int):
    people = []
    for gender, count in (("female", women), ("male", men)):
        for _ in range(count):
            enrollment = factories.EnrollmentFactory(cohort=cohort, person__gender=gender)
            people.append(enrollment.person)
    return people


def test_steering_sees_no_gender_share_of_a_small_group_on_the_cohort_page(
    world, client_for
) -> None:
    cohort = factories.CohortFactory(program=world.program)
    _fill(cohort, women=12, men=2)
    url = reverse("programs:cohort", args=[cohort.pk])

    steering = client_for("steering").get(url).content.decode()
    gender_rows = steering.split("מגדר")[1].split("</tbody>")[0]
    assert "14%" not in gender_rows and "86%" not in gender_rows
    assert ">2<" not in gender_rows and ">12<" not in gender_rows
    assert "—" in gender_rows

    coordinator = client_for("coordinator").get(url).content.decode()
    gender_rows = coordinator.split("מגדר")[1].split("</tbody>")[0]
    assert "14%" in gender_rows and ">2<" in gender_rows


def test_the_steering_dashboard_shows_aggregates_only_with_small_groups_hidden(
    world, client_for
) -> None:
    big = factories.CohortFactory(program=world.program, name_he="מחזור גדול")
    people = _fill(big, women=15, men=12)
    session = factories.SessionFactory(cohort=big, starts_on=dt.date(2026, 2, 2))
    for person in people:
        factories.AttendanceFactory(session=session, person=person)
    html = (
        client_for("steering")
        .get(reverse("programs:steering_dashboard", args=[world.program.slug]))
        .content.decode()
    )

    assert world.participant_person.full_name not in html
    assert people[0].full_name not in html
    big_row = html.split("מחזור גדול")[1].split("</tr>")[0]
    assert "100%" in big_row  # everyone attended: a rate over 27 people is shown
    # The world's cohort has two members: its per-person measures are hidden.
    small_row = html.split(world.cohort.name_he)[1].split("</tr>")[0]
    assert "%" not in small_row
    # Hours delivered add up to the program's: the small cohort's and, as its complement, the
    # big one's are hidden; the total over 29 people is shown.
    assert ">216<" not in big_row and ">—<" in small_row
    total_row = html.split("כל המחזורים")[1].split("</tr>")[0]
    assert ">216<" in total_row
    composition = html.split('id="composition-table"')[1]
    big_cells = composition.split("מחזור גדול")[1].split("</tr>")[0]
    small_cells = composition.split(world.cohort.name_he)[1].split("</tr>")[0]
    assert ">—<" in small_cells and ">1<" not in small_cells
    # The big cohort's women would give back the small one's from the program's total.
    assert ">15<" not in big_cells and ">12<" not in big_cells


def test_staff_dashboard_lists_who_is_behind_what_was_not_recorded_and_turnout(
    world, client_for
) -> None:
    # The world's session (8 hours, 1 February) was held; the participant attended, the fellow
    # not. Half an hour more was held unrecorded: 8.5 expected, 90% of it is 7.65.
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    factories.AttendanceFactory(session=world.session, person=world.fellow_person, status="absent")
    unrecorded = factories.SessionFactory(
        cohort=world.cohort,
        title="מפגש בלי נוכחות",
        starts_on=dt.date(2026, 3, 1),
        hours=Decimal("0.5"),
    )
    factories.CompositionTargetFactory(
        cohort=world.cohort, dimension="gender", category="male", min_percent=Decimal(60)
    )
    html = (
        client_for("coordinator")
        .get(reverse("programs:cohort_dashboard", args=[world.cohort.pk]))
        .content.decode()
    )

    behind = html.split('id="behind-table"')[1].split("</table>")[0]
    assert world.fellow_person.full_name in behind
    assert world.participant_person.full_name not in behind
    assert unrecorded.title in html
    assert "50%" in html  # the first session's rate, beside its bar
    assert "גבר" in html.split('id="off-target-heading"')[1].split("</section>")[0]


def test_program_dashboard_runs_a_fixed_number_of_queries(world, client_for) -> None:
    client = client_for("manager")
    url = reverse("programs:program_dashboard", args=[world.program.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    cohort = factories.CohortFactory(program=world.program)
    _fill(cohort, women=20, men=20)
    factories.SessionFactory(cohort=cohort)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    # One more for the new cohort's composition (with its targets); nothing per participant.
    assert len(more) == len(few) + 1
    assert "40" in response.content.decode()


# --- a participant's own record ----------------------------------------------------------------


def test_participants_see_their_own_record_and_no_classmates(world, client_for) -> None:
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    factories.AttendanceFactory(session=world.session, person=world.fellow_person)
    client = client_for("participant")

    cohort_page = client.get(reverse("programs:cohort", args=[world.cohort.pk])).content.decode()
    assert reverse("programs:cohort_attendance", args=[world.cohort.pk]) not in cohort_page
    assert reverse("programs:hours_export", args=[world.cohort.pk, "csv"]) not in cohort_page
    assert (
        client.get(reverse("programs:cohort_attendance", args=[world.cohort.pk])).status_code == 404
    )
    fellow_enrollment = world.fellow_person.enrollments.get()
    assert (
        client.get(reverse("programs:hours_statement", args=[fellow_enrollment.pk])).status_code
        == 404
    )

    mine = client.get(reverse("programs:my_dashboard")).content.decode()
    assert world.session.title in mine
    assert "8 מתוך 200 שעות" in mine
    assert world.fellow_person.full_name not in mine
    assert reverse("programs:person", args=[world.participant_person.pk]) in mine


def test_a_graduate_behind_nothing_sees_the_certificate_link(world, client_for) -> None:
    world.enrollment.status = EnrollmentStatus.GRADUATED
    world.enrollment.save()
    html = client_for("participant").get(reverse("programs:my_dashboard")).content.decode()
    assert reverse("programs:certificate", args=[world.enrollment.pk]) not in html  # 0 hours
    session = factories.SessionFactory(cohort=world.cohort, hours=Decimal(200))
    factories.AttendanceFactory(session=session, person=world.participant_person)
    html = client_for("participant").get(reverse("programs:my_dashboard")).content.decode()
    assert reverse("programs:certificate", args=[world.enrollment.pk]) in html


@pytest.mark.parametrize("role", ["coordinator", "steering"])
def test_staff_without_enrollments_have_no_dashboard_of_their_own(world, client_for, role) -> None:
    assert client_for(role).get(reverse("programs:my_dashboard")).status_code == 404


def test_the_home_page_and_ones_own_profile_lead_to_the_dashboard_and_calendar(
    world, client_for
) -> None:
    client = client_for("participant")
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("programs:my_dashboard")}"' in home
    own = client.get(reverse("programs:person", args=[world.participant_person.pk]))
    assert reverse("notices:calendar") in own.content.decode()
    fellow = client.get(reverse("programs:person", args=[world.fellow_person.pk]))
    assert reverse("notices:calendar") not in fellow.content.decode()
    staff_home = client_for("steering").get(reverse("home")).content.decode()
    assert reverse("programs:my_dashboard") not in staff_home


def test_the_new_pages_render_in_english(world, client_for) -> None:
    from django.utils import translation

    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    pages = {
        "participant": [
            reverse("programs:my_dashboard"),
            reverse("notices:calendar"),
            reverse("programs:schedule_month"),
            reverse("notices:list"),
            reverse("notices:preferences"),
        ],
        "coordinator": [
            reverse("programs:cohort_dashboard", args=[world.cohort.pk]),
            reverse("programs:program_dashboard", args=[world.program.slug]),
            reverse("programs:steering_dashboard", args=[world.program.slug]),
            reverse("programs:program", args=[world.program.slug]),
        ],
    }
    for role, urls in pages.items():
        client = client_for(role)
        client.cookies["django_language"] = "en"
        with translation.override("en"):
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
                assert response.status_code == 200, url
                assert 'lang="en"' in response.content.decode(), url


def test_program_figures_count_each_members_hours_against_target_and_pace(db) -> None:
    program = factories.ProgramFactory(hours_target=8)
    cohort = factories.CohortFactory(program=program)
    held = factories.SessionFactory(cohort=cohort, starts_on=dt.date(2026, 2, 1), hours=8)
    factories.SessionFactory(cohort=cohort, starts_on=dt.date(2026, 9, 1), hours=8)
    # 8 of 16 hours held, for a target of 8: 4 expected by now, behind below 3.6.
    reached, partial, absent = (factories.EnrollmentFactory(cohort=cohort) for _ in range(3))
    factories.AttendanceFactory(session=held, person=reached.person)
    factories.AttendanceFactory(
        session=held, person=partial.person, status="partial", partial_hours=Decimal(2)
    )
    withdrawn = factories.EnrollmentFactory(cohort=cohort, status="withdrawn")
    factories.AttendanceFactory(session=held, person=withdrawn.person)  # not a member: left out
    assert absent.person_id

    lines, total = dashboards.program_figures(
        Cohort.objects.filter(pk=cohort.pk), today=dt.date(2026, 6, 1)
    )

    line = lines[0]
    assert (line.members, line.hours, line.attended, line.recorded) == (3, Decimal(10), 2, 2)
    assert (line.reached, line.behind) == (1, 2)  # the partial and the absent are behind
    assert (total.members, total.hours, total.reached, total.behind) == (3, Decimal(10), 1, 2)
