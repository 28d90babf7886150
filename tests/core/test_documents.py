"""The shared output helpers: disclosure control, calendar files and PDF documents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.template import engines
from django.utils import translation
from icalendar import Calendar
from pypdf import PdfReader

from movilim.core import disclosure
from movilim.core.calendars import CalendarEntry, calendar_bytes
from movilim.core.pdf import _static_file, html_to_pdf


def test_a_small_part_is_hidden_with_its_complement() -> None:
    # Two men among 30: hiding "2" alone would leave 30 − 28 = 2 readable.
    hidden = disclosure.suppress_counts({"female": 28, "male": 2, "other": 0}, 10)
    assert hidden == {"female": None, "male": None, "other": 0}
    # With two small parts, each hides the other: nothing more goes.
    assert disclosure.hidden_parts({"a": 3, "b": 4, "c": 40}, 10) == {"a", "b"}
    # No total shown: only the small part goes.
    assert disclosure.hidden_parts({"a": 3, "c": 40}, 10, total_shown=False) == {"a"}


def test_thresholds_come_from_the_settings_per_audience() -> None:
    assert disclosure.min_group("steering") == 10
    assert disclosure.min_group(disclosure.Audience.STAFF) == 5
    assert disclosure.share(3, 8, disclosure.min_group("staff")) == 37.5
    assert disclosure.share(3, 8, disclosure.min_group("steering")) is None
    assert disclosure.share(3, 8, disclosure.min_group("evaluator")) == 37.5


def test_a_calendar_reads_back_with_times_in_jerusalem() -> None:
    ics = calendar_bytes(
        [
            CalendarEntry(
                "session-1@movilim",
                "יום עיון: שירות ממוקד אזרח",
                dt.date(2026, 3, 6),
                starts_at=dt.time(9),
                ends_at=dt.time(16, 30),
                location="ירושלים",
            ),
            CalendarEntry("session-2@movilim", "מפגש מקוון", dt.date(2026, 3, 9), cancelled=True),
        ],
        name="מובילים",
    )
    events = {e["uid"]: e for e in Calendar.from_ical(ics).walk("VEVENT")}
    first = events["session-1@movilim"]
    assert str(first["summary"]) == "יום עיון: שירות ממוקד אזרח"
    assert str(first["location"]) == "ירושלים"
    start = first.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (9, "Asia/Jerusalem")
    assert str(events["session-2@movilim"]["status"]) == "CANCELLED"
    assert events["session-2@movilim"].decoded("dtstart") == dt.date(2026, 3, 9)


def test_a_pdf_carries_hebrew_text_in_the_installed_font() -> None:
    template = engines["django"].from_string(
        '{% extends "core/pdf/base.html" %}'
        "{% block content %}<h1>אישור השתתפות</h1><p>{{ name }}</p>{% endblock %}"
    )
    with translation.override("he"):
        pdf = html_to_pdf(template.render({"name": "נועה כהן"}))
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "אישור השתתפות" in text and "נועה כהן" in text
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("Heebo" in font for font in fonts), fonts


def test_documents_never_fetch_from_the_network() -> None:
    with pytest.raises(ValueError, match="static"):
        _static_file("https://example.org/tracker.png")
