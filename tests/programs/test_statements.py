"""Hours statements and certificates as PDF (read back in Hebrew), the public check of a
certificate, and the exports of hours and attendance."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from movilim.programs.models import Certificate, EnrollmentStatus

from .. import factories

pytestmark = pytest.mark.usefixtures("module_world")


def _named(person, first: str, last: str) -> None:
    """Names without the factories' digits, which a PDF's text order mixes into Hebrew."""
    person.user.first_name, person.user.last_name = first, last
    person.user.save()


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def _graduate(world, hours: int = 200):
    world.enrollment.status = EnrollmentStatus.GRADUATED
    world.enrollment.save()
    session = factories.SessionFactory(
        cohort=world.cohort, title="שבוע סמינר בהרווארד", hours=Decimal(hours)
    )
    factories.AttendanceFactory(session=session, person=world.participant_person)
    return session


def test_a_participant_downloads_their_hours_statement_in_hebrew(world, client_for) -> None:
    _named(world.participant_person, "נועה", "כהן")
    _named(world.fellow_person, "דוד", "לוי")
    world.session.title = "יום פתיחה"
    world.session.save()
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    factories.AttendanceFactory(session=world.session, person=world.fellow_person)
    response = client_for("participant").get(
        reverse("programs:hours_statement", args=[world.enrollment.pk])
    )
    text = _pdf_text(response)
    assert "אישור שעות" in text
    assert world.participant_person.full_name in text
    assert world.session.title in text
    assert "נוכח" in text
    assert "200" in text and "8" in text
    assert world.fellow_person.full_name not in text


def test_staff_of_the_program_read_anyones_statement(world, client_for) -> None:
    _named(world.fellow_person, "דוד", "לוי")
    fellow = world.fellow_person.enrollments.get()
    response = client_for("coordinator").get(reverse("programs:hours_statement", args=[fellow.pk]))
    assert world.fellow_person.full_name in _pdf_text(response)


def test_a_graduate_who_reached_the_target_gets_a_certificate_that_the_public_can_check(
    world, client_for
) -> None:
    _named(world.participant_person, "נועה", "כהן")
    _graduate(world)
    client = client_for("participant")
    response = client.get(reverse("programs:certificate", args=[world.enrollment.pk]))
    certificate = Certificate.objects.get(enrollment=world.enrollment)
    text = _pdf_text(response)
    assert "תעודת סיום" in text
    assert world.participant_person.full_name in text
    assert certificate.code in text
    assert len(certificate.code) == 20 and certificate.code.isdigit()

    # Asked again: the same certificate, not a second one.
    client.get(reverse("programs:certificate", args=[world.enrollment.pk]))
    assert Certificate.objects.count() == 1

    page = Client().get(
        reverse("programs:certificate_verify"),
        {"code": f" {certificate.code[:10]} {certificate.code[10:]}"},
    )
    html = page.content.decode()
    assert "התעודה מקורית" in html
    assert world.participant_person.full_name in html and world.cohort.name_he in html
    assert world.participant.email not in html and world.participant_person.phone not in html

    wrong = Client().get(reverse("programs:certificate_verify"), {"code": "0" * 20})
    assert "אין תעודה עם קוד זה" in wrong.content.decode()
    assert "התעודה מקורית" not in wrong.content.decode()


def test_no_certificate_before_graduation_or_short_of_the_target(world, client_for) -> None:
    client = client_for("participant")
    url = reverse("programs:certificate", args=[world.enrollment.pk])
    response = client.get(url, follow=True)
    assert "תעודה ניתנת רק לבוגרי המחזור" in response.content.decode()
    _graduate(world, hours=100)
    response = client.get(url, follow=True)
    assert "תעודה ניתנת רק כשהשעות מגיעות ליעד של 200" in response.content.decode()
    assert not Certificate.objects.exists()


def test_hours_and_attendance_exports_are_for_staff_and_neutralize_formulas(
    world, client_for
) -> None:
    world.fellow_person.user.first_name = "=cmd|' /C calc'!A0"
    world.fellow_person.user.save()
    factories.AttendanceFactory(session=world.session, person=world.participant_person)
    factories.AttendanceFactory(session=world.session, person=world.fellow_person, status="absent")
    client = client_for("coordinator")

    response = client.get(reverse("programs:hours_export", args=[world.cohort.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:2] == ["שם פרטי", "שם משפחה"]
    by_email = {row[2]: row for row in rows[1:]}
    assert by_email[world.participant.email][4:7] == ["1", "8.0", "200"]
    assert by_email[world.fellow_person.user.email][0] == "'=cmd|' /C calc'!A0"

    response = client.get(reverse("programs:attendance_export", args=[world.cohort.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 2 and "נוכח/ת" in {row[4] for row in values}
    assert any(row[2] == "'=cmd|' /C calc'!A0" for row in values)

    assert (
        client_for("participant")
        .get(reverse("programs:hours_export", args=[world.cohort.pk, "csv"]))
        .status_code
        == 404
    )
