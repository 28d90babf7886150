"""Sessions: English titles and times, date warnings, cancelling, deleting, the sign-in sheet."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from movilim.programs import queries, services
from movilim.programs.models import Attendance, Session
from movilim.programs.scheduling import session_warnings
from tests import factories

from . import manage_helpers as mh

pytestmark = pytest.mark.usefixtures("module_world")


def _form(**changes: str) -> dict[str, str]:
    return {
        "title": "יום עיון",
        "title_en": "Study day",
        "kind": "in_person",
        "starts_on": "2026-04-02",  # Pesach
        "ends_on": "",
        "starts_at": "09:00",
        "ends_at": "16:00",
        "hours": "6",
        "location": "ירושלים",
        "submission_token": mh.token(),
        **changes,
    }


def _warnings(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages if m.level_tag == "warning"]


def test_a_session_on_a_holiday_is_saved_with_a_warning_in_hebrew(world, client_for) -> None:
    client = client_for("coordinator")
    response = client.post(reverse("programs:session_create", args=[world.cohort.pk]), _form())
    assert response.status_code == 302
    session = Session.objects.get(title="יום עיון")
    assert (session.title_en, session.starts_at) == ("Study day", datetime.time(9))
    assert any("פסח" in w for w in _warnings(response)), _warnings(response)
    with translation.override("en"):
        assert session.display_title == "Study day"
        assert any("Pesach" in w for w in session_warnings(session))


def test_weekends_and_overlaps_are_warned_of(world) -> None:
    friday = factories.SessionFactory(
        cohort=world.cohort, starts_on=datetime.date(2026, 3, 6), title="שישי"
    )
    assert any("שישי" in w for w in session_warnings(friday))
    same_day = factories.SessionFactory(
        cohort=world.cohort, starts_on=world.session.starts_on, title="חופף"
    )
    assert any(world.session.title in w for w in session_warnings(same_day))
    # Different hours of the same day do not overlap.
    morning = factories.SessionFactory(
        cohort=world.cohort,
        starts_on=datetime.date(2026, 3, 10),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
    )
    evening = factories.SessionFactory(
        cohort=world.cohort,
        starts_on=datetime.date(2026, 3, 10),
        starts_at=datetime.time(17),
        ends_at=datetime.time(19),
    )
    assert session_warnings(morning) == session_warnings(evening) == []


def test_bad_session_times_are_refused(world, client_for) -> None:
    response = client_for("coordinator").post(
        reverse("programs:session_create", args=[world.cohort.pk]),
        _form(starts_at="16:00", ends_at="09:00"),
    )
    assert response.status_code == 400
    assert "שעת הסיום" in response.content.decode()
    assert not Session.objects.filter(title="יום עיון").exists()


def test_a_cancelled_session_is_kept_earns_no_hours_and_takes_no_attendance(
    world, client_for
) -> None:
    today = datetime.date(2026, 6, 1)
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    before = queries.hours_by_person([world.cohort.pk], today=today)
    assert before[(world.cohort.pk, world.participant_person.pk)]["hours"] == Decimal(8)
    client = client_for("coordinator")
    url = reverse("programs:session_cancel", args=[world.session.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400  # a reason is asked for
    response = client.post(url, {"reason": "א" * 301})
    assert response.status_code == 400 and "300" in response.content.decode()
    assert client.post(url, {"reason": "שביתה"}).status_code == 302
    world.session.refresh_from_db()
    assert world.session.is_cancelled and world.session.cancel_reason == "שביתה"
    assert queries.hours_by_person([world.cohort.pk], today=today) == {}
    assert queries.cohort_scheduled_hours(world.cohort) == 0
    summary = queries.cohort_attendance(world.cohort, today=today)
    assert (summary.member_hours, summary.scheduled_hours) == (0, 0)
    page = client.get(reverse("programs:session", args=[world.session.pk])).content.decode()
    assert "שביתה" in page
    sheet = client.post(
        reverse("programs:attendance", args=[world.session.pk]),
        {f"status_{world.participant_person.pk}": "present"},
    )
    assert sheet.status_code == 400
    # Restored, it counts again.
    client.post(url, {"restore": "1"})
    world.session.refresh_from_db()
    assert not world.session.is_cancelled
    assert queries.cohort_scheduled_hours(world.cohort) == Decimal(8)


def test_a_session_with_attendance_cannot_be_deleted(world, client_for) -> None:
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    client = client_for("coordinator")
    response = client.post(
        reverse("programs:session_delete", args=[world.session.pk]), {"confirm": "1"}
    )
    assert response.status_code == 400
    assert "ביטול" in response.content.decode() or "בטל" in response.content.decode()
    assert Session.objects.filter(pk=world.session.pk).exists()
    spare = mh.spare_session(world)
    url = reverse("programs:session_delete", args=[spare.pk])
    assert client.post(url, {}).status_code == 400  # not confirmed
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not Session.objects.filter(pk=spare.pk).exists()


def test_the_sign_in_sheet_lists_members_in_hebrew(world, client_for) -> None:
    org = factories.OrganizationFactory(name_he="משרד הבריאות")
    world.fellow_person.organization = org
    world.fellow_person.save()
    world.fellow_person.user.first_name, world.fellow_person.user.last_name = "נועה", "כהן"
    world.fellow_person.user.save()
    world.participant.first_name, world.participant.last_name = "דנה", "לוי"
    world.participant.save()
    response = client_for("coordinator").get(
        reverse("programs:signin_sheet", args=[world.session.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "נועה כהן" in text
    assert "משרד הבריאות" in text
    assert "חתימה" in text
    assert "דנה לוי" in text


def test_attendance_for_a_cancelled_session_is_refused_by_the_service(world) -> None:
    services.session_cancel(session=world.session, reason="x")
    try:
        services.attendance_record(
            session=world.session,
            marks={world.participant_person.pk: services.Mark("present")},
            by=None,
            today=datetime.date(2026, 6, 1),
        )
    except services.InvalidInput:
        pass
    else:
        raise AssertionError("attendance was recorded for a cancelled session")
    assert not Attendance.objects.filter(session=world.session).exists()
