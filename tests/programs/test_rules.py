"""The domain's rules, held by the models and services whatever the way in (page, admin, code)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from movilim.core.errors import InvalidInput
from movilim.programs import queries, services
from movilim.programs.models import Attendance, Cohort, CompositionTarget, Program, Session

from .. import factories

# The world's cohort runs through 2026; its session is on 1 February 2026.
HELD_ON = datetime.date(2026, 2, 1)
LATER = datetime.date(2026, 10, 1)


pytestmark = pytest.mark.usefixtures("module_world")


def _session_form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "סיור לימודי",
        "kind": "in_person",
        "starts_on": "2026-06-01",
        "ends_on": "",
        "hours": "8",
        "location": "חיפה",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


# --- sessions within their cohort ------------------------------------------------------------


def test_a_session_outside_its_cohort_is_refused_with_the_cohort_dates(world, client_for) -> None:
    url = reverse("programs:session_create", args=[world.cohort.pk])
    client = client_for("coordinator")
    before = Session.objects.count()

    response = client.post(url, _session_form(starts_on="2027-03-01"))
    assert response.status_code == 400
    [message] = response.context["form"].errors["starts_on"]
    assert "01/01/2026" in message and "31/12/2026" in message  # the cohort's dates, to fix it

    # Starting inside but running past the cohort's last day is refused on the last day.
    response = client.post(url, _session_form(starts_on="2026-12-30", ends_on="2027-01-02"))
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert Session.objects.count() == before

    with pytest.raises(InvalidInput):
        services.session_create(
            cohort=world.cohort,
            kind="online",
            title="לפני הפתיחה",
            starts_on=datetime.date(2025, 12, 31),
            hours=Decimal(2),
        )
    with pytest.raises(InvalidInput):
        services.session_update(session=world.session, starts_on=datetime.date(2027, 1, 5))
    world.session.refresh_from_db()
    assert world.session.starts_on == HELD_ON
    assert Session.objects.count() == before


# --- attendance only once a session has started ----------------------------------------------


def test_attendance_for_a_session_still_to_come_is_refused(world, client_for) -> None:
    future = factories.SessionFactory(cohort=world.cohort, starts_on=datetime.date(2026, 12, 20))
    mark = {world.participant_person.pk: services.Mark("present")}
    with pytest.raises(InvalidInput):
        services.attendance_record(
            session=future, marks=mark, by=world.coordinator, today=datetime.date(2026, 12, 19)
        )
    # From its first day on, it can be taken.
    services.attendance_record(
        session=future, marks=mark, by=world.coordinator, today=datetime.date(2026, 12, 20)
    )
    assert Attendance.objects.filter(session=future).count() == 1


def test_the_attendance_page_of_a_future_session_says_when_instead_of_a_form(
    world, client_for
) -> None:
    Cohort.objects.filter(pk=world.cohort.pk).update(end_date=datetime.date(2099, 12, 31))
    future = factories.SessionFactory(cohort=world.cohort, starts_on=datetime.date(2099, 1, 1))
    url = reverse("programs:attendance", args=[future.pk])
    client = client_for("coordinator")

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["not_started"]
    html = page.content.decode()
    assert 'class="alert alert-info" role="status"' in html
    assert f'name="status_{world.participant_person.pk}"' not in html

    posted = client.post(url, {f"status_{world.participant_person.pk}": "present"})
    assert posted.status_code == 400
    assert not Attendance.objects.filter(session=future).exists()


# --- hours count held sessions only ----------------------------------------------------------


def test_hours_count_only_sessions_held_by_today(world) -> None:
    """Attendance entered ahead for a session still to come (possible before the rule) earns
    nothing until the session is held: in the cohort's summary, its average and the
    participant's own overview alike."""
    later = factories.SessionFactory(cohort=world.cohort, starts_on=LATER, hours=Decimal(6))
    person = world.participant_person
    factories.AttendanceFactory(session=world.session, person=person)  # 8 hours, held
    factories.AttendanceFactory(session=later, person=person)  # 6 hours, still to come

    before = datetime.date(2026, 9, 30)
    summary = queries.cohort_attendance(world.cohort, today=before)
    page = queries.member_hours_page(world.cohort, QueryDict(), today=before)
    hours = {row.person_id: row for row in page}
    assert hours[person.pk].hours == Decimal(8)
    assert hours[person.pk].attended == 1
    assert summary.average_hours == Decimal(4)  # 8 and 0 hours for the two members
    assert summary.held_hours == Decimal(8)
    assert summary.scheduled_hours == Decimal(14)
    [overview] = queries.participant_overview(person.pk, today=before)
    assert overview.hours == Decimal(8)
    assert overview.next_session == later
    # A cancelled session is nobody's next session.
    Session.objects.filter(pk=later.pk).update(cancelled_at=timezone.now())
    assert queries.participant_overview(person.pk, today=before)[0].next_session is None
    Session.objects.filter(pk=later.pk).update(cancelled_at=None)
    assert queries.hours_by_person([world.cohort.pk], today=before)[(world.cohort.pk, person.pk)][
        "hours"
    ] == Decimal(8)

    # On the day it is held, it counts.
    summary = queries.cohort_attendance(world.cohort, today=LATER)
    page = queries.member_hours_page(world.cohort, QueryDict(), today=LATER)
    assert {r.person_id: r.hours for r in page}[person.pk] == Decimal(14)
    assert summary.member_hours == Decimal(14)
    assert summary.held_hours == Decimal(14)
    assert queries.participant_overview(person.pk, today=LATER)[0].hours == Decimal(14)


# --- scheduled hours against the program's target --------------------------------------------


def test_scheduling_more_hours_than_the_program_asks_for_is_warned_about(world, client_for) -> None:
    Program.objects.filter(pk=world.program.pk).update(hours_target=20)
    client = client_for("coordinator")
    attendance_page = reverse("programs:cohort_attendance", args=[world.cohort.pk])
    assert "alert-warning" not in client.get(attendance_page).content.decode()  # 8 of 20 hours

    response = client.post(
        reverse("programs:session_create", args=[world.cohort.pk]),
        _session_form(hours="12.5"),
        follow=True,
    )
    levels = {m.level_tag: m.message for m in response.context["messages"]}
    assert "20.5" in levels["warning"] and "20" in levels["warning"]
    assert "success" in levels

    html = client.get(attendance_page).content.decode()
    assert 'class="alert alert-warning"' in html
    assert "20.5" in html

    # Editing a session back under the target brings no warning.
    session = Session.objects.get(title=_session_form()["title"])
    response = client.post(
        reverse("programs:session_edit", args=[session.pk]),
        _session_form(hours="4"),
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


# --- composition targets ---------------------------------------------------------------------


def test_composition_targets_name_a_category_of_their_dimension(world) -> None:
    ministry = CompositionTarget(
        cohort=world.cohort, dimension="ministry_type", category="gov_hq", min_percent=30
    )
    ministry.full_clean()  # a category the cohort page counts

    for dimension, category in (("gender", "gov_hq"), ("sector", "female"), ("minority", "maybe")):
        target = CompositionTarget(
            cohort=world.cohort, dimension=dimension, category=category, min_percent=10
        )
        with pytest.raises(ValidationError) as refused:
            target.full_clean()
        [message] = refused.value.message_dict["category"]
        assert category in message


def test_composition_target_minimum_above_maximum_is_refused(world) -> None:
    target = CompositionTarget(
        cohort=world.cohort,
        dimension="gender",
        category="female",
        min_percent=Decimal(60),
        max_percent=Decimal(40),
    )
    with pytest.raises(ValidationError) as refused:
        target.full_clean()
    assert list(refused.value.message_dict) == ["max_percent"]
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()


# --- constraints in the database -------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [(Session, "hours"), (Cohort, "target_size"), (Program, "hours_target")],
)
def test_sizes_and_hours_must_be_more_than_zero(world, model, field) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(**{field: 0})
    instance = model.objects.first()
    setattr(instance, field, 0)
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert field in refused.value.message_dict


def test_a_session_with_attendance_cannot_be_deleted(world, client_for) -> None:
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    with pytest.raises(ProtectedError):
        world.session.delete()

    url = reverse("admin:programs_session_delete", args=[world.session.pk])
    admin = client_for("admin")
    page = admin.get(url)
    assert page.status_code == 200
    assert page.context["protected"]  # the admin names the attendance in the way
    admin.post(url, {"post": "yes"})
    assert Session.objects.filter(pk=world.session.pk).exists()
    assert Attendance.objects.filter(session=world.session).count() == 1

    # Without attendance, a session can still be removed.
    spare = factories.SessionFactory(cohort=world.cohort)
    assert (
        admin.post(
            reverse("admin:programs_session_delete", args=[spare.pk]), {"post": "yes"}
        ).status_code
        == 302
    )
    assert not Session.objects.filter(pk=spare.pk).exists()
