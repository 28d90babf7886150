"""Long lists: keyset pages forward and back, bad page parameters, and queries that do not grow."""

from __future__ import annotations

import base64
import datetime
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movilim.core.paging import Page
from movilim.people.models import Person
from movilim.programs import queries
from movilim.programs.models import Enrollment

from .. import factories

NEXT = re.compile(r'href="\?([^"#]*)(?:#[^"]*)?" rel="next"')
PREVIOUS = re.compile(r'href="\?([^"#]*)(?:#[^"]*)?" rel="prev"')
ROW_LINK = re.compile(r'<th scope="row"[^>]*><a href="([^"]+)"')
HUGE = "922337203685477580"


pytestmark = pytest.mark.usefixtures("module_world")


def _cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _rows(html: str, marker: str) -> list[str]:
    """The row links of the table that follows ``marker``."""
    return ROW_LINK.findall(html[html.index(marker) :].split("</table>")[0])


Pages = list[list[str]]


def _walk(client, url: str, marker: str, query: str = "") -> tuple[Pages, Pages]:
    """Follow "next" from the first page to the last, then "previous" back to the first:
    the row links of each page, in the order visited."""
    forward, backward = [], []
    while True:
        html = client.get(f"{url}?{query}").content.decode()
        forward.append(_rows(html, marker))
        found = NEXT.search(html)
        if found is None:
            break
        query = unescape(found[1])
    while (found := PREVIOUS.search(html)) is not None:
        html = client.get(f"{url}?{unescape(found[1])}").content.decode()
        backward.append(_rows(html, marker))
    return forward, backward


def _fill_cohort(cohort, n: int, status: str = "active") -> None:
    organization = factories.OrganizationFactory()
    # Repeated names, so that the order's tie-breaker (the key) matters too.
    factories.members(
        cohort,
        n,
        status=status,
        person={"organization": organization, "first_name": "שם"},
        each=lambda i: {"last_name": f"משפחה{i % 7}"},
    )


def _add_sessions(cohort, n: int) -> None:
    for i in range(n):
        # Several sessions a day, so that the key breaks ties between them.
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 40)
        factories.SessionFactory(cohort=cohort, starts_on=day)


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# --- paging forward and back --------------------------------------------------------------------


def test_cohort_roster_pages_forward_and_back_through_every_member(world, client_for) -> None:
    cohort = factories.CohortFactory(program=world.program)
    _fill_cohort(cohort, 230)
    _fill_cohort(cohort, 3, status="waitlisted")
    client = client_for("coordinator")
    url = reverse("programs:cohort", args=[cohort.pk])

    forward, backward = _walk(client, url, 'id="participants-table"')

    assert [len(page) for page in forward] == [100, 100, 30]
    assert len({link for page in forward for link in page}) == 230  # each member once
    assert backward == forward[-2::-1]  # back through the same pages
    html = client.get(url).content.decode()
    assert "(230)" in html and "(3)" in html  # totals of the whole cohort, counted


def test_attendance_page_pages_its_members(world, client_for) -> None:
    cohort = factories.CohortFactory(program=world.program)
    _fill_cohort(cohort, 150)
    client = client_for("coordinator")
    url = reverse("programs:cohort_attendance", args=[cohort.pk])

    forward, backward = _walk(client, url, 'id="people-hours"')

    assert [len(page) for page in forward] == [100, 50]
    assert backward == forward[:1]
    assert "0 מתוך 150" in client.get(url).content.decode()  # reached the target, of all members


def test_people_list_pages_forward_and_back(world, client_for) -> None:
    _fill_cohort(world.cohort, 120)
    client = client_for("coordinator")

    forward, backward = _walk(client, reverse("programs:people"), "<table")

    assert [len(page) for page in forward] == [50, 50, 22]  # the 120 and the world's 2
    assert len({link for page in forward for link in page}) == 122
    assert backward == forward[-2::-1]


def test_a_filtered_people_list_counts_its_matches_in_the_page_statement(world, client_for) -> None:
    """The total of a search or filter comes with the first page's rows, not from a COUNT that
    would run the search again; later pages show none, and a search without matches says 0."""
    factories.members(world.cohort, 60, each=lambda i: {"last_name": f"גלבוע{i % 7}"})
    client = client_for("coordinator")
    people = reverse("programs:people")
    found = re.compile(r'<p role="status">[^<0-9]*([0-9]+)[^<]*</p>')

    with CaptureQueriesContext(connection) as captured:
        html = client.get(f"{people}?q=גלבוע3").content.decode()
    assert found.search(html)[1] == "9"  # i % 7 == 3 for i < 60
    assert not any("COUNT(*) AS" in query["sql"] for query in captured), "no COUNT of its own"
    assert len(captured) == _count_queries(client, people)  # as many as the unfiltered list

    html = client.get(f"{people}?q=גלבוע").content.decode()
    assert found.search(html)[1] == "60"  # more than the page's 50
    second = client.get(f"{people}?{unescape(NEXT.search(html)[1])}").content.decode()
    assert found.search(second) is None and len(_rows(second, "<table")) == 10
    html = client.get(f"{people}?q=nobody-has-this").content.decode()
    assert found.search(html)[1] == "0"


def test_people_rows_link_the_readers_cohorts_latest_first(world) -> None:
    """Links take their labels and order from the reader's cohorts as the filter offers them;
    given none (or a cohort missing from them), they are read with one more query."""
    earlier = factories.CohortFactory(
        program=world.program, start_date=datetime.date(2020, 1, 1), name_he="מחזור מוקדם"
    )
    factories.EnrollmentFactory(cohort=earlier, person=world.participant_person, status="graduated")
    hidden = factories.EnrollmentFactory(cohort=world.other_cohort, person=world.participant_person)
    offered = queries.cohort_choices(world.program.cohorts.order_by("-start_date", "pk"))
    people = Person.objects.filter(pk=world.participant_person.pk)
    page = list(people.values_list(*queries.PEOPLE_COLUMNS))
    mine = Enrollment.objects.filter(cohort__program=world.program)

    with CaptureQueriesContext(connection) as given:
        (row,) = queries.people_rows(page, mine, offered)
    with CaptureQueriesContext(connection) as fallback:
        (same,) = queries.people_rows(page, mine)

    labels = [link.label for link in row.cohorts]
    assert labels == [dict(offered)[world.cohort.pk], dict(offered)[earlier.pk]]
    assert [link.label for link in same.cohorts] == labels
    assert str(hidden.cohort.pk) not in " ".join(link.url for link in row.cohorts)
    assert (len(given), len(fallback)) == (1, 2)


def test_schedule_pages_forward_and_back_in_both_directions(world, client_for) -> None:
    _add_sessions(world.cohort, 110)
    client = client_for("coordinator")
    url = reverse("programs:schedule")

    latest_first, backward = _walk(client, url, "<table", "period=all")
    assert [len(page) for page in latest_first] == [50, 50, 11]  # the 110 and the world's one
    assert backward == latest_first[-2::-1]
    soonest_first, _ = _walk(client, url, "<table", "period=past")
    assert len({link for page in soonest_first for link in page}) == 111


# --- bad page parameters ------------------------------------------------------------------------


def test_huge_page_numbers_and_malformed_cursors_give_the_first_page(world, client_for) -> None:
    """``?page=922337203685477580`` answered 500 on /people/ and /schedule/."""
    client = client_for("coordinator")
    bad = [
        f"page={HUGE}",
        "page=-1",
        "after=%%%",
        "after=bm90IGpzb24",  # not JSON
        f"after={_cursor(['only one value'])}",
        f"after={_cursor([[], {}, None])}",
        f"after={_cursor(['a', 'b', 10**30])}",  # a key beyond any integer column
        f"before={_cursor(['a', 'b', -(10**30)])}",
        f"after={_cursor(['x' * 500, 'b', 1])}",  # longer than the column
        "before=" + _cursor(["a\x00", "b", 1]),  # NUL, which PostgreSQL refuses
        f"after={_cursor(['9999-99-99', 1])}",
        f"after={_cursor([HUGE + '1', 1])}",
        "after=" + "A" * 5000,
        f"others_after={_cursor([True, False, 1])}",
    ]
    pages = [
        (reverse("programs:people"), "<table"),
        (reverse("programs:schedule"), "<table"),
        (reverse("programs:cohort", args=[world.cohort.pk]), 'id="participants-table"'),
        (reverse("programs:cohort_attendance", args=[world.cohort.pk]), 'id="people-hours"'),
    ]
    for url, marker in pages:
        first = _rows(client.get(f"{url}?period=all").content.decode(), marker)
        assert first, url
        for query in bad:
            response = client.get(f"{url}?period=all&{query}")
            assert response.status_code == 200, (url, query)
            assert _rows(response.content.decode(), marker) == first, (url, query)


# --- queries that do not grow with the data -----------------------------------------------------


def test_list_pages_run_the_same_queries_for_10_and_120_rows(world, client_for) -> None:
    """120 rows fill more than one page of every list here (50 or 100 a page)."""
    small = factories.CohortFactory(program=world.program)
    large = factories.CohortFactory(program=world.program)
    _fill_cohort(small, 10)
    _fill_cohort(large, 120)
    _add_sessions(small, 10)
    _add_sessions(large, 120)
    client = client_for("coordinator")
    people, schedule = reverse("programs:people"), reverse("programs:schedule")
    for label, few, many in [
        ("people", f"{people}?cohort={small.pk}", f"{people}?cohort={large.pk}"),
        ("search", f"{people}?cohort={small.pk}&q=שם", f"{people}?cohort={large.pk}&q=שם"),
        ("schedule", f"{schedule}?period=all&cohort={small.pk}", f"{schedule}?period=all"),
        (
            "attendance",
            reverse("programs:cohort_attendance", args=[small.pk]),
            reverse("programs:cohort_attendance", args=[large.pk]),
        ),
    ]:
        counts = [_count_queries(client, url) for url in (few, many)]
        assert counts[0] == counts[1], f"{label}: {counts[0]} queries for 10, {counts[1]} for 120"
    html = client.get(f"{people}?cohort={large.pk}").content.decode()
    next_page = unescape(NEXT.search(html)[1])
    assert _count_queries(client, f"{people}?{next_page}") == _count_queries(client, people)


def test_programs_page_shows_running_cohorts_with_constant_queries(world, client_for) -> None:
    client = client_for("coordinator")
    url = reverse("programs:list")
    today = datetime.date.today()
    running = factories.CohortFactory(
        program=world.program,
        name_he="מחזור רץ",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=10),
    )
    _fill_cohort(running, 3)
    before = _count_queries(client, url)
    for year in range(2000, 2030):
        factories.CohortFactory(
            program=world.program,
            name_he=f"מחזור של {year}",
            start_date=datetime.date(year, 1, 1),
            end_date=datetime.date(year, 1, 2),
        )
    html = client.get(url).content.decode()
    assert _count_queries(client, url) == before
    assert "מחזור רץ" in html and "מחזור של 2001" not in html  # running cohorts only
    assert "3 משתתפים" in html  # the running cohort's members, counted
    assert reverse("programs:program", args=[world.program.slug]) in html  # the full list
    cohorts = world.program.cohorts.count()
    assert f"({cohorts})" in html  # how many there are, counted with the program


def test_members_and_others_page_independently_from_one_statement(world) -> None:
    """The cohort page's two lists: each follows its own cursor, and both are read together
    (one UNION ALL where the database takes ordered branches, as PostgreSQL does)."""
    cohort = factories.CohortFactory(program=world.program)
    _fill_cohort(cohort, 5)
    _fill_cohort(cohort, 5, status="waitlisted")
    order = ("person__user__last_name", "person__user__first_name", "pk")
    enrollments = Enrollment.objects.filter(cohort=cohort).order_by(*order)
    all_members = list(enrollments.filter(status="active").values_list("pk", flat=True))
    all_others = list(enrollments.filter(status="waitlisted").values_list("pk", flat=True))
    statements = 1 if connection.features.supports_slicing_ordering_in_compound else 2

    def read(query: str) -> tuple[Page, Page]:
        with CaptureQueriesContext(connection) as captured:
            members, others = queries.roster_pages(
                cohort, QueryDict(query), others=True, with_invitations=True, per_page=2
            )
        assert len(captured) == statements
        assert all(row.is_member and row.invitation for row in members.items)
        assert not any(row.is_member or row.invitation for row in others.items)
        return members, others

    def ids(page: Page) -> list[int]:
        return [row.enrollment_id for row in page.items]

    # The others move on; the members stay where they were, and the other way round.
    members, others = read("")
    seen_members, seen_others = [ids(members)], [ids(others)]
    while others.has_next:
        members, others = read(others.next_query)
        assert ids(members) == seen_members[0]
        seen_others.append(ids(others))
    while members.has_next:
        members, others = read(members.next_query)
        assert ids(others) == seen_others[-1]
        seen_members.append(ids(members))
    assert [pk for page in seen_members for pk in page] == all_members
    assert [pk for page in seen_others for pk in page] == all_others
    # Back, one list after the other: each link keeps the other list's place.
    members, others = read(members.previous_query)
    assert ids(members) == seen_members[-2] and ids(others) == seen_others[-1]
    members, others = read(others.previous_query)
    assert ids(members) == seen_members[-2] and ids(others) == seen_others[-2]
