"""The roster's actions (on the rows ticked, or on everyone its filter lets through), their
confirmation and undo, and the waiting list's order kept by hand."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.core.models import User
from movilim.programs import services
from movilim.programs.models import Enrollment, EnrollmentStatusChange
from tests import factories

from . import manage_helpers as mh
from .test_import import _statements

pytestmark = pytest.mark.usefixtures("module_world")


def _action(url_world, **data):
    base = {
        "action": "withdraw",
        "scope": "picked",
        "q": "",
        "status": "",
        "note": "",
        "submission_token": mh.token(),
    }
    return {**base, **data}


def _statuses(*enrollments: Enrollment) -> list[str]:
    return [Enrollment.objects.get(pk=e.pk).status for e in enrollments]


def test_ticked_rows_are_confirmed_changed_once_and_undone_together(world, client_for) -> None:
    world.cohort.target_size = 2
    world.cohort.save()
    first, second = mh.waiting(world)
    fellow = Enrollment.objects.get(cohort=world.cohort, person=world.fellow_person)
    client = client_for("coordinator")
    url = reverse("programs:roster_action", args=[world.cohort.pk])
    chosen = _action(world, enrollment=[world.enrollment.pk, fellow.pk])

    # The first step states the action and the count, names the people, and changes nothing.
    page = client.post(url, chosen)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2" in html[html.index('id="action-summary"') :].split("</p>")[0]
    assert world.participant_person.full_name in html and world.fellow_person.full_name in html
    assert _statuses(world.enrollment, fellow) == ["active", "active"]

    confirmed = {**chosen, "confirm": "1", "count": "2"}
    response = client.post(url, confirmed)
    assert response.status_code == 302
    assert _statuses(world.enrollment, fellow, first, second) == [
        "withdrew",
        "withdrew",
        "active",  # the two places freed go to the waiting list, in its order
        "active",
    ]
    steps = EnrollmentStatusChange.objects.count()
    # Sent twice (a double click, a resend): the same answer, nothing more written.
    again = client.post(url, confirmed)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert EnrollmentStatusChange.objects.count() == steps

    # The history offers to undo the whole action: the four steps.
    history = client.get(response["Location"]).content.decode()
    assert 'id="undo-batch"' in history and "(4 " in history
    batch = parse_qs(urlsplit(response["Location"]).query)["batch"][0]
    undo = reverse("programs:history_undo", args=[world.cohort.pk])
    client.post(undo, {"batch": batch})
    assert _statuses(world.enrollment, fellow, first, second) == [
        "active",
        "active",
        "waitlisted",
        "waitlisted",
    ]
    # Back in their places on the list, in the same order.
    assert [e.pk for e in services.waitlist(world.cohort)] == [first.pk, second.pk]
    # Undone once only.
    steps = EnrollmentStatusChange.objects.count()
    client.post(undo, {"batch": batch})
    assert EnrollmentStatusChange.objects.count() == steps


def _network(cohort, n: int, *, organization) -> list[Enrollment]:
    return [
        factories.EnrollmentFactory(
            cohort=cohort, person=factories.PersonFactory(organization=organization)
        )
        for _ in range(n)
    ]


def test_everyone_matching_the_filter_without_listing_them(world, client_for) -> None:
    municipality = factories.OrganizationFactory(name_he="עיריית חולון", name_en="Holon")
    matching = _network(world.cohort, 12, organization=municipality)
    services.enrollment_set_status(enrollment=matching[0], status="graduated", by=None)
    client = client_for("manager")
    url = reverse("programs:roster_action", args=[world.cohort.pk])
    chosen = _action(world, action="graduate", scope="filter", q="חולון", status="active")

    page = client.post(url, chosen).content.decode()
    assert "11" in page[page.index('id="action-summary"') :].split("</p>")[0]
    assert 'id="action-people"' not in page  # counted, not listed
    assert "חולון" in page

    response = client.post(url, {**chosen, "confirm": "1", "count": "11"})
    assert response.status_code == 302
    assert set(_statuses(*matching)) == {"graduated"}
    # Those outside the filter are untouched.
    assert _statuses(world.enrollment) == ["active"]
    assert (
        Enrollment.objects.get(person=world.fellow_person, cohort=world.cohort).status == "active"
    )


def test_the_number_is_checked_again_when_confirmed(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:roster_action", args=[world.cohort.pk])
    chosen = _action(world, scope="filter", action="graduate")
    page = client.post(url, chosen).content.decode()
    assert "2" in page[page.index('id="action-summary"') :].split("</p>")[0]
    # Someone joins before the confirmation is sent: nothing is done, and the new number shown.
    factories.EnrollmentFactory(cohort=world.cohort)
    response = client.post(url, {**chosen, "confirm": "1", "count": "2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        'value="3"' in html and "3" in html[html.index('id="action-errors"') :].split("</div>")[0]
    )
    assert not Enrollment.objects.filter(cohort=world.cohort, status="graduated").exists()
    # Confirmed again, with the same form, it is done for the three.
    response = client.post(url, {**chosen, "confirm": "1", "count": "3"})
    assert response.status_code == 302
    assert Enrollment.objects.filter(cohort=world.cohort, status="graduated").count() == 3


def test_a_move_of_many_and_its_undo(world, client_for) -> None:
    sister = mh.sister_cohort(world)
    fellow = Enrollment.objects.get(cohort=world.cohort, person=world.fellow_person)
    # The fellow is enrolled there already: left where they are.
    there = factories.EnrollmentFactory(cohort=sister, person=world.fellow_person, status="applied")
    client = client_for("coordinator")
    url = reverse("programs:roster_action", args=[world.cohort.pk])
    chosen = _action(world, action="move", enrollment=[world.enrollment.pk, fellow.pk])
    page = client.post(url, chosen).content.decode()
    assert f'<option value="{sister.pk}">' in page
    assert f'<option value="{world.other_cohort.pk}">' not in page
    # Without a cohort chosen, the confirmation asks for one.
    missing = client.post(url, {**chosen, "confirm": "1", "count": "2"})
    assert missing.status_code == 400
    response = client.post(url, {**chosen, "confirm": "1", "count": "2", "target": sister.pk})
    assert response.status_code == 302
    moved = Enrollment.objects.get(cohort=sister, person=world.participant_person)
    assert moved.status == "active"
    assert _statuses(world.enrollment, fellow, there) == ["withdrew", "active", "applied"]
    assert sister.name_he in world.enrollment.history.order_by("pk").last().note

    batch = parse_qs(urlsplit(response["Location"]).query)["batch"][0]
    client.post(reverse("programs:history_undo", args=[world.cohort.pk]), {"batch": batch})
    assert _statuses(world.enrollment) == ["active"]
    assert not Enrollment.objects.filter(pk=moved.pk).exists()
    assert LogEntry.objects.filter(
        content_type__model="enrollment", object_id=moved.pk, action=LogEntry.Action.DELETE
    ).exists()
    assert _statuses(there) == ["applied"]


def test_only_the_users_own_cohorts_people_are_changed(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:roster_action", args=[world.cohort.pk])
    # A key of the other program's cohort slipped into the ticks selects nobody.
    forged = _action(world, enrollment=[world.other_enrollment.pk])
    page = client.post(url, forged)
    assert page.status_code == 200 and 'id="action-summary"' in page.content.decode()
    client.post(url, {**forged, "confirm": "1", "count": "0"})
    assert _statuses(world.other_enrollment) == ["active"]
    # The other cohort's own address is not found, even for everyone matching its filter.
    other = reverse("programs:roster_action", args=[world.other_cohort.pk])
    everyone = _action(world, scope="filter", confirm="1", count="2")
    assert client.post(other, everyone).status_code == 404
    assert set(
        Enrollment.objects.filter(cohort=world.other_cohort).values_list("status", flat=True)
    ) == {"active"}
    # Nor may a move lead into another program's cohort.
    moving = _action(world, action="move", enrollment=[world.enrollment.pk], confirm="1", count="1")
    response = client.post(url, {**moving, "target": world.other_cohort.pk})
    assert response.status_code == 400
    assert not Enrollment.objects.filter(
        cohort=world.other_cohort, person=world.participant_person
    ).exists()


def test_bad_roster_input_is_answered_in_hebrew(world, client_for) -> None:
    client = client_for("manager")
    url = reverse("programs:roster_action", args=[world.cohort.pk])
    nothing_ticked = client.post(url, _action(world))
    assert nothing_ticked.status_code == 400
    assert "לסמן" in nothing_ticked.content.decode()
    long_note = _action(
        world, enrollment=[world.enrollment.pk], note="א" * 301, confirm="1", count="1"
    )
    response = client.post(url, long_note)
    assert response.status_code == 400
    assert "300" in response.content.decode()
    assert client.post(url, _action(world, action="delete", enrollment=[1])).status_code == 400
    assert client.post(url, _action(world, enrollment=["x"])).status_code == 400
    assert _statuses(world.enrollment) == ["active"]


def test_the_write_is_set_based(world) -> None:
    """Withdrawing everyone of a cohort costs the same statements for 5 as for 150 (SQLite cuts
    a bulk insert into batches of 999 parameters, counted once)."""
    organization = factories.OrganizationFactory()
    counts = []
    for size in (5, 150):
        cohort = factories.CohortFactory(program=world.program, target_size=size)
        _network(cohort, size, organization=organization)
        coordinator = User.objects.get(pk=world.coordinator.pk)  # rights not yet read
        with CaptureQueriesContext(connection) as queries:
            result = services.roster_change(
                cohort=cohort, by=coordinator, action="withdraw", query={}, expected=size
            )
        assert result.changed == size
        counts.append(_statements(queries.captured_queries))
    if connection.vendor == "sqlite":
        assert counts[0] == counts[1]
    else:
        assert len(counts[0]) == len(counts[1])
    assert len(counts[1]) <= 15  # rights, the lock and read, the update, history, audit


# --- the waiting list's order ----------------------------------------------------------------


def _order(world) -> list[int]:
    return [e.pk for e in services.waitlist(world.cohort)]


def test_staff_order_the_waiting_list_by_hand(world, client_for) -> None:
    a, b, c = mh.waiting(world, 3)
    client = client_for("coordinator")
    url = reverse("programs:waitlist_move", args=[world.cohort.pk])

    def move(enrollment, **how) -> int:
        data = {"enrollment": enrollment.pk, "submission_token": mh.token(), **how}
        return client.post(url, data).status_code

    assert move(c, step="-1") == 302
    assert _order(world) == [a.pk, c.pk, b.pk]
    assert move(a, place="3") == 302
    assert _order(world) == [c.pk, b.pk, a.pk]
    assert move(b, place="99") == 302  # past the end: the end
    assert _order(world) == [c.pk, a.pk, b.pk]
    assert move(c, step="-1") == 302  # the first stays first
    assert _order(world) == [c.pk, a.pk, b.pk]
    # The page shows the order, with the buttons named for each person.
    page = client.get(reverse("programs:cohort_history", args=[world.cohort.pk])).content.decode()
    waitlist = page[page.index('id="waitlist"') :].split("</ol>")[0]
    positions = [waitlist.index(f'data-enrollment="{e.pk}"') for e in (c, a, b)]
    assert positions == sorted(positions)
    # A newcomer joins at the end.
    (d,) = [e for e in mh.waiting(world, 4) if e.pk not in (a.pk, b.pk, c.pk)]
    assert _order(world) == [c.pk, a.pk, b.pk, d.pk]
    # Bad input is refused with a reason; someone no longer waiting cannot be moved.
    assert move(d, place="0") == 400
    services.enrollment_set_status(enrollment=d, status="declined", by=None)
    response = client.post(url, {"enrollment": d.pk, "place": "1", "submission_token": mh.token()})
    assert response.status_code == 400
    assert _order(world) == [c.pk, a.pk, b.pk]


def test_a_withdrawal_fills_from_the_first_in_the_order_set_by_hand(world, client_for) -> None:
    a, b, c = mh.waiting(world, 3)
    services.waitlist_move(cohort=world.cohort, enrollment_id=c.pk, place=1, by=world.manager)
    world.cohort.target_size = 2
    world.cohort.save()
    client_for("coordinator").post(
        reverse("programs:enrollment_status", args=[world.enrollment.pk]),
        {"status": "withdrew", "note": ""},
    )
    assert _statuses(c, a, b) == ["active", "waitlisted", "waitlisted"]
    assert _order(world) == [a.pk, b.pk]
