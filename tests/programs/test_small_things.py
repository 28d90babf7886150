"""Small faults seen while running a cohort, each pinned by a test."""

from __future__ import annotations

import datetime
import io

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from movilim.programs.models import Enrollment
from tests import factories

from .test_import import ORGS_CSV, PEOPLE_CSV, _upload, csv_file


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_reimporting_an_unchanged_file_reports_it_unchanged(world, client_for) -> None:
    client = client_for("coordinator")
    _upload(client, "organizations", csv_file(ORGS_CSV))
    _upload(client, "participants", csv_file(PEOPLE_CSV), cohort=world.cohort)
    response = _upload(client, "participants", csv_file(PEOPLE_CSV), cohort=world.cohort)
    report = response.context["report"]
    assert (report.created, report.updated, report.rows) == (0, 0, 2)
    again = _upload(client, "organizations", csv_file(ORGS_CSV)).context["report"]
    assert (again.created, again.updated) == (0, 0)


def test_a_formula_without_a_saved_value_is_named_as_a_formula(world, client_for) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "First name", "Last name"])
    sheet.append(['=LOWER("A@B.C")', "דנה", "לוי"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("people.xlsx", buffer.getvalue())
    response = _upload(client_for("coordinator"), "participants", upload)
    page = response.content.decode()
    assert response.status_code == 400
    assert "נוסחה" in page and "A2" in page
    assert "LOWER" in page


def test_the_home_page_labels_members_against_the_target(world, client_for) -> None:
    page = client_for("coordinator").get("/").content.decode()
    assert "משתתפים / יעד" in page
    assert "2 מתוך 40" in page


def test_future_sessions_read_upcoming_not_unrecorded(world, client_for) -> None:
    factories.SessionFactory(cohort=world.cohort, starts_on=datetime.date(2099, 1, 1))
    world.cohort.end_date = datetime.date(2099, 12, 31)
    world.cohort.save()
    page = (
        client_for("evaluator")
        .get(reverse("programs:cohort_attendance", args=[world.cohort.pk]))
        .content.decode()
    )
    assert page.count("קרובים") == 1  # "upcoming", the future session
    # The past session without attendance still reads "not recorded yet".
    assert page.count("טרם נרשמה") == 1


def test_a_too_long_note_gets_its_own_message(world, client_for) -> None:
    response = client_for("coordinator").post(
        reverse("programs:enrollment_status", args=[world.enrollment.pk]),
        {"status": "withdrew", "note": "א" * 301},
    )
    (message,) = _messages(response)
    assert "300" in message
    assert "מהסטטוסים" not in message
    world.enrollment.refresh_from_db()
    assert world.enrollment.status == "active"


def test_the_inline_status_form_has_a_way_back(world, client_for) -> None:
    response = client_for("coordinator").get(
        reverse("programs:enrollment_status", args=[world.enrollment.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert (
        f'href="{reverse("programs:cohort", args=[world.cohort.pk])}#participants-heading"' in page
    )
    assert "ביטול" in page


def test_the_person_page_keeps_contact_details_beside_their_labels(world, client_for) -> None:
    page = (
        client_for("coordinator")
        .get(reverse("programs:person", args=[world.fellow_person.pk]))
        .content.decode()
    )
    # A left-to-right column would get the browser's left margin and wrap under its label:
    # only the address itself is left to right.
    assert '<dd class="col-sm-9" dir="ltr">' not in page
    assert f'dir="ltr">{world.fellow_person.user.email}</a>' in page


def test_the_admin_names_third_party_apps_in_hebrew(world, client_for) -> None:
    page = client_for("admin").get(reverse("admin:index")).content.decode()
    for hebrew in ("ניסיונות כניסה", "יומן ביקורת", "משימות רקע", "ניסיונות גישה"):
        assert hebrew in page, hebrew
    for english in ("Axes", "Tasks Database Backend", "Audit log"):
        assert english not in page, english


def test_session_titles_show_in_english_on_english_pages(world, client_for) -> None:
    world.session.title_en = "Opening day"
    world.session.save()
    client = client_for("coordinator")
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(
            reverse("programs:schedule"), {"period": "all"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "Opening day" in page


def test_a_withdrawal_from_the_roster_fills_from_the_waitlist(world, client_for) -> None:
    waiting = factories.EnrollmentFactory(cohort=world.cohort, status="waitlisted")
    world.cohort.target_size = 2
    world.cohort.save()
    client_for("coordinator").post(
        reverse("programs:enrollment_status", args=[world.enrollment.pk]),
        {"status": "withdrew", "note": ""},
    )
    assert Enrollment.objects.get(pk=waiting.pk).status == "active"
