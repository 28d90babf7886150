"""The staff's pages: creating and editing events (both titles, dates in order, places against
those already taken), cancelling one with notices and a cancelling calendar file, the registrant
list and waiting list, and the clusters (create, edit, archive)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from icalendar import Calendar

from movilim.community import queries, services
from movilim.community.forms import DirectoryFilterForm, ItemFilterForm, ItemForm
from movilim.community.models import Cluster, Event, KnowledgeItem, Registration
from movilim.community.notifications import EVENT_CANCELLED
from movilim.notices.models import Notice
from tests import factories

from . import helpers

pytestmark = pytest.mark.usefixtures("module_world")


def _people(world, count):
    people = [factories.PersonFactory() for _ in range(count)]
    for person in people:
        helpers.member(person, world.program)
    return people


def _event_form(world, **changes):
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "program": world.program.pk,
        "kind": "showcase",
        "title": "תצוגה קצרה: צ'טבוט לשירות",
        "title_en": "Short showcase: a service chatbot",
        "description": "עשר דקות לכל **צוות**",
        "starts_on": day.isoformat(),
        "ends_on": "",
        "starts_at": "16:00",
        "ends_at": "18:00",
        "online": "on",
        "location": "https://meet.example.org/showcase",
        "capacity": "25",
        "cluster": "",
        "session": "",
        "speaker_emails": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _he(message: str) -> str:
    with translation.override("he"):
        return escape(translation.gettext(message))


# --- events -----------------------------------------------------------------------------------


def test_staff_create_an_event_and_a_double_submit_stores_one(world, client_for):
    client = client_for("coordinator")
    data = _event_form(world)
    first = client.post(reverse("community:event_create"), data)
    again = client.post(reverse("community:event_create"), data)
    (event,) = Event.objects.filter(title=data["title"])
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("community:event", args=[event.pk])
    assert (event.kind, event.online, event.capacity) == ("showcase", True, 25)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("community:event", args=[event.pk]))
    body = page.content.decode()
    assert "Short showcase: a service chatbot" in body
    assert 'href="https://meet.example.org/showcase"' in body
    assert reverse("community:event_edit", args=[event.pk]) in body  # the staff's links


def test_the_event_form_refuses_bad_input_in_the_users_language(world, client_for):
    client = client_for("coordinator")
    url = reverse("community:event_create")
    cases = [
        ({"ends_on": "2020-01-01"}, "The last day cannot come before the first day."),
        ({"starts_at": "18:00", "ends_at": "17:00"}, "The event must end after it starts."),
        ({"location": "Zoom"}, "For an online event, give the meeting link (https://…)."),
        ({"capacity": "0"}, "An event needs at least one place."),
        ({"starts_on": "31/02/2027"}, "Enter a valid date."),
    ]
    for changes, message in cases:
        response = client.post(url, _event_form(world, **changes))
        assert response.status_code == 400, changes
        assert _he(message) in response.content.decode(), message
    client.cookies["django_language"] = "en"
    english = client.post(url, _event_form(world, capacity="0"))
    assert "An event needs at least one place." in english.content.decode()
    assert not Event.objects.exists()


def test_a_multi_day_event_is_one_calendar_entry_over_its_days(world, client_for):
    event = services.event_create(
        program=world.program,
        kind="modular",
        title="אירוע מודולרי",
        starts_on=datetime.date(2027, 5, 3),
        ends_on=datetime.date(2027, 5, 4),
    )
    response = client_for("coordinator").get(reverse("community:event_ics", args=[event.pk]))
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert vevent.decoded("DTSTART") == datetime.date(2027, 5, 3)
    assert vevent.decoded("DTEND") == datetime.date(2027, 5, 5)  # exclusive


def test_editing_keeps_taken_places_and_gives_new_ones_to_the_queue_in_order(world, client_for):
    event = helpers.event(world, capacity=2)
    a, b, c, d, e = _people(world, 5)
    for person in (a, b, c, d, e):
        services.event_register(event_id=event.pk, person=person)
    client = client_for("coordinator")
    url = reverse("community:event_edit", args=[event.pk])
    form = client.get(url).context["form"]
    assert form.initial["title"] == event.title

    fewer = client.post(url, _event_form(world, title=event.title, capacity="1", online=None))
    assert fewer.status_code == 400
    with translation.override("he"):
        refusal = translation.gettext(
            "%(taken)s places are already taken, more than the %(capacity)s asked for. "
            "Keep at least %(taken)s places, or ask registrants to cancel first."
        ) % {"taken": 2, "capacity": 1}
    assert escape(refusal) in fewer.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2

    more = client.post(
        url,
        _event_form(world, title="יום עבודה", capacity="3", online=None, location="ירושלים"),
        follow=True,
    )
    assert more.redirect_chain[-1][0] == reverse("community:event", args=[event.pk])
    event.refresh_from_db()
    assert (event.title, event.capacity, event.online) == ("יום עבודה", 3, False)
    statuses = dict(Registration.objects.filter(event=event).values_list("person", "status"))
    assert [statuses[p.pk] for p in (a, b, c, d, e)] == [
        "registered", "registered", "registered", "waiting", "waiting"
    ]  # fmt: skip
    unlimited = client.post(url, _event_form(world, capacity="", online=None, location=""))
    assert unlimited.status_code == 302
    assert not Registration.objects.filter(event=event, status="waiting").exists()


def test_cancelling_an_event_tells_everyone_with_a_cancelling_calendar_file(
    world, client_for, django_capture_on_commit_callbacks
):
    event = helpers.event(world, capacity=1)
    helpers.members(world)
    services.event_register(event_id=event.pk, person=world.participant_person)
    waiting, gone = _people(world, 2)
    services.event_register(event_id=event.pk, person=waiting)
    services.event_register(event_id=event.pk, person=gone)
    services.event_cancel_registration(event_id=event.pk, person=gone)
    url = reverse("community:event_cancellation", args=[event.pk])
    staff = client_for("coordinator")
    assert staff.post(url, {"reason": "", "submission_token": str(uuid.uuid4())}).status_code == 400

    data = {"reason": "המרצה חלה", "submission_token": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, data)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url, data)  # sent twice: told once
    event.refresh_from_db()
    assert event.is_cancelled and event.cancel_reason == "המרצה חלה"
    told = Notice.objects.filter(kind=EVENT_CANCELLED)
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [world.participant.pk, waiting.user_id]
    )
    assert "המרצה חלה" in told.first().body
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.participant.email, waiting.user.email]
    )
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == f"event-{event.pk}.ics" and "method=CANCEL" in mimetype
    calendar = Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "CANCEL"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == f"community-event-{event.pk}@movilim"

    # The event is kept, marked cancelled; registration is closed; the member sees why.
    member = client_for("participant")
    page = member.get(reverse("community:event", args=[event.pk])).content.decode()
    assert "המרצה חלה" in page
    assert reverse("community:event_register", args=[event.pk]) not in page
    services.event_cancel_registration(event_id=event.pk, person=world.participant_person)
    refused = member.post(reverse("community:event_register", args=[event.pk]), follow=True)
    assert _he("This event was cancelled.") in refused.content.decode()
    mine = Registration.objects.get(event=event, person=world.participant_person)
    assert mine.status == "cancelled"
    ics = Calendar.from_ical(member.get(reverse("community:event_ics", args=[event.pk])).content)
    assert str(ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    # Nor is a cancelled event edited any more.
    edit = staff.get(reverse("community:event_edit", args=[event.pk]))
    assert edit.status_code == 302


def test_the_registrant_list_shows_places_and_the_queue_in_order(world, client_for):
    event = helpers.event(world, capacity=1)
    first, second, third = _people(world, 3)
    start = timezone.now()
    for n, person in enumerate((first, third, second)):
        services.event_register(
            event_id=event.pk, person=person, now=start + datetime.timedelta(minutes=n)
        )
    response = client_for("coordinator").get(
        reverse("community:event_registrations", args=[event.pk])
    )
    roster = response.context["roster"]
    assert [r.name for r in roster.registered] == [first.full_name]
    assert [r.name for r in roster.waiting] == [third.full_name, second.full_name]
    body = response.content.decode()
    assert body.index(third.full_name) < body.index(second.full_name)


def test_long_registrant_lists_page_each_list_and_number_across_pages(world, client_for):
    """Each list pages by its own cursor; lines keep their number (a place in line on the
    waiting list) from page to page; the headings count the whole lists."""
    event = helpers.event(world, capacity=3)
    people = _people(world, 8)
    start = timezone.now()
    for n, person in enumerate(people):
        services.event_register(
            event_id=event.pk, person=person, now=start + datetime.timedelta(minutes=n)
        )
    roster = queries.event_roster(event, QueryDict(), per_page=2)
    assert (roster.registered_count, roster.waiting_count) == (3, 5)
    assert [r.name for r in roster.waiting] == [p.full_name for p in people[3:5]]
    assert roster.waiting_from == 1 and roster.waiting.has_next

    # The waiting list's second page; the other list stays where it was.
    second = queries.event_roster(event, QueryDict(roster.waiting.next_query), per_page=2)
    assert [r.name for r in second.waiting] == [p.full_name for p in people[5:7]]
    assert second.waiting_from == 3 and second.registered_from == 1
    assert [r.name for r in second.registered] == [p.full_name for p in people[:2]]
    third = queries.event_roster(event, QueryDict(second.waiting.next_query), per_page=2)
    assert [r.name for r in third.waiting] == [people[7].full_name] and not third.waiting.has_next
    assert third.waiting_from == 5
    back = queries.event_roster(event, QueryDict(third.waiting.previous_query), per_page=2)
    assert back.waiting_from == 3 and [r.name for r in back.waiting] == [
        p.full_name for p in people[5:7]
    ]

    body = (
        client_for("coordinator")
        .get(reverse("community:event_registrations", args=[event.pk]))
        .content.decode()
    )
    assert "(3)" in body and "(5)" in body and people[7].full_name in body


def test_staff_of_another_program_who_are_members_read_but_do_not_run(world, client_for):
    """The other program's event: its members read it, our coordinator (a member too) may not
    change it."""
    mirror = world.mirrored()
    event = helpers.event(mirror)
    cluster = helpers.cluster(mirror)
    helpers.member(factories.PersonFactory(user=world.coordinator), world.program)
    client = client_for("coordinator")
    assert client.get(reverse("community:event", args=[event.pk])).status_code == 200
    for name in ("event_edit", "event_cancellation", "event_registrations"):
        assert client.get(reverse(f"community:{name}", args=[event.pk])).status_code == 403
    assert client.get(reverse("community:cluster_edit", args=[cluster.pk])).status_code == 403
    response = client.post(
        reverse("community:cluster_archive", args=[cluster.pk]), {"action": "archive"}
    )
    assert response.status_code == 403
    cluster.refresh_from_db()
    assert not cluster.is_archived


# --- clusters ---------------------------------------------------------------------------------


def _cluster_form(world, **changes):
    data = {
        "program": world.program.pk,
        "name_he": "ממשל נתונים",
        "name_en": "Data governance",
        "description": "מדיניות נתונים וממשקים",
        "coordinator_emails": world.fellow_person.user.email,
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_staff_create_and_edit_a_cluster_with_its_coordinators(world, client_for):
    helpers.members(world)
    client = client_for("manager")
    url = reverse("community:cluster_create")
    stranger = factories.PersonFactory()  # has an account, is not a member
    refused = client.post(url, _cluster_form(world, coordinator_emails=stranger.user.email))
    assert refused.status_code == 400
    assert stranger.user.email in refused.content.decode()
    data = _cluster_form(world)
    client.post(url, data)
    client.post(url, data)
    (cluster,) = Cluster.objects.filter(name_he="ממשל נתונים")
    assert list(cluster.coordinators.all()) == [world.fellow_person]
    duplicate = client.post(url, _cluster_form(world, name_en="Again"))
    assert duplicate.status_code == 400 and Cluster.objects.count() == 1

    edit = reverse("community:cluster_edit", args=[cluster.pk])
    assert client.get(edit).context["form"].initial["coordinator_emails"] == (
        world.fellow_person.user.email
    )
    both = f"{world.fellow_person.user.email}, {world.participant.email}"
    response = client.post(edit, _cluster_form(world, name_he="ממשל נתונים ופרטיות",
                                               coordinator_emails=both))  # fmt: skip
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.name_he == "ממשל נתונים ופרטיות"
    assert set(cluster.coordinators.all()) == {world.fellow_person, world.participant_person}
    reader = client_for("participant")
    reader.cookies["django_language"] = "en"
    page = reader.get(reverse("community:cluster", args=[cluster.pk]))
    assert "Data governance" in page.content.decode()


def test_an_archived_cluster_keeps_its_items_but_leaves_the_filters(world, client_for):
    cluster = helpers.cluster(world)
    other = Cluster.objects.create(program=world.program, name_he="רכש")
    item = helpers.item(world)
    item.cluster = cluster
    item.save()
    member = client_for("participant")
    join = reverse("community:cluster_join", args=[cluster.pk])
    member.post(join, {"action": "join"})
    assert cluster.members.filter(pk=world.participant_person.pk).exists()

    staff = client_for("coordinator")
    archive = reverse("community:cluster_archive", args=[cluster.pk])
    assert staff.get(archive).status_code == 200
    assert staff.post(archive, {}).status_code == 400
    assert staff.post(archive, {"action": "archive"}).status_code == 302
    cluster.refresh_from_db()
    assert cluster.is_archived

    for form in (DirectoryFilterForm(), ItemFilterForm(), ItemForm(programs=None)):
        assert list(form.fields["cluster"].queryset) == [other]
    assert KnowledgeItem.objects.get(pk=item.pk).cluster == cluster
    page = member.get(reverse("community:cluster", args=[cluster.pk])).content.decode()
    assert item.title in page
    # Leaving still works; joining again does not.
    member.post(join, {"action": "leave"})
    refused = member.post(join, {"action": "join"}, follow=True)
    assert not cluster.members.filter(pk=world.participant_person.pk).exists()
    assert _he("This cluster is archived: it takes no new members.") in refused.content.decode()
    listing = member.get(reverse("community:clusters"))
    assert listing.context["archived"] == [cluster]

    staff.post(archive, {"action": "restore"})
    cluster.refresh_from_db()
    assert not cluster.is_archived
    member.post(join, {"action": "join"})
    assert cluster.members.filter(pk=world.participant_person.pk).exists()


def test_an_event_is_held_as_a_session_chosen_by_date_and_cohort(world, client_for):
    session = factories.SessionFactory(
        cohort=world.cohort, title="יום רשת", starts_on=timezone.localdate()
    )
    client = client_for("coordinator")
    form = client.get(reverse("community:event_create")).context["form"]
    labels = dict(form.fields["session"].choices)
    assert any(
        f"{session.starts_on:%d/%m/%Y} · יום רשת · {world.cohort.name}" == str(label)
        for label in labels.values()
    )
    response = client.post(
        reverse("community:event_create"), _event_form(world, session=session.pk)
    )
    assert response.status_code == 302
    event = Event.objects.get(session=session)
    # Edited, the event keeps its session among the choices (no other event may take it).
    edit = client.get(reverse("community:event_edit", args=[event.pk])).context["form"]
    assert session in edit.fields["session"].queryset
    other = client.get(reverse("community:event_create")).context["form"]
    assert session not in other.fields["session"].queryset
