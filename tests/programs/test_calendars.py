"""Calendar files of sessions, the month grid and the schedule as a spreadsheet. (The personal
feed, which holds the sessions, is tested in ``tests/notices/test_calendar_feed.py``.)"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from .. import factories

pytestmark = pytest.mark.usefixtures("module_world")


def _events(response) -> dict[str, object]:
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_a_session_file_reads_back_in_hebrew_in_jerusalem_time(world, client_for) -> None:
    session = world.session
    session.title = "יום עיון: שירות ממוקד אזרח"
    session.location = "ירושלים, בית הממשלה"
    session.starts_at, session.ends_at = dt.time(9), dt.time(16, 30)
    session.save()
    response = client_for("participant").get(reverse("programs:session_ics", args=[session.pk]))
    event = _events(response)[f"session-{session.pk}@movilim"]

    assert str(event["summary"]) == "יום עיון: שירות ממוקד אזרח"
    assert str(event["location"]) == "ירושלים, בית הממשלה"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.hour, end.hour, end.minute) == (9, 16, 30)
    assert str(start.tzinfo) == "Asia/Jerusalem"
    assert str(event["status"]) == "CONFIRMED"
    first_sequence = int(event["sequence"])

    # Cancelled later: the same UID, a higher sequence, and the calendar is told to drop it.
    session.cancelled_at = timezone.now() + dt.timedelta(seconds=2)
    session.cancel_reason = "שביתה"
    session.save()
    session.refresh_from_db()
    response = client_for("participant").get(reverse("programs:session_ics", args=[session.pk]))
    event = _events(response)[f"session-{session.pk}@movilim"]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) >= first_sequence
    assert b"METHOD:CANCEL" in response.content


def test_the_month_grid_is_a_table_with_day_headers(world, client_for) -> None:
    factories.SessionFactory(
        cohort=world.cohort,
        title="מפגש שבוטל",
        starts_on=dt.date(2026, 2, 10),
        cancelled_at=timezone.now(),
    )
    html = (
        client_for("participant")
        .get(reverse("programs:schedule_month") + "?month=2026-02")
        .content.decode()
    )
    assert html.count('<th scope="col"') == 7
    headers = html.split("<thead>")[1].split("</thead>")[0]
    assert headers.index("ראשון") < headers.index("שבת")  # the week starts on Sunday
    assert world.session.title in html and "מפגש שבוטל" in html
    assert "בוטל" in html.split("מפגש שבוטל")[1][:200]
    assert world.other_session.title not in html
    # An unreadable month is this month, not an error.
    assert (
        client_for("participant").get(reverse("programs:schedule_month") + "?month=x").status_code
        == 200
    )


def test_the_schedule_spreadsheet_neutralizes_formulas(world, client_for) -> None:
    factories.SessionFactory(cohort=world.cohort, title='=HYPERLINK("http://x","y")')
    response = client_for("participant").get(reverse("programs:schedule_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x","y")' in titles
    assert world.session.title in titles and world.other_session.title not in titles
    assert (
        client_for("participant").get(reverse("programs:schedule_export", args=["pdf"])).status_code
        == 404
    )
