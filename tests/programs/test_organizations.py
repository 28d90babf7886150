"""Organizations in the app: listed and added by program staff, changed and merged by site
administrators."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.people.models import Organization, Person
from tests import factories

from . import manage_helpers as mh

pytestmark = pytest.mark.usefixtures("module_world")


def test_merging_a_duplicate_moves_its_people_and_is_audited(world, client_for) -> None:
    keep = factories.OrganizationFactory(name_he="משרד הבריאות")
    duplicate = factories.OrganizationFactory(name_he="משרד הבריאות ")
    people = [factories.PersonFactory(organization=duplicate) for _ in range(3)]
    response = client_for("admin").post(
        reverse("programs:organization_merge", args=[duplicate.pk]),
        {"into": keep.pk, "submission_token": mh.token()},
    )
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=duplicate.pk).exists()
    assert set(Person.objects.filter(organization=keep)) == set(people)
    entries = LogEntry.objects.filter(
        content_type__model="person",
        object_id__in=[p.pk for p in people],
        action=LogEntry.Action.UPDATE,
    )
    assert entries.count() == 3
    assert all(e.actor == world.admin for e in entries)
    assert LogEntry.objects.filter(
        content_type__model="organization", object_id=duplicate.pk, action=LogEntry.Action.DELETE
    ).exists()


def test_merging_into_itself_is_refused(world, client_for) -> None:
    org = world.fellow_person.organization
    response = client_for("admin").post(
        reverse("programs:organization_merge", args=[org.pk]),
        {"into": org.pk, "submission_token": mh.token()},
    )
    assert response.status_code == 400
    assert Organization.objects.filter(pk=org.pk).exists()


def test_staff_add_but_only_administrators_change(world, client_for) -> None:
    coordinator = client_for("coordinator")
    org = world.fellow_person.organization
    assert coordinator.get(reverse("programs:organization_edit", args=[org.pk])).status_code == 403
    response = coordinator.post(
        reverse("programs:organization_edit", args=[org.pk]),
        {**mh.organization_form(world), "name_he": "שם אחר"},
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name_he != "שם אחר"
    page = coordinator.get(reverse("programs:organizations")).content.decode()
    assert reverse("programs:organization_edit", args=[org.pk]) not in page
    # A name taken already is explained, in Hebrew, and nothing is added.
    response = coordinator.post(
        reverse("programs:organization_add"),
        {**mh.organization_form(world), "name_he": org.name_he},
    )
    assert response.status_code == 400
    assert "כבר" in response.content.decode()
    assert Organization.objects.filter(name_he=org.name_he).count() == 1
    response = coordinator.post(
        reverse("programs:organization_add"), {**mh.organization_form(world), "kind": "planet"}
    )
    assert response.status_code == 400


def test_the_list_searches_filters_sorts_and_totals_in_constant_queries(world, client_for) -> None:
    client = client_for("manager")
    url = reverse("programs:organizations")
    factories.OrganizationFactory(name_he="עיריית חיפה", kind="local_authority")
    factories.OrganizationFactory(name_he="עיריית אילת", kind="local_authority")
    page = client.get(url, {"q": "עיריית", "sort": "name"}).content.decode()
    assert page.index("עיריית אילת") < page.index("עיריית חיפה")
    assert "(2)" in page
    page = client.get(url, {"kind": "local_authority", "sort": "-created"}).content.decode()
    assert page.index("עיריית אילת") < page.index("עיריית חיפה")

    def queries(n_extra: int) -> int:
        for _ in range(n_extra):
            factories.PersonFactory()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"sort": "kind"}).status_code == 200
        return len(captured)

    assert queries(0) == queries(30)
