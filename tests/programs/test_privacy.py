"""Gender, minority and contact details: staff and the person only, in pages and exports."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

PHONE = "052-7654321"


pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def fellow(world):
    person = world.fellow_person
    person.phone = PHONE
    person.minority = True
    person.save()
    return person


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("coordinator", True),
        ("manager", True),
        ("admin", True),
        ("participant", False),
        ("evaluator", False),
    ],
)
def test_profile_shows_sensitive_fields_only_to_staff(
    world, client_for, fellow, role, sees
) -> None:
    response = client_for(role).get(reverse("programs:person", args=[fellow.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert fellow.full_name in html
    assert (PHONE in html) is sees
    assert (fellow.email in html) is sees


def test_a_person_sees_their_own_sensitive_fields(world, client_for) -> None:
    own = world.participant_person
    html = client_for("participant").get(reverse("programs:person", args=[own.pk])).content.decode()
    assert own.email in html and own.phone in html


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_export_has_contact_columns_only_for_staff(world, client_for, fellow) -> None:
    url = reverse("programs:cohort_export", args=[world.cohort.pk, "csv"])
    staff_rows = _csv_rows(client_for("coordinator").get(url))
    member_rows = _csv_rows(client_for("participant").get(url))
    assert len(staff_rows[0]) == 11 and len(member_rows[0]) == 7
    assert any(PHONE in row for row in staff_rows)
    assert not any(PHONE in cell for row in member_rows for cell in row)
    assert not any(fellow.email in cell for row in member_rows for cell in row)


def test_xlsx_export_is_a_real_workbook_and_right_to_left_in_hebrew(
    world, client_for, fellow
) -> None:
    response = client_for("coordinator").get(
        reverse("programs:cohort_export", args=[world.cohort.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.sheet_view.rightToLeft
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert PHONE in values


def test_staff_opening_a_profile_is_logged(world, client_for, fellow) -> None:
    client_for("coordinator").get(reverse("programs:person", args=[fellow.pk]))
    client_for("participant").get(reverse("programs:person", args=[world.participant_person.pk]))
    seen = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert [(e.actor, e.object_pk) for e in seen] == [(world.coordinator, str(fellow.pk))]


def test_only_editors_may_change_a_profile_and_changes_are_audited(
    world, client_for, fellow
) -> None:
    url = reverse("programs:person_edit", args=[fellow.pk])
    data = {
        "first_name": "נגה",
        "last_name": "שחר",
        "organization": fellow.organization_id,
        "job_title": "מנהלת תחום",
        "profile_type": "both",
        "gender": "female",
        "minority": "",
        "phone": "",
        "expertise": "נתונים, רכש",
        "bio": "",
    }
    assert client_for("participant").post(url, data).status_code == 404
    assert client_for("coordinator").post(url, data).status_code == 302
    fellow.refresh_from_db()
    assert fellow.user.first_name == "נגה" and fellow.minority is None
    assert fellow.expertise_list == ["נתונים", "רכש"]
    updates = LogEntry.objects.get_for_object(fellow).filter(action=LogEntry.Action.UPDATE)
    entry = updates.order_by("-timestamp", "-pk").first()
    assert entry.actor == world.coordinator
    assert "job_title" in entry.changes_dict
