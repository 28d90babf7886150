"""Adding, moving and changing the status of participants from the app."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from movilim.notices.models import Notice
from movilim.programs import services
from movilim.programs.models import Enrollment
from movilim.programs.reminders import WAITLIST_PLACE, WAITLIST_PLACE_UNDONE
from tests import factories

from . import manage_helpers as mh

pytestmark = pytest.mark.usefixtures("module_world")


def test_a_new_person_is_created_and_enrolled_once(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:participant_add", args=[world.cohort.pk])
    data = {**mh.new_participant_form(world), "new-email": "Maya@Example.org"}
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)  # sent twice
    enrollment = Enrollment.objects.get(cohort=world.cohort, person__user__email="maya@example.org")
    assert enrollment.status == "active"
    assert enrollment.history.count() == 1


def test_bad_input_for_a_new_person(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:participant_add", args=[world.cohort.pk])
    response = client.post(url, {**mh.new_participant_form(world), "new-email": "not-an-address"})
    assert response.status_code == 400
    assert "דוא" in response.content.decode()  # the e-mail field's message, in Hebrew
    assert "יעל" in response.content.decode()  # what was typed stays
    response = client.post(url, {**mh.new_participant_form(world), "new-status": "graduated"})
    assert response.status_code == 400
    assert Enrollment.objects.filter(cohort=world.cohort).count() == 2


def test_search_finds_people_and_offers_only_those_one_may_enroll(world, client_for) -> None:
    client = client_for("coordinator")
    other_cohort = factories.CohortFactory(program=world.program, name_he="מחזור נוסף")
    url = reverse("programs:participant_add", args=[other_cohort.pk])
    mine = world.fellow_person
    page = client.get(url, {"q": mine.user.email}).content.decode()
    assert mine.full_name in page
    assert f'name="person_prefix" value="{mine.pk}"' in page
    # Someone of the other program is found but not offered.
    stranger = world.other_fellow_person
    page = client.get(url, {"q": stranger.user.email}).content.decode()
    assert stranger.full_name in page
    assert f'name="person_prefix" value="{stranger.pk}"' not in page
    # Enrolling a person found.
    response = client.post(
        url,
        {
            "form": "existing",
            "person_prefix": str(mine.pk),
            f"p{mine.pk}-person": str(mine.pk),
            f"p{mine.pk}-status": "waitlisted",
            f"p{mine.pk}-submission_token": mh.token(),
        },
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(cohort=other_cohort, person=mine).status == "waitlisted"


def test_a_person_outside_ones_programs_is_not_enrolled_silently(world, client_for) -> None:
    stranger = world.other_fellow_person
    url = reverse("programs:participant_add", args=[world.cohort.pk])
    forged = {
        "form": "existing",
        "person_prefix": str(stranger.pk),
        f"p{stranger.pk}-person": str(stranger.pk),
        f"p{stranger.pk}-status": "active",
        f"p{stranger.pk}-submission_token": mh.token(),
    }
    response = client_for("coordinator").post(url, forged)
    assert response.status_code == 400
    assert not Enrollment.objects.filter(cohort=world.cohort, person=stranger).exists()
    # By e-mail, through the new-person form: refused too, with the reason.
    response = client_for("coordinator").post(
        url, {**mh.new_participant_form(world), "new-email": stranger.user.email}
    )
    assert response.status_code == 400
    assert stranger.user.email in response.content.decode()
    assert not Enrollment.objects.filter(cohort=world.cohort, person=stranger).exists()
    # A site administrator may.
    response = client_for("admin").post(
        url, {**forged, f"p{stranger.pk}-submission_token": mh.token()}
    )
    assert response.status_code == 302
    assert Enrollment.objects.filter(cohort=world.cohort, person=stranger).exists()


def test_a_staff_account_is_never_enrolled(world, client_for) -> None:
    factories.PersonFactory(user=world.coordinator)
    response = client_for("admin").post(
        reverse("programs:participant_add", args=[world.cohort.pk]),
        {**mh.new_participant_form(world), "new-email": world.coordinator.email},
    )
    assert response.status_code == 400
    assert not Enrollment.objects.filter(person__user=world.coordinator).exists()


def test_moving_to_another_cohort_keeps_both_histories(world, client_for) -> None:
    target = mh.sister_cohort(world)
    response = client_for("coordinator").post(
        reverse("programs:enrollment_move", args=[world.enrollment.pk]),
        {"cohort": target.pk, "submission_token": mh.token()},
    )
    assert response.status_code == 302
    world.enrollment.refresh_from_db()
    assert world.enrollment.status == "withdrew"
    assert target.name_he in world.enrollment.history.last().note
    assert Enrollment.objects.get(cohort=target, person=world.participant_person).status == "active"
    # Not into the other program's cohort, even by a forged form.
    response = client_for("coordinator").post(
        reverse("programs:enrollment_move", args=[world.enrollment.pk]),
        {"cohort": world.other_cohort.pk, "submission_token": mh.token()},
    )
    assert response.status_code == 400
    assert not Enrollment.objects.filter(
        cohort=world.other_cohort, person=world.participant_person
    ).exists()


def _waitlisted(world, n: int) -> list[Enrollment]:
    people = []
    for _ in range(n):
        enrollment, _new = services.enrollment_add(
            cohort=world.cohort, person=factories.PersonFactory(), status="waitlisted", by=None
        )
        people.append(enrollment)
    return people


def test_the_waitlist_fills_in_order_only_below_the_target_size(
    world, django_capture_on_commit_callbacks
) -> None:
    first, second = _waitlisted(world, 2)
    world.cohort.target_size = 2
    world.cohort.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollments_set_status(
            enrollments=[world.enrollment], status="withdrew", by=world.manager
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("active", "waitlisted")
    assert "המתנה" in first.history.last().note
    # The one who took the place is told, in the app and by mail; the one still waiting is not.
    told = Notice.objects.filter(kind=WAITLIST_PLACE)
    assert [n.user_id for n in told] == [first.person.user_id]
    assert world.cohort.name_he in told.get().title
    assert [m.to for m in mail.outbox] == [[first.person.user.email]]
    # A cohort at its target size takes nobody from the list.
    services.enrollments_set_status(enrollments=[first], status="graduated", by=world.manager)
    second.refresh_from_db()
    assert second.status == "waitlisted"


def test_an_undo_that_takes_a_place_back_tells_the_person(
    world, django_capture_on_commit_callbacks
) -> None:
    """Told the place was theirs, then sent back to the list by an undo: told again, once."""
    (first,) = _waitlisted(world, 1)
    world.cohort.target_size = 2
    world.cohort.save()
    services.enrollments_set_status(
        enrollments=[world.enrollment], status="withdrew", by=world.manager
    )
    first.refresh_from_db()
    assert first.status == "active"
    mail.outbox.clear()
    took_place = first.history.filter(pk=first.history.order_by("changed_at", "pk").last().pk)

    for _twice in range(2):  # the second undo finds the step no longer the latest
        with django_capture_on_commit_callbacks(execute=True):
            services.enrollment_changes_undo(changes=took_place, by=world.manager)
    first.refresh_from_db()
    assert first.status == "waitlisted"
    told = Notice.objects.filter(kind=WAITLIST_PLACE_UNDONE)
    assert [n.user_id for n in told] == [first.person.user_id]
    assert world.cohort.name_he in told.get().title
    assert [m.to for m in mail.outbox] == [[first.person.user.email]]


def test_staff_of_one_program_cannot_touch_the_others_with_real_forms(world, client_for) -> None:
    """The every-URL table sends these pages empty forms only (their objects are made here)."""
    mirror = world.mirrored()
    other_sister = mh.sister_cohort(mirror)
    services.enrollment_set_status(enrollment=world.other_enrollment, status="graduated", by=None)
    step = world.other_enrollment.history.order_by("changed_at", "pk").last()
    for role in ("coordinator", "manager", "participant"):
        client = client_for(role)
        undo = client.post(
            reverse("programs:history_undo", args=[world.other_cohort.pk]), {"change": [step.pk]}
        )
        move = client.post(
            reverse("programs:enrollment_move", args=[world.other_enrollment.pk]),
            {"cohort": other_sister.pk, "submission_token": mh.token()},
        )
        copy = client.post(
            reverse("programs:cohort_copy", args=[world.other_cohort.pk]),
            mh.copy_form(mirror),
        )
        assert {undo.status_code, move.status_code, copy.status_code} == {404}, role
    world.other_enrollment.refresh_from_db()
    assert world.other_enrollment.status == "graduated"
    assert not Enrollment.objects.filter(cohort=other_sister).exists()
    assert not world.other_cohort.targets.exists()
    # A coordinator of the program itself may move and undo, but not copy a plan.
    coordinator = client_for("coordinator")
    copy = coordinator.post(
        reverse("programs:cohort_copy", args=[world.cohort.pk]), mh.copy_form(world)
    )
    assert copy.status_code == 403
    assert not world.cohort.targets.exists()
