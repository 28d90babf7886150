"""Scheduling sessions: one record per submission, clear errors for bad input."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from movilim.programs.models import Session

pytestmark = pytest.mark.usefixtures("module_world")


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "יום עיון: שירות ממוקד אזרח",
        "kind": "in_person",
        "starts_on": "2026-12-06",
        "ends_on": "",
        "hours": "7.5",
        "location": "ירושלים",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_double_submitted_form_stores_one_session(world, client_for) -> None:
    url = reverse("programs:session_create", args=[world.cohort.pk])
    client = client_for("coordinator")
    data = _form()
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Session.objects.filter(title=data["title"]).count() == 1
    # A new form (new token) is a new session.
    client.post(url, _form())
    assert Session.objects.filter(title=data["title"]).count() == 2


def test_session_form_errors_are_reported_and_nothing_saved(world, client_for) -> None:
    url = reverse("programs:session_create", args=[world.cohort.pk])
    before = Session.objects.count()
    response = client_for("coordinator").post(
        url, _form(starts_on="2026-12-06", ends_on="2026-12-01", hours="-3")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "ends_on" in errors and "hours" in errors
    assert Session.objects.count() == before
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_ends_on_error"' in html


def test_form_without_its_token_is_refused(world, client_for) -> None:
    data = _form()
    del data["submission_token"]
    response = client_for("coordinator").post(
        reverse("programs:session_create", args=[world.cohort.pk]), data
    )
    assert response.status_code == 400
    assert not Session.objects.filter(title=data["title"]).exists()


def test_editing_a_session_saves_the_changes(world, client_for) -> None:
    url = reverse("programs:session_edit", args=[world.session.pk])
    response = client_for("coordinator").post(url, _form(title="כותרת חדשה", hours="6"))
    assert response.status_code == 302
    world.session.refresh_from_db()
    assert world.session.title == "כותרת חדשה"
    assert str(world.session.hours) == "6.0"


def test_schedule_lists_sessions_and_rejects_bad_filters_gently(world, client_for) -> None:
    client = client_for("participant")
    html = client.get(reverse("programs:schedule") + "?period=all").content.decode()
    assert world.session.title in html
    assert world.other_session.title not in html  # another program's session
    response = client.get(reverse("programs:schedule") + "?period=someday&cohort=abc&page=-4")
    assert response.status_code == 200


def test_unknown_objects_and_bad_addresses_are_404s(world, client_for) -> None:
    client = client_for("admin")
    for url in (
        "/cohorts/999999/",
        "/cohorts/abc/",
        "/sessions/999999/attendance/",
        "/programs/no-such-program/",
        f"/cohorts/{world.cohort.pk}/participants.pdf",
        "/import/template/unicorns.csv",
        "/people/0/",
    ):
        assert client.get(url).status_code == 404, url
