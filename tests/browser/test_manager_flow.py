"""A program manager runs a cohort from the app, in Hebrew: a new cohort with composition
targets, a participant added, a session scheduled on a holiday (and warned of it), attendance
taken and the sign-in sheet downloaded. Each new page is checked with axe-core."""

from __future__ import annotations

import datetime

import holidays
from django.utils import timezone
from selenium.webdriver.support.ui import Select

from movilim.programs.models import Attendance, Cohort, Enrollment, Session

HEBREW = ("he", "rtl")

FETCH_PDF = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"}).then(async (response) => {
  const bytes = new Uint8Array(await response.arrayBuffer());
  done([response.headers.get("Content-Type"), String.fromCharCode(...bytes.slice(0, 5))]);
}).catch((error) => done(["error", String(error)]));
"""


def fill(page, name: str, value: str) -> None:
    field = page.find(f"[name='{name}']")
    if field.get_attribute("type") in ("date", "time"):
        # The browser's own pickers take typed keys in the locale's order: set the value.
        page.driver.execute_script("arguments[0].value = arguments[1];", field, value)
    else:
        field.clear()
        field.send_keys(value)


def a_past_holiday() -> datetime.date:
    """Yom Kippur of last year: a holiday, never on the weekend, and already past."""
    year = timezone.localdate().year - 1
    days = holidays.Israel(years=year, language="en_US")
    return next(day for day, name in sorted(days.items()) if name == "Yom Kippur")


def test_a_manager_sets_up_and_runs_a_cohort(page, axe, program_world):
    w = program_world
    holiday = a_past_holiday()
    page.log_in(w.manager.email)

    # A new cohort, from the program's page, with two composition targets.
    page.open(f"/programs/{w.program.slug}/")
    page.click_and_wait(page.find(f"a[href='/programs/{w.program.slug}/cohorts/new/']"))
    assert page.html_attributes() == HEBREW
    axe("new cohort form")
    fill(page, "name_he", "מחזור הבדיקה")
    fill(page, "start_date", f"{holiday.year}-01-01")
    fill(page, "end_date", f"{holiday.year}-12-31")
    fill(page, "target_size", "25")
    Select(page.find("[name='targets-0-category']")).select_by_value("gender:female")
    fill(page, "targets-0-min_percent", "40")
    fill(page, "targets-0-max_percent", "60")
    Select(page.find("[name='targets-1-category']")).select_by_value("minority:yes")
    fill(page, "targets-1-min_percent", "15")
    page.click_and_wait(page.find("#cohort-form button[type=submit]"))
    cohort = Cohort.objects.get(name_he="מחזור הבדיקה")
    assert page.path == f"/cohorts/{cohort.pk}/"
    assert sorted(cohort.targets.values_list("category", flat=True)) == ["female", "yes"]
    axe("new cohort's page")

    # A participant: looked for first, not found, then added.
    page.click_and_wait(page.find(f"a[href='/cohorts/{cohort.pk}/participants/add/']"))
    axe("add a participant")
    fill(page, "q", "רוני אלמוג")
    page.click_and_wait(page.find("form[role=search] button[type=submit]"))
    axe("add a participant, after a search")
    fill(page, "new-email", "roni@example.org")
    fill(page, "new-first_name", "רוני")
    fill(page, "new-last_name", "אלמוג")
    page.click_and_wait(page.find("#new-participant-form button[type=submit]"))
    assert page.path == f"/cohorts/{cohort.pk}/"
    roni = Enrollment.objects.get(cohort=cohort, person__user__email="roni@example.org")
    names = [th.text for th in page.find_all("#participants-table tbody th[scope=row]")]
    assert "רוני אלמוג" in " ".join(names)

    # A session on a holiday: saved, with a warning naming the holiday in Hebrew.
    page.click_and_wait(page.find(f"a[href='/cohorts/{cohort.pk}/sessions/new/']"))
    axe("new session form")
    fill(page, "title", "יום פתיחה")
    fill(page, "title_en", "Opening day")
    Select(page.find("[name='kind']")).select_by_value("in_person")
    fill(page, "starts_on", holiday.isoformat())
    fill(page, "starts_at", "09:00")
    fill(page, "ends_at", "15:00")
    fill(page, "hours", "6")
    page.click_and_wait(page.find("main form button[type=submit]"))
    session = Session.objects.get(cohort=cohort, title="יום פתיחה")
    assert page.path == f"/sessions/{session.pk}/"
    warnings = " ".join(a.text for a in page.find_all(".messages .alert-warning"))
    assert "יום כיפור" in warnings, warnings
    axe("session page with warnings")

    # Attendance, then the sign-in sheet.
    page.click_and_wait(page.find(f"a[href='/sessions/{session.pk}/attendance/']"))
    page.find("button[data-mark-all=present]").click()
    page.click_and_wait(page.find("main form button[type=submit]"))
    assert Attendance.objects.get(session=session, person=roni.person).status == "present"
    link = page.find(f"a[href='/sessions/{session.pk}/sign-in.pdf']")
    content_type, start = page.driver.execute_async_script(FETCH_PDF, link.get_attribute("href"))
    assert (content_type, start) == ("application/pdf", "%PDF-")

    # The other new pages pass axe too.
    for label, path in (
        ("cohort edit form", f"/cohorts/{cohort.pk}/edit/"),
        ("copy from a cohort", f"/cohorts/{cohort.pk}/copy/"),
        ("status history", f"/cohorts/{cohort.pk}/history/"),
        ("move to a cohort", f"/enrollments/{roni.pk}/move/"),
        ("cancel a session", f"/sessions/{session.pk}/cancel/"),
        ("delete a session", f"/sessions/{session.pk}/delete/"),
        ("program edit form", f"/programs/{w.program.slug}/edit/"),
    ):
        page.open(path)
        assert page.html_attributes() == HEBREW
        assert page.find("main h1").text.strip(), label
        axe(label)

    # An action on the roster: roni graduates, after a confirmation.
    page.open(f"/cohorts/{cohort.pk}/")
    Select(page.find("#roster-action")).select_by_value("graduate")
    page.find(f"input[name=enrollment][value='{roni.pk}']").click()
    page.click_and_wait(page.find("#roster-actions button[type=submit]"))
    assert "רוני אלמוג" in page.find("#action-people").text
    axe("roster action confirmation")
    page.click_and_wait(page.find("#confirm-form button[type=submit]"))
    roni.refresh_from_db()
    assert roni.status == "graduated"
    assert page.path.startswith(f"/cohorts/{cohort.pk}/history/")


def test_the_import_pages_organizations_choice_takes_a_mouse_click(page, axe, program_world):
    page.log_in(program_world.manager.email)
    page.open("/import/")
    radio = page.find("input[name=kind][value=organizations]")
    page.find(f"label[for='{radio.get_attribute('id')}']").click()
    assert radio.is_selected()
    radio.click()  # the box itself, too: nothing covers it
    assert radio.is_selected()
    axe("import page")


def test_an_administrators_new_pages_are_accessible(page, axe, program_world):
    w = program_world
    page.log_in(w.admin.email)
    organization = w.fellow_person.organization_id
    for label, path in (
        ("new program form", "/programs/new/"),
        ("organizations", "/organizations/?sort=kind"),
        ("new organization form", "/organizations/new/"),
        ("organization edit form", f"/organizations/{organization}/edit/"),
        ("organization merge form", f"/organizations/{organization}/merge/"),
    ):
        page.open(path)
        assert page.html_attributes() == HEBREW
        assert page.find("main h1").text.strip(), label
        axe(label)
