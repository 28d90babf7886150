"""Taking attendance for a whole session in one submit, and the hours it earns."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from movilim.core.errors import InvalidInput
from movilim.programs import services
from movilim.programs.models import Attendance
from movilim.programs.queries import cohort_attendance, member_hours_page

from .. import factories


def _sheet(world, **overrides: str) -> dict[str, str]:
    data = {
        f"status_{world.participant_person.pk}": "present",
        f"status_{world.fellow_person.pk}": "present",
    }
    data.update(overrides)
    return data


def test_coordinator_saves_a_whole_sheet_in_one_submit(world, client_for) -> None:
    url = reverse("programs:attendance", args=[world.session.pk])
    client = client_for("coordinator")
    page = client.get(url)
    assert page.status_code == 200
    assert world.fellow_person.full_name in page.content.decode()

    data = _sheet(
        world,
        **{
            f"status_{world.fellow_person.pk}": "partial",
            f"hours_{world.fellow_person.pk}": "3.5",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    rows = {a.person_id: a for a in Attendance.objects.filter(session=world.session)}
    assert rows[world.participant_person.pk].status == "present"
    assert rows[world.fellow_person.pk].status == "partial"
    assert rows[world.fellow_person.pk].partial_hours == Decimal("3.5")
    assert rows[world.fellow_person.pk].recorded_by == world.coordinator

    # Sending the same sheet again changes nothing and adds nothing.
    client.post(url, data)
    assert Attendance.objects.filter(session=world.session).count() == 2


def test_sheet_is_prefilled_with_what_was_recorded(world, client_for) -> None:
    factories.AttendanceFactory(session=world.session, person=world.fellow_person, status="excused")
    html = (
        client_for("coordinator")
        .get(reverse("programs:attendance", args=[world.session.pk]))
        .content.decode()
    )
    assert (
        f'name="status_{world.fellow_person.pk}" id="id_status_{world.fellow_person.pk}_3" '
        'value="excused" autocomplete="off" checked' in html
    )


def test_partial_without_hours_is_refused_with_a_message_and_saves_nothing(
    world, client_for
) -> None:
    url = reverse("programs:attendance", args=[world.session.pk])
    response = client_for("coordinator").post(
        url, _sheet(world, **{f"status_{world.fellow_person.pk}": "partial"})
    )
    assert response.status_code == 400
    assert response.context["form"].errors[f"hours_{world.fellow_person.pk}"]
    assert not Attendance.objects.filter(session=world.session).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"status_PID": "sleeping"},
        {"status_PID": ""},
        {"status_PID": "partial", "hours_PID": "8"},  # not less than the session's 8 hours
        {"status_PID": "partial", "hours_PID": "lots"},
    ],
)
def test_bad_sheets_get_a_400_and_keep_the_data(world, client_for, overrides) -> None:
    pid = str(world.fellow_person.pk)
    data = _sheet(world, **{k.replace("PID", pid): v for k, v in overrides.items()})
    response = client_for("coordinator").post(
        reverse("programs:attendance", args=[world.session.pk]), data
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_service_refuses_people_outside_the_cohort(world) -> None:
    with pytest.raises(InvalidInput):
        services.attendance_record(
            session=world.session,
            marks={world.outsider_person.pk: services.Mark("present")},
            by=world.coordinator,
            today=world.session.starts_on,
        )
    assert not Attendance.objects.exists()


def test_hours_follow_status_and_session_length(world) -> None:
    second = factories.SessionFactory(cohort=world.cohort, hours=Decimal(6))
    factories.AttendanceFactory(session=world.session, person=world.participant_person)  # 8 h
    factories.AttendanceFactory(
        session=second, person=world.participant_person, status="partial", partial_hours=Decimal(2)
    )
    factories.AttendanceFactory(session=world.session, person=world.fellow_person, status="absent")
    summary = cohort_attendance(world.cohort, today=second.starts_on)
    hours = {
        row.person_id: row.hours
        for row in member_hours_page(world.cohort, QueryDict(), today=second.starts_on)
    }
    assert hours[world.participant_person.pk] == Decimal(10)
    assert hours[world.fellow_person.pk] == Decimal(0)
    assert summary.scheduled_hours == Decimal(14)
    assert summary.member_count == 2 and summary.average_hours == Decimal(5)

    # Lengthening a session re-credits those who were present.
    services.session_update(
        session=world.session,
        **{f: getattr(world.session, f) for f in ("title", "kind", "starts_on", "ends_on")},
        hours=Decimal(9),
    )
    hours = {
        row.person_id: row.hours
        for row in member_hours_page(world.cohort, QueryDict(), today=second.starts_on)
    }
    assert hours[world.participant_person.pk] == Decimal(11)


def test_attendance_changes_are_audited_with_who_did_them(world, client_for) -> None:
    url = reverse("programs:attendance", args=[world.session.pk])
    client = client_for("coordinator")
    client.post(url, _sheet(world))
    client.post(url, _sheet(world, **{f"status_{world.fellow_person.pk}": "absent"}))
    record = Attendance.objects.get(session=world.session, person=world.fellow_person)
    entries = LogEntry.objects.get_for_object(record).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == world.coordinator for e in entries)
    assert entries.last().changes_dict["status"] == ["present", "absent"]


def test_home_lists_past_sessions_without_attendance(world, client_for) -> None:
    html = client_for("coordinator").get(reverse("home")).content.decode()
    assert reverse("programs:attendance", args=[world.session.pk]) in html
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    html = client_for("coordinator").get(reverse("home")).content.decode()
    assert reverse("programs:attendance", args=[world.session.pk]) not in html


@pytest.mark.django_db(transaction=True)
def test_the_same_sheet_saved_eight_times_at_once_gets_eight_answers(world, client_for) -> None:
    """Two coordinators (or one double click) saving one sheet at once used to make the later
    insert break the unique constraint on (session, person): a server error on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    people = [world.participant_person, world.fellow_person] + [
        factories.EnrollmentFactory(cohort=world.cohort).person for _ in range(10)
    ]
    url = reverse("programs:attendance", args=[world.session.pk])
    sheet = {f"status_{person.pk}": "present" for person in people}
    clients = [client_for("coordinator") for _ in range(8)]
    start = threading.Barrier(len(clients))
    answers: list[int] = []
    failures: list[BaseException] = []

    def save(client) -> None:
        try:
            start.wait(timeout=30)
            answers.append(client.post(url, sheet).status_code)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[client]) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert answers == [302] * len(clients)
    assert Attendance.objects.filter(session=world.session).count() == len(people)
    # One save created the rows, the others found them unchanged: one entry per row in the log.
    created = LogEntry.objects.filter(
        action=LogEntry.Action.CREATE, content_type__model="attendance"
    )
    assert created.count() == len(people)
    assert {entry.actor for entry in created} == {world.coordinator}
