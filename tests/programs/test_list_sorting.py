"""Rosters and lists: sorted by a column, searched and filtered, with totals; the query count
does not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.programs import queries
from movilim.programs.models import MEMBER_STATUSES
from tests import factories

pytestmark = pytest.mark.usefixtures("module_world")


def _names(world, *pairs: tuple[str, str, str]) -> None:
    for first, last, job in pairs:
        person = factories.PersonFactory(
            user__first_name=first, user__last_name=last, job_title=job
        )
        factories.EnrollmentFactory(cohort=world.cohort, person=person)


def _order(page: str, *names: str) -> list[str]:
    return sorted(names, key=page.index)


def test_the_roster_sorts_by_a_column_both_ways_and_searches(world, client_for) -> None:
    _names(world, ("אבי", "אלון", "רכז"), ("בני", "ברק", "מנהל"), ("גלי", "גולן", "אנליסטית"))
    client = client_for("coordinator")
    url = reverse("programs:cohort", args=[world.cohort.pk])
    page = client.get(url, {"sort": "job"}).content.decode()
    assert _order(page, "גלי גולן", "בני ברק", "אבי אלון") == ["גלי גולן", "בני ברק", "אבי אלון"]
    assert 'aria-sort="ascending"' in page
    page = client.get(url, {"sort": "-name"}).content.decode()
    assert _order(page, "גלי גולן", "בני ברק", "אבי אלון") == ["גלי גולן", "בני ברק", "אבי אלון"]
    page = client.get(url, {"q": "ברק"}).content.decode()
    assert "בני ברק" in page and "אבי אלון" not in page
    assert "משתתף/ת אחד/ת מתאים/ה." in page


def test_the_roster_pages_in_a_chosen_order_without_more_queries(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:cohort", args=[world.cohort.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"sort": "-job", "q": "שם", "status": "active"})
        return len(captured)

    before = count()
    _names(world, *[(f"שם{n}", f"משפחה{n}", f"תפקיד {n}") for n in range(20)])
    assert count() == before


def test_the_people_list_sorts_and_shows_its_total(world, client_for) -> None:
    _names(world, ("אבי", "אלון", "רכז"), ("גלי", "גולן", "אנליסטית"))
    client = client_for("coordinator")
    page = client.get(reverse("programs:people"), {"sort": "-job"}).content.decode()
    assert _order(page, "אבי אלון", "גלי גולן") == ["אבי אלון", "גלי גולן"]
    assert "נמצאו 4" not in page  # the whole list is browsed, not counted
    page = client.get(reverse("programs:people"), {"status": "active"}).content.decode()
    assert "נמצאו 4 אנשים." in page
    page = client.get(reverse("programs:people"), {"q": "גולן"}).content.decode()
    assert "גלי גולן" in page and "אבי אלון" not in page


def test_the_schedule_sorts_by_date_and_totals(world, client_for) -> None:
    import datetime

    factories.SessionFactory(
        cohort=world.cohort, title="מאוחר", starts_on=datetime.date(2026, 5, 1)
    )
    client = client_for("coordinator")
    page = client.get(
        reverse("programs:schedule"), {"period": "all", "sort": "date"}
    ).content.decode()
    assert page.index(world.session.title) < page.index("מאוחר")
    assert "2 מפגשים." in page
    page = client.get(reverse("programs:schedule"), {"period": "all"}).content.decode()
    assert page.index("מאוחר") < page.index(world.session.title)


def test_the_roster_sorts_by_organization_across_pages(world, client_for) -> None:
    """People without an organization come first; the cursor carries the organization's name,
    so paging one member at a time walks the same order, each member once."""
    for org_he, first in (("משרד התחבורה", "דנה"), ("עיריית חיפה", "רון"), ("", "טל")):
        organization = factories.OrganizationFactory(name_he=org_he) if org_he else None
        person = factories.PersonFactory(
            user__first_name=first, user__last_name="כהן", organization=organization
        )
        factories.EnrollmentFactory(cohort=world.cohort, person=person)
    url = reverse("programs:cohort", args=[world.cohort.pk])
    page = client_for("coordinator").get(url, {"sort": "organization"}).content.decode()
    assert 'aria-sort="ascending"' in page
    ours = ["טל כהן", "דנה כהן", "רון כהן"]
    assert _order(page, *ours) == ours

    walked: list[str] = []
    query = "sort=-organization"
    while query:
        rows = queries.roster_page(world.cohort, QueryDict(query), members=True, per_page=1)
        walked.extend(row.name for row in rows)
        query = rows.next_query if rows.has_next else ""
    members = world.cohort.enrollments.filter(status__in=MEMBER_STATUSES).count()
    assert len(walked) == members == len(set(walked))
    assert [name for name in walked if name in ours] == list(reversed(ours))
