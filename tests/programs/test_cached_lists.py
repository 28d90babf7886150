"""The participant list and the schedule are cached, never stale nor shown to the wrong reader."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse

from movilim.core import versions
from movilim.programs import services

from .. import factories


def test_participant_list_follows_changes(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:people")
    assert world.fellow_person.full_name in client.get(url).content.decode()

    world.fellow_person.user.last_name = "בן-חיים"
    world.fellow_person.user.save()
    assert "בן-חיים" in client.get(url).content.decode()

    newcomer = factories.PersonFactory(user__first_name="חדשה", user__last_name="במחזור")
    services.enrollment_add(cohort=world.cohort, person=newcomer, by=None)
    assert "חדשה במחזור" in client.get(url).content.decode()

    world.fellow_person.organization.name_he = "רשות חדשה"
    world.fellow_person.organization.save()
    assert "רשות חדשה" in client.get(url).content.decode()


def test_readers_with_other_rights_do_not_share_a_cached_list(world, client_for) -> None:
    other_coordinator = factories.UserFactory(email="local-coordinator@example.org")
    factories.ProgramRoleFactory(
        user=other_coordinator, program=world.other_program, role="coordinator"
    )
    url = reverse("programs:people")
    first = client_for("coordinator").get(url).content.decode()
    assert world.fellow_person.full_name in first

    client = client_for("anonymous")
    client.force_login(other_coordinator)
    second = client.get(url).content.decode()
    assert world.fellow_person.full_name not in second
    assert world.outsider_person.full_name in second


def test_schedule_follows_sessions_and_attendance(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:schedule") + "?period=all"
    html = client.get(url).content.decode()
    take = reverse("programs:attendance", args=[world.session.pk])
    assert take in html

    services.attendance_record(
        session=world.session,
        marks={world.participant_person.pk: services.Mark("present")},
        by=world.coordinator,
    )
    assert take not in client.get(url).content.decode()

    services.session_create(
        cohort=world.cohort,
        kind="online",
        title="מפגש מקוון על נתונים",
        starts_on=datetime.date(2026, 3, 1),
        hours=2,
    )
    assert "מפגש מקוון על נתונים" in client.get(url).content.decode()


def test_a_rolled_back_change_raises_nothing(world) -> None:
    before = versions.current(["people"])["people"]
    try:
        with transaction.atomic():
            world.fellow_person.job_title = "לא נשמר"
            world.fellow_person.save()
            raise RuntimeError
    except RuntimeError:
        pass
    assert versions.current(["people"])["people"] == before
    world.fellow_person.save()
    assert versions.current(["people"])["people"] == before + 1
