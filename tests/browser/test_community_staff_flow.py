"""Program staff run the community from the app, in Hebrew: a coordinator creates an event, a
member registers, the coordinator looks at the registrants and cancels the event with a reason,
and the member sees it cancelled and has a notice; then a cluster is created, edited and
archived. Every new page is checked with axe-core."""

from __future__ import annotations

import datetime

from django.utils import timezone
from selenium.webdriver.support.ui import Select

from movilim.community.models import Cluster, Event, Registration
from movilim.community.notifications import EVENT_CANCELLED
from movilim.notices.models import Notice

from ..community import helpers

HEBREW = ("he", "rtl")


def fill(page, name: str, value: str) -> None:
    field = page.find(f"[name='{name}']")
    if field.get_attribute("type") in ("date", "time"):
        # The browser's own pickers take typed keys in the locale's order: set the value.
        page.driver.execute_script("arguments[0].value = arguments[1];", field, value)
    else:
        field.clear()
        field.send_keys(value)


def submit(page) -> None:
    page.click_and_wait(page.find("main form[method=post] button[type=submit]"))


def switch_user(page, email: str) -> None:
    page.driver.delete_all_cookies()
    page.log_in(email)


def test_staff_create_and_cancel_an_event_that_a_member_registered_for(page, axe, world):
    helpers.members(world)
    day = timezone.localdate() + datetime.timedelta(days=21)

    page.log_in(world.coordinator.email)
    page.open("/community/events/")
    page.click_and_wait(page.find("main a[href='/community/events/new/']"))
    assert page.html_attributes() == HEBREW
    axe("new event form")
    Select(page.find("[name='kind']")).select_by_value("meeting")
    fill(page, "title", "מפגש קהילה: שירות ממוקד אזרח")
    fill(page, "title_en", "Community meeting: citizen-centred service")
    fill(page, "starts_on", day.isoformat())
    fill(page, "starts_at", "17:00")
    fill(page, "ends_at", "19:00")
    fill(page, "location", "ירושלים, בית הממשלה")
    fill(page, "capacity", "30")
    submit(page)
    event = Event.objects.get(title="מפגש קהילה: שירות ממוקד אזרח")
    assert page.path == f"/community/events/{event.pk}/"
    axe("event page, as staff")

    switch_user(page, world.participant.email)
    page.open(f"/community/events/{event.pk}/")
    page.click_and_wait(page.find(f"form[action='/community/events/{event.pk}/register/'] button"))
    assert Registration.objects.get(event=event, person=world.participant_person).status == (
        "registered"
    )

    switch_user(page, world.coordinator.email)
    page.open(f"/community/events/{event.pk}/")
    page.click_and_wait(page.find(f"a[href='/community/events/{event.pk}/registrations/']"))
    assert world.participant_person.full_name in page.find("#h-registered + table").text
    axe("registrants and waiting list")
    page.open(f"/community/events/{event.pk}/edit/")
    axe("event edit form")
    page.open(f"/community/events/{event.pk}/")
    page.click_and_wait(page.find(f"a[href='/community/events/{event.pk}/cancellation/']"))
    axe("cancel the event")
    submit(page)  # no reason: refused, with the message beside the field
    assert page.find("main .invalid-feedback, main .errorlist").text
    axe("cancel the event, refused")
    fill(page, "reason", "המרצה חלה")
    submit(page)
    event.refresh_from_db()
    assert event.is_cancelled and event.cancel_reason == "המרצה חלה"

    switch_user(page, world.participant.email)
    page.open(f"/community/events/{event.pk}/")
    alert = page.find("main .alert-danger").text
    assert "המרצה חלה" in alert
    assert not page.find_all(f"form[action='/community/events/{event.pk}/register/']")
    axe("event page, cancelled, as a member")
    assert Notice.objects.filter(user=world.participant, kind=EVENT_CANCELLED).exists()
    page.open("/notices/")
    assert event.title in page.find("main").text


def test_staff_create_edit_and_archive_a_cluster(page, axe, world):
    helpers.members(world)
    page.log_in(world.manager.email)
    page.open("/community/clusters/")
    page.click_and_wait(page.find("main a[href='/community/clusters/new/']"))
    axe("new cluster form")
    fill(page, "name_he", "ממשל נתונים")
    fill(page, "name_en", "Data governance")
    fill(page, "coordinator_emails", world.fellow_person.user.email)
    submit(page)
    cluster = Cluster.objects.get(name_he="ממשל נתונים")
    assert page.path == f"/community/clusters/{cluster.pk}/"
    assert world.fellow_person.full_name in page.find("main").text

    page.click_and_wait(page.find(f"a[href='/community/clusters/{cluster.pk}/edit/']"))
    axe("cluster edit form")
    fill(page, "description", "מדיניות נתונים, ממשקים ושיתוף מאגרים")
    submit(page)
    cluster.refresh_from_db()
    assert cluster.description == "מדיניות נתונים, ממשקים ושיתוף מאגרים"

    page.click_and_wait(page.find(f"a[href='/community/clusters/{cluster.pk}/archive/']"))
    axe("archive the cluster")
    page.click_and_wait(page.find("main button[value=archive]"))
    cluster.refresh_from_db()
    assert cluster.is_archived
    page.open("/community/members/")
    options = [o.text for o in Select(page.find("[name='cluster']")).options]
    assert "ממשל נתונים" not in options
