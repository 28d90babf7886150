"""Events: places and the waiting list, cancellation and promotion in order, the calendar
file, attendance entering the hours ledger once, reminders as notices of their own kind."""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from movilim.community import services
from movilim.community.models import DIGEST_NOTICE_KIND, Event, Registration
from movilim.community.notifications import EVENT_CANCELLED, EVENT_UPCOMING, UPCOMING_DAYS
from movilim.core.errors import InvalidInput
from movilim.notices.models import Notice
from movilim.notices.services import wants_email
from movilim.programs.models import Attendance
from tests import factories

from . import helpers


def _people(world, count):
    people = [factories.PersonFactory() for _ in range(count)]
    for person in people:
        helpers.member(person, world.program)
    return people


def test_a_full_event_queues_and_a_cancellation_promotes_the_first_in_line(world):
    event = helpers.event(world, capacity=2)
    a, b, c, d = _people(world, 4)
    assert services.event_register(event_id=event.pk, person=a).status == "registered"
    assert services.event_register(event_id=event.pk, person=b).status == "registered"
    assert services.event_register(event_id=event.pk, person=c).status == "waiting"
    assert services.event_register(event_id=event.pk, person=d).status == "waiting"
    promoted = services.event_cancel_registration(event_id=event.pk, person=a)
    assert promoted is not None and promoted.person == c  # in the order they asked
    statuses = dict(Registration.objects.filter(event=event).values_list("person", "status"))
    assert statuses == {a.pk: "cancelled", b.pk: "registered", c.pk: "registered", d.pk: "waiting"}
    # Leaving the queue frees no place: nobody moves.
    assert services.event_cancel_registration(event_id=event.pk, person=d) is None
    # Asking again after cancelling puts one at the back of the line.
    assert services.event_register(event_id=event.pk, person=a).status == "waiting"


def test_registering_twice_keeps_one_place(world):
    event = helpers.event(world, capacity=1)
    (a,) = _people(world, 1)
    first = services.event_register(event_id=event.pk, person=a)
    again = services.event_register(event_id=event.pk, person=a)
    assert first.pk == again.pk and Registration.objects.filter(event=event).count() == 1


def test_no_registration_for_a_cancelled_or_past_event(world):
    event = helpers.event(world)
    (a,) = _people(world, 1)
    Event.objects.filter(pk=event.pk).update(cancelled_at=timezone.now())
    with pytest.raises(InvalidInput):
        services.event_register(event_id=event.pk, person=a)
    Event.objects.filter(pk=event.pk).update(
        cancelled_at=None, starts_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(InvalidInput):
        services.event_register(event_id=event.pk, person=a)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections")
def test_the_last_place_goes_to_one_of_two_at_once(world):
    event = helpers.event(world, capacity=1)
    people = _people(world, 2)
    barrier = threading.Barrier(2)
    results = []

    def ask(person):
        barrier.wait()
        try:
            results.append(services.event_register(event_id=event.pk, person=person).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["registered", "waiting"]


def test_the_event_page_registers_and_shows_the_queue(world, client_for):
    event = helpers.event(world, capacity=1)
    helpers.members(world)
    other = _people(world, 1)[0]
    services.event_register(event_id=event.pk, person=other)
    client = client_for("participant")
    response = client.post(reverse("community:event_register", args=[event.pk]), follow=True)
    assert "1" in response.content.decode()
    mine = Registration.objects.get(event=event, person=world.participant_person)
    assert mine.status == "waiting"
    services.event_cancel_registration(event_id=event.pk, person=other)
    mine.refresh_from_db()
    assert mine.status == "registered"


def test_the_ics_file_parses_back(world, client_for):
    """(The events a member holds a place at are in their personal feed, with their sessions:
    ``tests/notices/test_calendar_feed.py``.)"""
    event = helpers.event(world)
    helpers.members(world)
    client = client_for("participant")
    one = Calendar.from_ical(client.get(reverse("community:event_ics", args=[event.pk])).content)
    (vevent,) = one.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART").date() == event.starts_on
    assert str(vevent["UID"]) == f"community-event-{event.pk}@movilim"


def test_attendance_enters_the_hours_ledger_once(world, client_for):
    """An event held as a session of a cohort: its members' attendance is the session's."""
    session = world.session  # in the past (2026-02-01), in the participant's cohort
    event = services.event_create(
        program=world.program,
        kind="workday",
        title="יום רשת",
        starts_on=session.starts_on,
        session=session,
    )
    helpers.members(world)
    outsider_member = _people(world, 1)[0]  # a member of the community, not of the cohort
    for person in (world.participant_person, outsider_member):
        Registration.objects.create(
            event=event, person=person, status="registered", requested_at=timezone.now()
        )
    response = client_for("coordinator").post(
        reverse("community:event_attendance", args=[event.pk]),
        {f"present_{world.participant_person.pk}": "1", f"present_{outsider_member.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.filter(session=session).values_list("person", "status")) == [
        (world.participant_person.pk, "present")
    ]
    assert Registration.objects.filter(event=event, attended=True).count() == 2
    # Saved again: still one attendance record, so the hours count once.
    client_for("coordinator").post(
        reverse("community:event_attendance", args=[event.pk]),
        {f"present_{world.participant_person.pk}": "1"},
    )
    assert Attendance.objects.filter(session=session).count() == 1


def test_attendance_waits_for_the_event(world, client_for):
    event = helpers.event(world)
    response = client_for("coordinator").post(
        reverse("community:event_attendance", args=[event.pk]), {}
    )
    assert response.status_code == 400


def _reminder_mails() -> list[mail.EmailMessage]:
    titles = set(Notice.objects.filter(kind=EVENT_UPCOMING).values_list("title", flat=True))
    return [m for m in mail.outbox if m.subject in titles]


def _pass() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_the_daily_pass_reminds_those_with_a_place_once_with_the_event_attached(
    world, client_for, django_capture_on_commit_callbacks
):
    event = helpers.event(world, capacity=2, days_ahead=1)
    gone, second, waiting = _people(world, 3)
    services.event_register(event_id=event.pk, person=world.participant_person)
    services.event_register(event_id=event.pk, person=gone)
    services.event_cancel_registration(event_id=event.pk, person=gone)
    services.event_register(event_id=event.pk, person=second)
    assert services.event_register(event_id=event.pk, person=waiting).status == "waiting"
    # A cancelled event is reminded to nobody (its cancellation told them); a later one not yet.
    called_off = Event.objects.create(
        program=world.program,
        kind="meeting",
        title="מפגש שבוטל",
        starts_on=event.starts_on,
    )
    services.event_register(event_id=called_off.pk, person=world.participant_person)
    Event.objects.filter(pk=called_off.pk).update(cancelled_at=timezone.now(), cancel_reason="-")
    later = helpers.event(world.mirrored(), days_ahead=UPCOMING_DAYS + 1)
    services.event_register(event_id=later.pk, person=world.outsider_person)

    with django_capture_on_commit_callbacks(execute=True):
        assert "community: 2 notice(s) sent" in _pass()
    notices = Notice.objects.filter(kind=EVENT_UPCOMING)
    assert sorted(notices.values_list("user_id", flat=True)) == sorted(
        [world.participant.pk, second.user_id]
    )
    messages = _reminder_mails()
    assert sorted(m.to[0] for m in messages) == sorted([world.participant.email, second.user.email])
    message = next(m for m in messages if m.to == [world.participant.email])
    assert event.title in message.subject and "ירושלים" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == f"event-{event.pk}.ics" and "method=PUBLISH" in mimetype
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["UID"]) == f"community-event-{event.pk}@movilim"
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART").date() == event.starts_on

    # In the member's list of notices, linking to the event.
    page = client_for("participant").get(reverse("notices:list")).content.decode()
    assert event.title in page and reverse("community:event", args=[event.pk]) in page

    # The pass run again the same day sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert "community: 0 notice(s) sent" in _pass()
    assert notices.count() == 2 and len(_reminder_mails()) == 2

    # The mail's one-click link turns off this kind by e-mail, and no other.
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    anonymous = Client(enforce_csrf_checks=True)
    path = link.removeprefix("http://testserver")
    assert anonymous.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not wants_email(user=world.participant, kind=EVENT_UPCOMING)
    assert wants_email(user=world.participant, kind=EVENT_CANCELLED)
    assert wants_email(user=world.participant, kind=DIGEST_NOTICE_KIND)


def test_the_event_reminder_is_chosen_on_the_notice_preferences_page(world, client_for):
    client = client_for("participant")
    page = client.get(reverse("notices:preferences")).content.decode()
    assert f'name="{EVENT_UPCOMING}"' in page
    client.post(reverse("notices:preferences"), {EVENT_CANCELLED: "on"})
    assert not wants_email(user=world.participant, kind=EVENT_UPCOMING)
    assert wants_email(user=world.participant, kind=EVENT_CANCELLED)


def test_the_event_form_refuses_bad_input_with_a_message(world, client_for):
    response = client_for("coordinator").post(
        reverse("community:event_create"),
        {
            "program": world.program.pk,
            "kind": "meeting",
            "title": "מפגש",
            "starts_on": "2027-01-01",
            "starts_at": "18:00",
            "ends_at": "17:00",
            "capacity": "0",
            "speaker_emails": "nobody@example.org",
            "submission_token": "7c1f6a0e-3b5e-4f0e-9f51-3a2b9b1d8e10",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "nobody@example.org" in body
    assert not Event.objects.filter(title="מפגש").exists()
