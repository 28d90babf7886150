"""Organizations are shared by every program: importers add them, administrators change them."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movilim.people.models import Organization

from .. import factories

pytestmark = pytest.mark.usefixtures("module_world")


def _upload(client, text: str):
    upload = SimpleUploadedFile("orgs.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("programs:import"), {"kind": "organizations", "file": upload})


HEADER = "שם,סוג,Name (English),אזור\n"


@pytest.fixture
def health(world):
    return factories.OrganizationFactory(
        name_he="משרד הבריאות", name_en="Ministry of Health", kind="gov_hq", region=""
    )


def test_a_coordinator_cannot_change_an_existing_organization(world, client_for, health) -> None:
    text = HEADER + "עיריית אילת,local_authority,Eilat,דרום\nמשרד הבריאות,other,,מרכז\n"
    response = _upload(client_for("coordinator"), text)
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [error.row for error in errors] == [3]
    assert "משרד הבריאות" in errors[0].message
    health.refresh_from_db()
    assert (health.kind, health.region) == ("gov_hq", "")
    assert not Organization.objects.filter(name_he="עיריית אילת").exists()  # all rows or none


def test_a_coordinator_adds_organizations_and_may_repeat_existing_ones(
    world, client_for, health
) -> None:
    text = HEADER + "עיריית אילת,local_authority,Eilat,דרום\nמשרד הבריאות,gov_hq,,\n"
    response = _upload(client_for("coordinator"), text)
    assert response.status_code == 200, response.context["report"].errors
    eilat = Organization.objects.get(name_he="עיריית אילת")
    assert (eilat.kind, eilat.region, eilat.name_en) == ("local_authority", "דרום", "Eilat")
    entry = LogEntry.objects.get_for_object(eilat).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == world.coordinator


def test_an_administrator_changes_an_existing_organization(world, client_for, health) -> None:
    response = _upload(client_for("admin"), HEADER + "משרד הבריאות,gov_execution,,מרכז\n")
    assert response.status_code == 200, response.context["report"].errors
    health.refresh_from_db()
    assert (health.kind, health.region, health.name_en) == (
        "gov_execution",
        "מרכז",
        "Ministry of Health",
    )
    entry = LogEntry.objects.get_for_object(health).filter(actor=world.admin).get()
    assert entry.changes == {"kind": ["gov_hq", "gov_execution"], "region": ["", "מרכז"]}
