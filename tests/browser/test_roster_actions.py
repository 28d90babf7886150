"""The roster's action bar in a real browser: tick two rows, withdraw them, confirm, see the
result and undo it. The roster and the confirmation page are checked with axe-core."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from movilim.programs import services
from movilim.programs.models import Enrollment
from tests import factories

HEBREW = ("he", "rtl")


def _statuses(*enrollments: Enrollment) -> list[str]:
    return [Enrollment.objects.get(pk=e.pk).status for e in enrollments]


def test_two_rows_withdrawn_from_the_roster_and_undone(page, axe, program_world):
    w = program_world
    fellow = Enrollment.objects.get(cohort=w.cohort, person=w.fellow_person)
    first, second = (
        services.enrollment_add(
            cohort=w.cohort, person=factories.PersonFactory(), status="waitlisted", by=None
        )[0]
        for _ in range(2)
    )
    page.log_in(w.coordinator.email)
    page.open(f"/cohorts/{w.cohort.pk}/")
    assert page.html_attributes() == HEBREW
    assert page.find("#roster-actions")
    axe("roster with its action bar")
    page.screenshot("roster-actions-he")

    # The box in the header ticks every row of the page, and clears them again.
    boxes = page.find_all("#participants-table tbody input[type=checkbox][name=enrollment]")
    assert len(boxes) == 2
    page.find("#participants-table thead input[data-pick-all]").click()
    assert all(box.is_selected() for box in boxes)
    page.find("#participants-table thead input[data-pick-all]").click()
    assert not any(box.is_selected() for box in boxes)

    # Tick both rows (the box in each row belongs to the action bar's form), choose to withdraw.
    for enrollment in (w.enrollment, fellow):
        box = page.find(f"input[type=checkbox][name=enrollment][value='{enrollment.pk}']")
        assert box.get_attribute("form") == "roster-actions"
        box.click()
        assert box.is_selected()
    page.find("#roster-action option[value=withdraw]").click()
    assert page.find("#roster-scope-picked").is_selected()
    page.click_and_wait(page.find("#roster-actions button[type=submit]"))

    # The confirmation states the action and the number, and names the two.
    assert page.path == f"/cohorts/{w.cohort.pk}/participants/action/"
    summary = page.find("#action-summary").text
    with translation.override("he"):
        assert gettext("Withdraw") in summary
    assert "2" in summary
    names = page.find("#action-people").text
    assert w.participant_person.full_name in names and w.fellow_person.full_name in names
    assert _statuses(w.enrollment, fellow) == ["active", "active"]
    axe("confirmation page")
    page.screenshot("roster-confirm-he")
    page.click_and_wait(page.find("#confirm-form button[type=submit]"))

    # Done: the history says so and offers to undo the whole of it.
    history_url = page.path
    assert history_url.startswith(f"/cohorts/{w.cohort.pk}/history/?batch=")
    assert page.find_all(".messages .alert-success")
    # The two places freed went to the two waiting, the cohort being below its target size.
    assert _statuses(w.enrollment, fellow, first, second) == [
        "withdrew",
        "withdrew",
        "active",
        "active",
    ]
    history = page.find("#history-table").text
    assert w.participant_person.full_name in history and w.fellow_person.full_name in history
    # The roster: the two left the members' table and show among the withdrawals.
    page.open(f"/cohorts/{w.cohort.pk}/")
    names = [th.text for th in page.find_all("#participants-table tbody th[scope=row]")]
    assert sorted(names) == sorted([first.person.full_name, second.person.full_name])
    others = page.find("#others-heading + .table-responsive").text
    assert w.participant_person.full_name in others and w.fellow_person.full_name in others

    page.open(history_url)
    page.click_and_wait(page.find("#undo-batch button[type=submit]"))
    assert page.path == f"/cohorts/{w.cohort.pk}/history/"
    assert _statuses(w.enrollment, fellow) == ["active", "active"]
    assert page.find_all(".messages .alert-success")
    # Undone whole: the two waiting are back on the list, in their order, which the history
    # page lets staff change.
    assert _statuses(first, second) == ["waitlisted", "waitlisted"]
    assert [e.pk for e in services.waitlist(w.cohort)] == [first.pk, second.pk]
    axe("status history and waiting list")
    page.screenshot("history-he")
    page.click_and_wait(page.find(f"#waitlist [data-enrollment='{second.pk}'] [data-move=up]"))
    assert [e.pk for e in services.waitlist(w.cohort)] == [second.pk, first.pk]

    page.open(f"/cohorts/{w.cohort.pk}/")
    names = [th.text for th in page.find_all("#participants-table tbody th[scope=row]")]
    assert sorted(names) == sorted([w.participant_person.full_name, w.fellow_person.full_name])
