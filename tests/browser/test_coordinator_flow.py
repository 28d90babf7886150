"""A coordinator's work in a real browser: log in, look at a cohort, take a session's attendance.

Each page on the way is also checked with axe-core against WCAG 2.1 A/AA, in Hebrew (right to
left) and in English (left to right).
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import translation
from django.utils.translation import gettext
from selenium.webdriver.common.by import By

from movilim.programs import services
from movilim.programs.models import Attendance

HEBREW = ("he", "rtl")
ENGLISH = ("en", "ltr")


def saved_message(created: int, updated: int, unchanged: int) -> str:
    """The confirmation the attendance page gives, in Hebrew, whatever its translation."""
    with translation.override("he"):
        return gettext(
            "Attendance saved: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
        ) % {"created": created, "updated": updated, "unchanged": unchanged}


def choose_status(page: Any, person_id: int, status: str) -> None:
    """Pick a status the way a person does: the radios are drawn as buttons, so click the label."""
    radio = page.find(f"input[type=radio][name=status_{person_id}][value={status}]")
    page.find(f"label[for={radio.get_attribute('id')}]").click()
    assert radio.is_selected()


def chosen_status(page: Any, person_id: int) -> str | None:
    checked = page.find_all(f"input[type=radio][name=status_{person_id}]:checked")
    assert len(checked) <= 1
    return checked[0].get_attribute("value") if checked else None


def recorded(session: Any) -> dict[int, tuple[str, Decimal | None]]:
    return {
        a.person_id: (a.status, a.partial_hours) for a in Attendance.objects.filter(session=session)
    }


def slowed_down(function: Any, seconds: float = 0.8) -> Any:
    """The function, taking its time: a slow server, so a second click lands while it works."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return function(*args, **kwargs)

    return slow


def success_messages(page: Any) -> list[str]:
    return [alert.text for alert in page.find_all(".messages .alert-success")]


def test_coordinator_takes_a_sessions_attendance(page, axe, program_world):
    w = program_world
    absent_id, partial_id = w.participant_person.pk, w.fellow_person.pk
    sheet = f"/sessions/{w.session.pk}/attendance/"

    page.log_in(w.coordinator.email)
    assert page.find("main h1").text.strip()
    assert page.find_all("header form button[name=language]"), "no language button in the header"
    take_attendance = f"section[aria-labelledby=todo] a[href='{sheet}']"
    assert page.find_all(take_attendance), "the past session is not listed as needing attendance"

    # The cohort page, in Hebrew, reached from the home page.
    cohort_link = f"section[aria-labelledby=current-cohorts] a[href='/cohorts/{w.cohort.pk}/']"
    page.click_and_wait(page.find(cohort_link))
    assert page.html_attributes() == HEBREW
    names = [th.text for th in page.find_all("#participants-table tbody th[scope=row]")]
    assert sorted(names) == sorted([w.participant_person.full_name, w.fellow_person.full_name])
    assert page.find_all("#composition-table tbody tr")
    chart = page.find("figure.chart svg[role=img]")
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.chart-bar")) == 3  # one per target
    axe("cohort page")
    page.screenshot("cohort-he")

    # The attendance sheet, from the home page's to-do list: everyone present, then one absent
    # and one partly present.
    page.click_and_wait(page.find("header .navbar-brand"))
    page.click_and_wait(page.find(take_attendance))
    assert page.path == sheet
    assert page.html_attributes() == HEBREW
    assert chosen_status(page, absent_id) is None
    axe("attendance sheet")
    page.find("button[data-mark-all=present]").click()
    assert chosen_status(page, absent_id) == chosen_status(page, partial_id) == "present"
    choose_status(page, absent_id, "absent")
    choose_status(page, partial_id, "partial")
    page.find(f"input[name=hours_{partial_id}]").send_keys("3.5")
    page.screenshot("attendance-he")
    page.click_and_wait(page.find("main form button[type=submit]"))

    assert page.path == f"/sessions/{w.session.pk}/"
    assert success_messages(page) == [saved_message(2, 0, 0)]
    assert recorded(w.session) == {
        absent_id: ("absent", None),
        partial_id: ("partial", Decimal("3.5")),
    }
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {w.coordinator.pk}
    page.open("/")
    assert not page.find_all(take_attendance), "the session still shows as needing attendance"

    # Opened again, the sheet shows what was saved.
    page.open(sheet)
    assert chosen_status(page, absent_id) == "absent"
    assert chosen_status(page, partial_id) == "partial"
    assert page.find(f"input[name=hours_{partial_id}]").get_attribute("value") == "3.5"
    assert page.find(f"input[name=hours_{absent_id}]").get_attribute("value") == ""

    # A second click while the server is still saving sends nothing more.
    choose_status(page, absent_id, "excused")
    record_slowly = slowed_down(services.attendance_record)
    with mock.patch.object(services, "attendance_record", side_effect=record_slowly) as record:
        page.expect_new_page()
        page.driver.execute_script(
            "const save = arguments[0]; save.click(); setTimeout(() => save.click(), 300);",
            page.find("main form button[type=submit]"),
        )
        page.wait_for_new_page()
    assert record.call_count == 1
    assert success_messages(page) == [saved_message(0, 1, 1)]
    assert recorded(w.session) == {
        absent_id: ("excused", None),
        partial_id: ("partial", Decimal("3.5")),
    }

    # Going back and sending the same sheet again changes nothing and adds no rows.
    page.expect_new_page()
    page.driver.back()
    page.wait_for_new_page()
    assert page.path == sheet
    page.click_and_wait(page.find("main form button[type=submit]"))
    assert success_messages(page) == [saved_message(0, 0, 2)]
    assert Attendance.objects.count() == 2
    assert recorded(w.session) == {
        absent_id: ("excused", None),
        partial_id: ("partial", Decimal("3.5")),
    }


def test_a_partial_mark_without_hours_is_sent_back(page, axe, program_world):
    w = program_world
    page.log_in(w.coordinator.email)
    page.open(f"/sessions/{w.session.pk}/attendance/")
    page.find("button[data-mark-all=present]").click()
    choose_status(page, w.fellow_person.pk, "partial")
    page.click_and_wait(page.find("main form button[type=submit]"))

    assert page.path == f"/sessions/{w.session.pk}/attendance/"
    assert page.find_all("main .alert-danger[role=alert]")
    hours = page.find(f"input[name=hours_{w.fellow_person.pk}]")
    assert hours.get_attribute("aria-invalid") == "true"
    assert page.find(f"#{hours.get_attribute('aria-describedby')}").text.strip()
    assert chosen_status(page, w.participant_person.pk) == "present"
    assert chosen_status(page, w.fellow_person.pk) == "partial"
    assert not Attendance.objects.exists()
    axe("attendance sheet with errors")


@pytest.mark.parametrize(
    ("label", "path"),
    [
        ("landing page", "/"),
        ("login page", "/accounts/login/"),
    ],
)
def test_anonymous_pages_are_accessible(page, axe, program_world, label, path):
    page.open(path)
    assert page.html_attributes() == HEBREW
    assert page.find("main h1").text.strip()
    axe(label)


def test_failed_login_is_accessible(page, axe, program_world):
    page.open("/accounts/login/")
    page.find("input[name=username]").send_keys(program_world.coordinator.email)
    page.find("input[name=password]").send_keys("not-the-password")
    page.click_and_wait(page.find("main form button[type=submit]"))
    assert page.path.startswith("/accounts/login/")
    assert page.find("main .alert-danger[role=alert]").text.strip()
    axe("login page with an error")


@pytest.mark.parametrize(
    ("label", "path"),
    [
        ("home page", "/"),
        ("schedule", "/schedule/"),
        ("whole schedule", "/schedule/?period=all"),
        ("attendance summary", "/cohorts/{cohort}/attendance/"),
        ("session page", "/sessions/{session}/"),
        ("program list", "/programs/"),
        ("people list", "/people/"),
        ("person page", "/people/{person}/"),
        ("new session form", "/cohorts/{cohort}/sessions/new/"),
        ("import page", "/import/"),
    ],
)
def test_coordinator_pages_are_accessible_in_hebrew(page, axe, program_world, label, path):
    w = program_world
    page.log_in(w.coordinator.email)
    page.open(path.format(cohort=w.cohort.pk, session=w.session.pk, person=w.fellow_person.pk))
    assert page.html_attributes() == HEBREW
    assert page.find("main h1").text.strip()
    axe(label)


def test_language_button_switches_to_english_and_back(page, axe, program_world):
    w = program_world
    cohort_page = f"/cohorts/{w.cohort.pk}/"
    page.log_in(w.coordinator.email)
    page.open(cohort_page)
    assert page.html_attributes() == HEBREW
    assert "bootstrap.rtl" in page.find("link[rel=stylesheet]").get_attribute("href")

    english = page.find("header button[name=language][value=en]")
    assert english.get_attribute("lang") == "en"
    page.switch_language("en")
    assert page.path == cohort_page
    assert page.html_attributes() == ENGLISH
    assert "bootstrap.rtl" not in page.find("link[rel=stylesheet]").get_attribute("href")
    assert page.find("#participants-table")
    assert page.find("figure.chart svg")
    axe("cohort page in English")
    page.screenshot("cohort-en")

    # The choice is remembered on the next page.
    page.open(f"/sessions/{w.session.pk}/attendance/")
    assert page.html_attributes() == ENGLISH
    axe("attendance sheet in English")
    page.screenshot("attendance-en")
    page.open(f"/cohorts/{w.cohort.pk}/attendance/")
    assert page.html_attributes() == ENGLISH
    axe("attendance summary in English")

    hebrew = page.find("header button[name=language][value=he]")
    assert hebrew.get_attribute("lang") == "he"
    page.switch_language("he")
    assert page.html_attributes() == HEBREW
    page.open("/")
    assert page.html_attributes() == HEBREW


def box(element: Any) -> tuple[float, float]:
    """An element's left and right edges on screen."""
    rect = element.rect
    return rect["x"], rect["x"] + rect["width"]


@pytest.mark.parametrize("language", ["he", "en"])
def test_layout_follows_the_reading_direction(page, program_world, language):
    """Hebrew reads from the right: chart labels right of their bars, bars growing leftwards,
    the brand, the first breadcrumb and the first column on the right. English is the mirror."""
    w = program_world
    page.log_in(w.coordinator.email)
    if language == "en":
        page.switch_language("en")
    page.open(f"/cohorts/{w.cohort.pk}/")
    rtl = page.html_attributes()[1] == "rtl"
    assert rtl == (language == "he")

    rows = page.find_all("figure.chart svg g")
    assert len(rows) == 3
    for row in rows:
        label_left, label_right = box(row.find_element(By.CSS_SELECTOR, ".chart-label"))
        bar_left, bar_right = box(row.find_element(By.CSS_SELECTOR, ".chart-bar"))
        value_left, value_right = box(row.find_element(By.CSS_SELECTOR, ".chart-value"))
        if rtl:  # label | bar growing leftwards | value, read from the right
            assert label_left >= bar_right - 1 and bar_left >= value_right - 1
        else:
            assert label_right <= bar_left + 1 and bar_right <= value_left + 1

    # The key: items in reading order, each swatch before its words.
    keys = page.find_all("figure.chart figcaption .chart-key-item")
    assert len(keys) == 3
    assert (box(keys[0])[0] > box(keys[1])[0] > box(keys[2])[0]) == rtl
    for key in keys:
        swatch_left, swatch_right = box(key.find_element(By.CSS_SELECTOR, ".chart-key"))
        key_left, key_right = box(key)
        if rtl:
            assert abs(swatch_right - key_right) <= 1
        else:
            assert abs(swatch_left - key_left) <= 1

    brand_left, _ = box(page.find(".navbar-brand"))
    nav_left, _ = box(page.find("#main-nav .navbar-nav"))
    assert (brand_left > nav_left) == rtl

    crumbs = page.find_all(".breadcrumb-item")
    assert len(crumbs) >= 2
    first_left, last_left = box(crumbs[0])[0], box(crumbs[-1])[0]
    assert (first_left > last_left) == rtl

    headers = page.find_all("#participants-table thead th")
    assert (box(headers[0])[0] > box(headers[1])[0]) == rtl


def test_an_invitation_from_the_roster_lets_the_person_in(page, axe, program_world):
    """The coordinator presses "Invite" in the cohort's roster; the mail's link opens a page
    where the person chooses a password and arrives signed in; the roster then says so."""
    import re

    from django.core import mail

    from movilim.people.services import person_upsert
    from movilim.programs.models import Enrollment

    w = program_world
    person, _created = person_upsert(
        email="newcomer@example.org", first_name="נגה", last_name="חדשה"
    )
    Enrollment.objects.create(cohort=w.cohort, person=person, status="active")
    mail.outbox.clear()
    page.log_in(w.coordinator.email)
    page.open(f"/cohorts/{w.cohort.pk}/")
    button = page.find(f"button[formaction='/people/{person.pk}/invite/']")
    page.click_and_wait(button)
    assert page.path == f"/cohorts/{w.cohort.pk}/"
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"]]
    axe("cohort page after an invitation")

    link = re.search(r"https?://\S+(/accounts/invitation/\S+/)", mail.outbox[0].body).group(1)
    page.driver.delete_all_cookies()
    page.open(link)
    axe("invitation page")
    page.find("input[name=new_password1]").send_keys("a-long-garden-path-2026")
    page.find("input[name=new_password2]").send_keys("a-long-garden-path-2026")
    page.click_and_wait(page.find("main form button[type=submit]"))
    assert page.path == "/"
    assert "נגה" in page.find("main h1").text
    person.user.refresh_from_db()
    assert person.user.check_password("a-long-garden-path-2026")
