"""Importing organizations and participants: all rows or none, every problem reported by row."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from movilim.core.models import User
from movilim.people.models import Organization, Person
from movilim.programs.models import Enrollment

from .. import factories


def csv_file(text: str, name: str = "people.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "people.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


ORGS_CSV = """שם,סוג,Name (English),אזור
משרד הבריאות,Government ministry – execution,Ministry of Health,
עיריית באר שבע,local_authority,Beer Sheva Municipality,דרום
"""

PEOPLE_CSV = (
    "E-mail,First name,Last name,Organization,Job title,Gender,Profile,Minority population\n"
    """Dana@Health.gov.il,דנה,לוי,משרד הבריאות,ראש אגף,female,policy,no
yosef@b7.muni.il,יוסף,אבו-ריא,עיריית באר שבע,מנמ"ר,male,technology,yes
"""
)


def _upload(client, kind: str, upload, cohort=None):
    data = {"kind": kind, "file": upload}
    if cohort is not None:
        data["cohort"] = cohort.pk
    return client.post(reverse("programs:import"), data)


@pytest.fixture
def coordinator(world, client_for):
    return client_for("coordinator")


def test_import_organizations_then_participants_into_a_cohort(world, coordinator) -> None:
    response = _upload(coordinator, "organizations", csv_file(ORGS_CSV))
    assert response.status_code == 200, response.context["report"]
    assert Organization.objects.get(name_he="משרד הבריאות").kind == "gov_execution"
    assert Organization.objects.get(name_he="עיריית באר שבע").region == "דרום"

    response = _upload(coordinator, "participants", csv_file(PEOPLE_CSV), cohort=world.cohort)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.updated) == (2, 0)
    dana = Person.objects.get(user__email="dana@health.gov.il")
    assert dana.gender == "female" and dana.minority is False
    yosef = Person.objects.get(user__email="yosef@b7.muni.il")
    assert yosef.minority is True and yosef.organization.name_he == "עיריית באר שבע"
    assert Enrollment.objects.filter(cohort=world.cohort, person__in=[dana, yosef]).count() == 2
    assert not dana.user.has_usable_password()


def test_reimporting_the_same_file_updates_instead_of_duplicating(world, coordinator) -> None:
    _upload(coordinator, "organizations", csv_file(ORGS_CSV))
    _upload(coordinator, "participants", csv_file(PEOPLE_CSV), cohort=world.cohort)
    users, people = User.objects.count(), Person.objects.count()
    changed = PEOPLE_CSV.replace("ראש אגף", 'סמנכ"לית')
    response = _upload(coordinator, "participants", csv_file(changed), cohort=world.cohort)
    report = response.context["report"]
    assert (report.created, report.updated) == (0, 2)
    assert (User.objects.count(), Person.objects.count()) == (users, people)
    assert Person.objects.get(user__email="dana@health.gov.il").job_title == 'סמנכ"לית'
    assert Enrollment.objects.filter(cohort=world.cohort).count() == 4


def test_one_bad_row_means_nothing_is_saved_and_every_problem_is_listed(world, coordinator) -> None:
    _upload(coordinator, "organizations", csv_file(ORGS_CSV))
    bad = (
        PEOPLE_CSV
        + "not-an-email,רון,כהן,משרד הבריאות,,,,\n"
        + "ron@gov.il,,כהן,משרד החלומות,,unicorn,,\n"
        + "dana@health.gov.il,דנה,לוי,,,,,\n"
    )
    users = User.objects.count()
    response = _upload(coordinator, "participants", csv_file(bad), cohort=world.cohort)
    assert response.status_code == 400
    report = response.context["report"]
    rows = sorted({e.row for e in report.errors})
    assert rows == [4, 5, 6]
    messages = " ".join(e.message for e in report.errors)
    assert "משרד החלומות" in messages  # unknown organization, named
    assert "unicorn" in messages  # bad choice, named
    assert User.objects.count() == users  # the two good rows were not saved either
    html = response.content.decode()
    assert '<td class="num">5</td>' in html


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (csv_file("", name="empty.csv"), "empty"),
        (csv_file("Name,Job\nx,y\n"), "E-mail"),
        (SimpleUploadedFile("people.pdf", b"%PDF-1.4"), ".csv"),
        (SimpleUploadedFile("people.xlsx", b"not a zip"), "xlsx"),
        (csv_file("E-mail,First name,Last name\n"), "no rows"),
    ],
)
def test_unusable_files_get_a_clear_message(world, coordinator, upload, fragment) -> None:
    from django.utils import translation

    coordinator.cookies["django_language"] = "en"
    response = _upload(coordinator, "participants", upload)
    assert response.status_code == 400
    with translation.override("en"):
        errors = " ".join(response.context["form"].errors["file"])
    assert fragment.lower() in errors.lower()
    assert errors in response.content.decode()


def test_xlsx_with_hebrew_headers_and_windows_hebrew_csv(world, coordinator) -> None:
    org = factories.OrganizationFactory(name_he="משרד החינוך")
    rows = [
        ['דוא"ל', "שם פרטי", "שם משפחה", "ארגון", "מגדר", "טלפון"],
        ["miri@edu.gov.il", "מירי", "שושן", "משרד החינוך", "אישה", 541234567],
    ]
    response = _upload(coordinator, "participants", xlsx_file(rows))
    assert response.status_code == 200, response.context["report"].errors
    miri = Person.objects.get(user__email="miri@edu.gov.il")
    assert miri.organization == org and miri.phone == "541234567"

    text = "E-mail,First name,Last name\nnoa@gov.il,נועה,ברק\n"
    response = _upload(coordinator, "participants", csv_file(text, encoding="cp1255"))
    assert response.status_code == 200
    assert Person.objects.get(user__email="noa@gov.il").user.first_name == "נועה"


def test_import_into_a_cohort_of_another_program_is_not_offered(world, coordinator) -> None:
    response = _upload(coordinator, "participants", csv_file(PEOPLE_CSV), cohort=world.other_cohort)
    assert response.status_code == 400
    assert "cohort" in response.context["form"].errors
    assert not Enrollment.objects.filter(
        cohort=world.other_cohort, person__user__email="dana@health.gov.il"
    ).exists()


def test_template_download_has_the_headers(world, coordinator) -> None:
    response = coordinator.get(reverse("programs:import_template", args=["organizations", "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.count(",") == 3
