"""A participant in a real browser, in Hebrew: their dashboard, their hours statement, a notice
marked read; and the staff's dashboards. Every page on the way is checked with axe-core."""

from __future__ import annotations

from typing import Any

from movilim.notices.models import Notice
from movilim.notices.services import notice_send
from movilim.programs import reminders

from .. import factories

HEBREW = ("he", "rtl")

_FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"})
  .then((r) => r.arrayBuffer().then((b) => done({
      status: r.status, type: r.headers.get("Content-Type"),
      head: String.fromCharCode(...new Uint8Array(b.slice(0, 5))), size: b.byteLength})))
  .catch((e) => done({error: String(e)}));
"""


def test_participant_reads_their_dashboard_statement_and_notices(
    page: Any, axe: Any, program_world: Any
) -> None:
    w = program_world
    factories.AttendanceFactory(session=w.session, person=w.participant_person)
    notice_send(
        user=w.participant,
        kind=reminders.SESSION_UPCOMING,
        title="בקרוב: מפגש עתידי",
        body="ירושלים",
        link=f"/sessions/{w.session.pk}/",
        dedup_key="browser-test",
    )
    page.log_in(w.participant.email)

    # The dashboard, from the menu.
    page.click_and_wait(page.find("header a.nav-link[href='/my/']"))
    assert page.html_attributes() == HEBREW
    assert page.find("main h1").text.strip() == "הלוח שלי"
    history = page.find("#history-table tbody").text
    assert w.session.title in history
    assert w.fellow_person.full_name not in page.find("main").text
    axe("participant dashboard")
    page.screenshot("participant-dashboard-he")

    # The hours statement downloads as a PDF.
    link = page.find(f"main a[href='/enrollments/{w.enrollment.pk}/hours.pdf']")
    result = page.driver.execute_async_script(_FETCH, link.get_attribute("href"))
    assert result.get("status") == 200, result
    assert result["type"] == "application/pdf" and result["head"] == "%PDF-"

    # The notice, counted in the menu, then marked read.
    notices_link = page.find("header a.nav-link[href='/notices/']")
    assert "1" in notices_link.text
    page.click_and_wait(notices_link)
    assert "בקרוב: מפגש עתידי" in page.find("#notice-list").text
    axe("notices")
    page.click_and_wait(page.find("#notice-list form button[type=submit]"))
    assert Notice.objects.get(dedup_key="browser-test").read_at is not None
    assert not page.find_all("header a.nav-link[href='/notices/'] .badge")
    assert not page.find_all("#notice-list form")

    # The calendar page and the month grid.
    page.open("/calendar/")
    assert page.find("#feed-url").get_attribute("value").endswith(".ics")
    axe("calendar feed page")
    page.open("/schedule/month/?month=2026-02")
    assert w.session.title in page.find("table.month-grid").text
    axe("month view")


def test_staff_dashboards_are_accessible(page: Any, axe: Any, program_world: Any) -> None:
    w = program_world
    factories.AttendanceFactory(session=w.session, person=w.participant_person)
    factories.AttendanceFactory(session=w.session, person=w.fellow_person, status="absent")
    page.log_in(w.coordinator.email)
    for label, path in (
        ("cohort dashboard", f"/cohorts/{w.cohort.pk}/dashboard/"),
        ("program dashboard", f"/programs/{w.program.slug}/dashboard/"),
        ("steering aggregates", f"/programs/{w.program.slug}/steering/"),
    ):
        page.open(path)
        assert page.html_attributes() == HEBREW
        assert page.find("main h1").text.strip()
        axe(label)
        page.screenshot(label.replace(" ", "-") + "-he")
