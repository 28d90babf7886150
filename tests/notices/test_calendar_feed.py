"""The one personal calendar feed: behind a secret, replaceable and revocable address, it holds
what the apps registered for its user (``notices.feeds``): the sessions of their cohorts and
the community events they hold a place at, cancelled ones as cancelled; nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from movilim.community import services as community
from movilim.community.models import Event
from movilim.notices.services import calendar_feed_token

from .. import factories
from ..community import helpers

pytestmark = pytest.mark.usefixtures("module_world")


def _feed(user) -> dict[str, object]:
    token = calendar_feed_token(user=user)
    assert token is not None
    response = Client().get(reverse("notices:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def _event(world, title: str, **fields) -> Event:
    return Event.objects.create(
        program=world.program,
        kind="meeting",
        title=title,
        starts_on=timezone.localdate() + dt.timedelta(days=10),
        **fields,
    )


def test_the_feed_holds_ones_sessions_and_registered_events_and_nobody_elses(world) -> None:
    helpers.members(world)
    helpers.members(world.mirrored())
    mine = helpers.event(world)
    community.event_register(event_id=mine.pk, person=world.participant_person)
    called_off = _event(world, "מפגש שבוטל", starts_at=dt.time(17))
    community.event_register(event_id=called_off.pk, person=world.participant_person)
    Event.objects.filter(pk=called_off.pk).update(cancelled_at=timezone.now())
    given_up = _event(world, "מפגש שוויתרתי עליו")
    community.event_register(event_id=given_up.pk, person=world.participant_person)
    community.event_cancel_registration(event_id=given_up.pk, person=world.participant_person)
    full = _event(world, "מפגש מלא", capacity=1)
    community.event_register(event_id=full.pk, person=world.fellow_person)
    community.event_register(event_id=full.pk, person=world.participant_person)  # waiting
    theirs = _event(world, "מפגש של אחרים")
    community.event_register(event_id=theirs.pk, person=world.outsider_person)

    entries = _feed(world.participant)
    session = entries[f"session-{world.session.pk}@movilim"]
    assert str(session["summary"]) == world.session.title
    event = entries[f"community-event-{mine.pk}@movilim"]
    assert str(event["summary"]) == mine.title and str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstart").date() == mine.starts_on
    assert str(entries[f"community-event-{called_off.pk}@movilim"]["status"]) == "CANCELLED"
    assert set(entries) == {
        f"session-{world.session.pk}@movilim",
        f"community-event-{mine.pk}@movilim",
        f"community-event-{called_off.pk}@movilim",
    }

    # Another user's feed: their own, never the participant's.
    assert set(_feed(world.outsider)) == {
        f"session-{world.other_session.pk}@movilim",
        f"community-event-{theirs.pk}@movilim",
    }
    assert set(_feed(world.fellow_person.user)) == {
        f"session-{world.session.pk}@movilim",
        f"community-event-{full.pk}@movilim",
    }
    # Staff see the sessions of the programs they run; a member who left, no events.
    assert set(_feed(world.coordinator)) == {f"session-{world.session.pk}@movilim"}
    world.participant_person.community_membership.is_active = False
    world.participant_person.community_membership.save()
    assert set(_feed(world.participant)) == {f"session-{world.session.pk}@movilim"}


def test_the_feed_costs_the_same_queries_for_one_entry_or_many(world) -> None:
    helpers.members(world)
    token = calendar_feed_token(user=world.participant)
    url = reverse("notices:calendar_feed", args=[token])
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for n in range(15):
        factories.SessionFactory(cohort=world.cohort, starts_on=dt.date(2026, 3, 1 + n))
        event = _event(world, f"מפגש {n}")
        community.event_register(event_id=event.pk, person=world.participant_person)
    with CaptureQueriesContext(connection) as many:
        response = Client().get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 31
    assert len(many) == len(few)


def test_a_feed_address_can_be_replaced_and_removed(world, client_for) -> None:
    helpers.members(world)
    community.event_register(event_id=helpers.event(world).pk, person=world.participant_person)
    client = client_for("participant")
    old = calendar_feed_token(user=world.participant)
    page = client.get(reverse("notices:calendar")).content.decode()
    assert old in page
    assert "המפגשים של המחזורים שלך" in page and "אירועי הקהילה שיש לך מקום בהם" in page

    client.post(reverse("notices:calendar"), {"action": "renew"})
    new = calendar_feed_token(user=world.participant)
    assert new != old
    assert Client().get(reverse("notices:calendar_feed", args=[old])).status_code == 404
    assert Client().get(reverse("notices:calendar_feed", args=[new])).status_code == 200

    client.post(reverse("notices:calendar"), {"action": "revoke"})
    assert calendar_feed_token(user=world.participant) is None
    assert Client().get(reverse("notices:calendar_feed", args=[new])).status_code == 404
    assert 'dir="ltr"' not in client.get(reverse("notices:calendar")).content.decode()

    response = client.post(reverse("notices:calendar"), {"action": "other"})
    assert response.status_code == 400


def test_guessed_or_foreign_tokens_open_nothing(world) -> None:
    token = calendar_feed_token(user=world.participant)
    assert token is not None
    forged = f"{world.outsider.pk}-{token.split('-', 1)[1]}"
    for bad in (forged, "abc", f"{world.participant.pk}-0000", "999999-x"):
        assert Client().get(reverse("notices:calendar_feed", args=[bad])).status_code == 404
