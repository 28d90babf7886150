"""What ``manage.py demo`` loads: the facts of DOMAIN.md the demo must show."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from movilim.core.models import User
from movilim.core.roles import Role
from movilim.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from movilim.people.models import Organization, OrganizationKind, Person
from movilim.programs import queries
from movilim.programs.access import managed_cohorts
from movilim.programs.facts import facts_for
from movilim.programs.models import (
    MEMBER_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    CompositionTarget,
    Dimension,
    EnrollmentStatus,
    Program,
    ProgramRole,
    Session,
    SessionKind,
)

pytestmark = pytest.mark.django_db

GOVERNMENT_KINDS = (OrganizationKind.GOV_HQ, OrganizationKind.GOV_EXECUTION)


def cohort(program: str, name_en: str) -> Cohort:
    return Cohort.objects.select_related("program").get(program__slug=program, name_en=name_en)


def members(c: Cohort) -> list[Person]:
    return list(
        Person.objects.filter(
            enrollments__cohort=c, enrollments__status__in=MEMBER_STATUSES
        ).select_related("organization")
    )


def sector_split(people: list[Person]) -> Counter[str]:
    return Counter(p.organization.sector for p in people)


# --- the program's history -------------------------------------------------------------------


def test_programs_and_learning_domains(demo: str) -> None:
    programs = {p.slug: p for p in Program.objects.annotate(n=Count("domains"))}
    assert {slug: p.kind for slug, p in programs.items()} == {
        "government": "government",
        "local": "local",
        "network": "network",
    }
    assert programs["government"].hours_target == 200
    assert programs["local"].hours_target == 200
    assert (programs["government"].n, programs["local"].n) == (5, 4)
    for p in programs.values():
        assert p.name_he and p.name_en and p.description_he and p.description_en


def test_organizations_are_classified_as_in_the_domain(demo: str) -> None:
    kind = dict(Organization.objects.values_list("name_en", "kind"))
    for name in ("Prime Minister's Office", "Ministry of Justice", "Ministry of Finance"):
        assert kind[name] == OrganizationKind.GOV_HQ
    assert kind["Civil Service Commission"] == OrganizationKind.GOV_HQ
    for name in ("Ministry of Health", "Ministry of Education", "Ministry of Interior"):
        assert kind[name] == OrganizationKind.GOV_EXECUTION
    authorities = Organization.objects.filter(kind=OrganizationKind.LOCAL_AUTHORITY)
    assert authorities.count() >= 10
    assert not authorities.filter(region="").exists()
    assert Organization.objects.filter(kind=OrganizationKind.CIVIL_SOCIETY).exists()


def test_cohort_a_has_39_graduates_from_june_2015_to_february_2016(demo: str) -> None:
    a = cohort("government", "Cohort A")
    assert (a.start_date.year, a.start_date.month) == (2015, 6)
    assert (a.end_date.year, a.end_date.month) == (2016, 2)
    statuses = Counter(a.enrollments.values_list("status", flat=True))
    assert statuses == {EnrollmentStatus.GRADUATED: 39}
    kinds = Counter(a.sessions.values_list("kind", flat=True))
    assert kinds[SessionKind.STUDY_TOUR] == 1
    assert kinds[SessionKind.IN_PERSON] >= 10


def test_cohort_b_is_three_quarters_ministries(demo: str) -> None:
    b = cohort("government", "Cohort B")
    people = members(b)
    assert len(people) == 44
    split = sector_split(people)
    assert split["government"] == 33
    assert split["local"] + split["civil"] == 11
    assert split["local"] > 0 and split["civil"] > 0
    assert {b.start_date.year, b.end_date.year} == {2016, 2017}
    assert set(b.enrollments.values_list("status", flat=True)) == {EnrollmentStatus.GRADUATED}
    harvard = b.sessions.get(kind=SessionKind.STUDY_TOUR)
    assert "הרווארד" in harvard.title


def test_cohort_c_split_and_its_sessions(demo: str) -> None:
    c = cohort("local", "Cohort C")
    people = members(c)
    assert len(people) == 40
    assert sector_split(people) == {"local": 32, "government": 6, "civil": 2}
    assert (c.start_date.year, c.start_date.month) == (2019, 7)
    assert (c.end_date.year, c.end_date.month) == (2020, 9)

    sessions = list(c.sessions.all())
    in_person = [s for s in sessions if s.kind == SessionKind.IN_PERSON]
    tours = [s for s in sessions if s.kind == SessionKind.STUDY_TOUR]
    online = [s for s in sessions if s.kind == SessionKind.ONLINE]
    assert (len(in_person), len(tours), len(online)) == (7, 1, 4)
    assert len(sessions) == 12
    assert all(s.ends_on - s.starts_on == timedelta(days=1) for s in in_person)
    assert tours[0].ends_on - tours[0].starts_on == timedelta(days=4)
    assert "דנמרק" in tours[0].title
    assert all(s.ends_on is None and s.hours <= 3 for s in online)


def test_past_cohorts_have_attendance_for_every_session(demo: str) -> None:
    for program, name in (
        ("government", "Cohort A"),
        ("government", "Cohort B"),
        ("local", "Cohort C"),
    ):
        c = cohort(program, name)
        assert c.end_date < timezone.localdate()
        assert not c.sessions.annotate(n=Count("attendances")).filter(n=0).exists(), name


def test_attendance_is_a_realistic_mix(demo: str) -> None:
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert set(statuses) == set(AttendanceStatus.values)
    assert statuses[AttendanceStatus.PRESENT] > 0.75 * sum(statuses.values())
    for hours, session_hours in Attendance.objects.filter(
        status=AttendanceStatus.PARTIAL
    ).values_list("partial_hours", "session__hours"):
        assert Decimal(0) < hours < session_hours


def test_every_cohort_has_composition_targets_on_all_dimensions(demo: str) -> None:
    for c in Cohort.objects.all():
        dimensions = set(c.targets.values_list("dimension", flat=True))
        assert dimensions == set(Dimension.values), c
    b = cohort("government", "Cohort B")

    def bounds(dimension: str, category: str) -> tuple[Decimal | None, Decimal | None]:
        t = CompositionTarget.objects.get(cohort=b, dimension=dimension, category=category)
        return t.min_percent, t.max_percent

    assert bounds(Dimension.SECTOR, "government") == (70, 80)
    assert bounds(Dimension.GENDER, "female") == (40, 60)
    assert bounds(Dimension.MINORITY, "yes") == (10, None)


def test_people_are_varied(demo: str) -> None:
    people = Person.objects.exclude(enrollments=None)
    assert people.count() >= 150
    assert set(people.values_list("gender", flat=True)) == {"female", "male"}
    assert set(people.values_list("profile_type", flat=True)) == {"policy", "technology", "both"}
    assert set(people.values_list("minority", flat=True)) == {True, False, None}
    assert not people.filter(Q(job_title="") | Q(phone="") | Q(expertise="")).exists()
    emails = people.values_list("user__email", flat=True)
    assert all(e.endswith("@example.org.il") for e in emails)


# --- the current cohort ----------------------------------------------------------------------


def test_current_cohort_is_running_with_attendance_to_take(demo: str) -> None:
    today = timezone.localdate()
    h = cohort("government", "Cohort H")
    assert h.start_date < today < h.end_date
    assert 28 <= len(members(h)) <= 32
    assert h.enrollments.filter(status=EnrollmentStatus.ACTIVE).count() == len(members(h))

    sessions = list(queries.cohort_sessions(h))
    past = [s for s in sessions if s.starts_on < today]
    assert sum(1 for s in past if s.recorded_count == 0) >= 2
    assert sum(1 for s in past if s.recorded_count > 0) >= 1
    assert sum(1 for s in sessions if s.starts_on >= today) >= 3

    coordinator = User.objects.get(email="coordinator@example.org.il")
    missing = list(queries.sessions_missing_attendance(managed_cohorts(coordinator), today=today))
    assert len(missing) >= 2
    assert {s.cohort_id for s in missing} == {h.pk}


# --- accounts --------------------------------------------------------------------------------


def test_each_demo_account_signs_in_with_its_role(demo: str) -> None:
    government = Program.objects.get(slug="government")
    local = Program.objects.get(slug="local")
    assert len({a.role for a in DEMO_ACCOUNTS}) == 6
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD), account.email
        assert account.role in facts_for(user).roles, account.email
        assert account.email in demo
        if account.role in (Role.MANAGER, Role.COORDINATOR, Role.EVALUATOR, Role.STEERING):
            granted = set(
                ProgramRole.objects.filter(user=user, role=account.role).values_list(
                    "program", flat=True
                )
            )
            assert {government.pk, local.pk} <= granted
    admin = User.objects.get(email="admin@example.org.il")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()
    assert DEMO_PASSWORD in demo
    assert len(DEMO_PASSWORD) >= 12


def test_demo_participant_sees_a_next_session_and_hours(demo: str) -> None:
    user = User.objects.get(email="participant@example.org.il")
    h = cohort("government", "Cohort H")
    assert h.enrollments.get(person__user=user).status == EnrollmentStatus.ACTIVE
    overview = queries.participant_overview(user.person.pk, today=timezone.localdate())
    assert [row.enrollment.cohort_id for row in overview] == [h.pk]
    assert overview[0].next_session is not None
    assert overview[0].hours > 0


# --- the leaders network ---------------------------------------------------------------------


def test_network_holds_alumni_of_cohorts_a_and_b(demo: str) -> None:
    network = Cohort.objects.get(program__slug="network")
    fellows = {p.pk for p in members(network)}
    alumni = {
        p.pk
        for c in (cohort("government", "Cohort A"), cohort("government", "Cohort B"))
        for p in members(c)
    }
    assert len(fellows) >= 40
    assert fellows <= alumni
    statuses = set(network.enrollments.values_list("status", flat=True))
    assert statuses <= {EnrollmentStatus.GRADUATED, EnrollmentStatus.ACTIVE}
    workdays = Session.objects.filter(cohort=network, kind=SessionKind.NETWORK_WORKDAY)
    assert workdays.count() >= 4
    assert Attendance.objects.filter(session__cohort=network).exists()
