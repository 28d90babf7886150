"""Builds the demo world: programs, organizations, people, cohorts, sessions and attendance.

Everything random comes from generators seeded with fixed strings, and every generator is used the
same way on every run whatever the database holds, so the same people with the same details come
out each time. That, plus matching existing rows by their natural keys (e-mail, Hebrew name, slug)
and creating a cohort's sessions and enrollments only while it has none, is what makes loading
twice the same as loading once, even for the current cohort whose dates follow the calendar.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from types import ModuleType
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.utils.module_loading import module_has_submodule

from movilim.core.models import User
from movilim.core.roles import Role, StaffRole
from movilim.people.models import Gender, Organization, Person, ProfileType
from movilim.people.services import organization_upsert, person_upsert
from movilim.programs.models import (
    MEMBER_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    CompositionTarget,
    Dimension,
    Enrollment,
    EnrollmentStatus,
    LearningDomain,
    Program,
    ProgramRole,
    Session,
    SessionKind,
)
from movilim.programs.services import (
    Mark,
    attendance_record,
    enrollment_add,
    enrollment_set_status,
    program_role_grant,
    session_create,
)
from movilim.search import index as search_index

from . import data, operations

#: Changing the seed changes every generated person; keep it fixed so screenshots stay valid.
SEED = "movilim-demo"

M = TypeVar("M", bound=models.Model)


# --- small helpers ---------------------------------------------------------------------------


def _rng(purpose: str) -> random.Random:
    """A generator of its own per purpose, so that skipping one part never shifts another."""
    return random.Random(f"{SEED}:{purpose}")  # noqa: S311 - demo data, not secrets


def _upsert(
    model: type[M],
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    create_only: Mapping[str, Any] | None = None,
) -> tuple[M, bool]:
    """Create the row, or update only the fields that differ, so a re-run writes nothing.

    ``create_only`` fields are set on creation and never changed afterwards: the current cohort's
    dates follow the day it was first loaded, and its sessions were planned around them.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values, **(create_only or {})), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        stamp = ["updated_at"] if any(f.name == "updated_at" for f in model._meta.fields) else []
        obj.save(update_fields=[*changed, *stamp])
    return obj, False


def _workday(day: date) -> date:
    """Move a Friday or Saturday to the following Sunday: the program meets on Israeli workdays."""
    weekday = day.weekday()  # Monday is 0
    if weekday == 4:
        return day + timedelta(days=2)
    if weekday == 5:
        return day + timedelta(days=1)
    return day


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _percent(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- people ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeoplePlan:
    """Who a cohort is made of; the counts are what the composition pages will show."""

    key: str
    hq: int
    execution: int
    local: tuple[tuple[str, int], ...]
    civil: int
    women: int
    minority: int
    minority_unknown: int
    profiles: tuple[int, int, int]  # policy, technology, both


@dataclass(frozen=True)
class PersonSeed:
    email: str
    first_name: str
    last_name: str
    organization: str  # Hebrew name
    sector: str
    job_title: str
    profile_type: str
    gender: str
    minority: bool | None
    phone: str
    expertise: str


@dataclass
class _NameBook:
    """Hands out names and addresses nobody in the demo has yet."""

    names: set[tuple[str, str]] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def reserve(self, first: str, last: str, email: str) -> None:
        self.names.add((first, last))
        self.emails.add(email)

    def draw(self, rng: random.Random, *, woman: bool, arab: bool) -> tuple[str, str, str]:
        if arab:
            firsts = data.ARAB_WOMEN if woman else data.ARAB_MEN
            lasts = data.ARAB_SURNAMES
        else:
            firsts = data.JEWISH_WOMEN if woman else data.JEWISH_MEN
            lasts = data.JEWISH_SURNAMES
        while True:
            (first, first_en), (last, last_en) = rng.choice(firsts), rng.choice(lasts)
            if (first, last) not in self.names:
                break
        local_part = f"{first_en}.{last_en}".replace("'", "")
        email, suffix = f"{local_part}@{data.DEMO_EMAIL_DOMAIN}", 2
        while email in self.emails:
            email, suffix = f"{local_part}{suffix}@{data.DEMO_EMAIL_DOMAIN}", suffix + 1
        self.reserve(first, last, email)
        return first, last, email


def _expertise_pool(profile: str) -> tuple[str, ...]:
    if profile == ProfileType.BOTH:
        return data.EXPERTISE["policy"] + data.EXPERTISE["technology"] + data.EXPERTISE["shared"]
    return data.EXPERTISE[profile] + data.EXPERTISE["shared"]


def plan_people(plan: PeoplePlan, rng: random.Random, book: _NameBook) -> list[PersonSeed]:
    """Turn a cohort's head counts into named people with organizations, titles and details.

    Staff of Arab and Druze authorities count as minority; the rest of the minority share is drawn
    from the cohort's other members, and a few leave the question unanswered, as real people do.
    """
    by_name = {org.name_he: org for org in data.LOCAL_AUTHORITIES}
    slots: list[tuple[str, str, bool]] = []  # organization, sector, from an Arab authority
    slots += [(rng.choice(data.HQ_MINISTRIES).name_he, "government", False) for _ in range(plan.hq)]
    slots += [
        (rng.choice(data.EXECUTION_MINISTRIES).name_he, "government", False)
        for _ in range(plan.execution)
    ]
    for name, count in plan.local:
        slots += [(name, "local", by_name[name].arab)] * count
    slots += [(rng.choice(data.CIVIL_SOCIETY).name_he, "civil", False) for _ in range(plan.civil)]
    size = len(slots)
    if sum(plan.profiles) != size:
        raise ValueError(f"Plan {plan.key}: profiles add up to {sum(plan.profiles)}, not {size}.")

    minority: list[bool | None] = [arab for _org, _sector, arab in slots]
    others = [i for i, (_org, sector, _arab) in enumerate(slots) if sector != "local"]
    for i in rng.sample(others, plan.minority - sum(1 for m in minority if m)):
        minority[i] = True
    undeclared = [i for i in range(size) if not minority[i]]
    for i in rng.sample(undeclared, plan.minority_unknown):
        minority[i] = None
    women = set(rng.sample(range(size), plan.women))
    policy, technology, both = plan.profiles
    profiles = [ProfileType.POLICY] * policy + [ProfileType.TECHNOLOGY] * technology
    profiles += [ProfileType.BOTH] * both
    rng.shuffle(profiles)

    people = []
    for i, (organization, sector, _arab) in enumerate(slots):
        woman = i in women
        first, last, email = book.draw(rng, woman=woman, arab=minority[i] is True)
        titles = data.JOB_TITLES[sector][profiles[i]]
        people.append(
            PersonSeed(
                email=email,
                first_name=first,
                last_name=last,
                organization=organization,
                sector=sector,
                job_title=rng.choice(titles)[1 if woman else 0],
                profile_type=profiles[i],
                gender=Gender.FEMALE if woman else Gender.MALE,
                minority=minority[i],
                phone=f"{rng.choice(data.MOBILE_PREFIXES)}-{rng.randrange(2_000_000, 9_999_999)}",
                expertise=", ".join(rng.sample(_expertise_pool(profiles[i]), rng.randint(2, 4))),
            )
        )
    return people


COHORT_A_PEOPLE = PeoplePlan(
    key="government-a", hq=15, execution=24, local=(), civil=0,
    women=17, minority=3, minority_unknown=5, profiles=(22, 12, 5),
)  # fmt: skip
COHORT_B_PEOPLE = PeoplePlan(
    key="government-b", hq=13, execution=20,
    local=(("עיריית ירושלים", 2), ("עיריית באר שבע", 2), ("עיריית רהט", 2), ("עיריית כפר סבא", 2)),
    civil=3, women=21, minority=5, minority_unknown=4, profiles=(24, 13, 7),
)  # fmt: skip
COHORT_C_PEOPLE = PeoplePlan(
    key="local-c", hq=2, execution=4,
    local=(
        ("עיריית חיפה", 3), ("עיריית באר שבע", 3), ("עיריית אשדוד", 3), ("עיריית נתניה", 3),
        ("עיריית עפולה", 3), ("עיריית דימונה", 3), ("עיריית קריית שמונה", 3),
        ("מועצה אזורית גליל עליון", 3), ("עיריית נצרת", 3), ("עיריית סח'נין", 3),
        ("מועצה מקומית ירוחם", 2),
    ),
    civil=2, women=19, minority=7, minority_unknown=3, profiles=(20, 12, 8),
)  # fmt: skip
#: The current cohort besides the demo participant, who is added to it by hand.
COHORT_H_PEOPLE = PeoplePlan(
    key="government-h", hq=9, execution=14,
    local=(("עיריית מודיעין-מכבים-רעות", 2), ("עיריית שדרות", 1), ("עיריית אום אל-פחם", 2)),
    civil=2, women=14, minority=4, minority_unknown=3, profiles=(15, 9, 6),
)  # fmt: skip

DEMO_PARTICIPANT_ORGANIZATION = "משרד הבריאות"
DEMO_PARTICIPANT_PROFILE: dict[str, Any] = {
    "job_title": "מנהלת תחום שירותים מקוונים",
    "profile_type": ProfileType.BOTH,
    "gender": Gender.FEMALE,
    "minority": False,
    "phone": "052-5550142",
    "expertise": "עיצוב שירות, בריאות דיגיטלית, ניהול פרויקטים",
    "bio": "מובילה במשרד את המעבר של זימון תורים ובקשות של הציבור לשירות מקוון.",
}


# --- composition targets ---------------------------------------------------------------------

Bounds = tuple[int | None, int | None]

_SHARED_TARGETS: dict[tuple[str, str], Bounds] = {
    (Dimension.MINISTRY_TYPE, "gov_hq"): (30, 50),
    (Dimension.MINISTRY_TYPE, "gov_execution"): (50, 70),
    (Dimension.PROFILE, ProfileType.POLICY): (40, 60),
    (Dimension.PROFILE, ProfileType.TECHNOLOGY): (25, 40),
    (Dimension.PROFILE, ProfileType.BOTH): (10, 25),
    (Dimension.GENDER, Gender.FEMALE): (40, 60),
    (Dimension.MINORITY, "yes"): (10, None),
}
#: Three quarters from ministries, a quarter from local government and civil society.
GOVERNMENT_TARGETS: dict[tuple[str, str], Bounds] = {
    (Dimension.SECTOR, "government"): (70, 80),
    (Dimension.SECTOR, "local"): (10, 20),
    (Dimension.SECTOR, "civil"): (None, 10),
    **_SHARED_TARGETS,
}
#: The first cohort was recruited from ministries only.
FIRST_COHORT_TARGETS: dict[tuple[str, str], Bounds] = {
    **GOVERNMENT_TARGETS,
    (Dimension.SECTOR, "government"): (90, None),
    (Dimension.SECTOR, "local"): (None, 10),
}
#: Mostly local authorities, a few from ministries; ministry shares are of those few.
LOCAL_TARGETS: dict[tuple[str, str], Bounds] = {
    **_SHARED_TARGETS,
    (Dimension.SECTOR, "local"): (70, 85),
    (Dimension.SECTOR, "government"): (10, 20),
    (Dimension.SECTOR, "civil"): (None, 10),
    (Dimension.MINISTRY_TYPE, "gov_hq"): (20, 60),
    (Dimension.MINISTRY_TYPE, "gov_execution"): (40, 80),
}
NETWORK_TARGETS: dict[tuple[str, str], Bounds] = {
    **_SHARED_TARGETS,
    (Dimension.SECTOR, "government"): (60, 90),
    (Dimension.SECTOR, "local"): (5, 30),
    (Dimension.SECTOR, "civil"): (None, 10),
}


# --- sessions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSeed:
    kind: str
    title: str
    starts_on: date
    hours: Decimal
    domain: int | None = None  # position of the program's learning domain
    ends_on: date | None = None
    location: str = ""
    description: str = ""

    @property
    def last_day(self) -> date:
        return self.ends_on or self.starts_on


IN_PERSON_DAY_HOURS = Decimal(10)
HARVARD_HOURS = Decimal(50)


def government_sessions(days: Iterable[date], harvard_monday: date) -> list[SessionSeed]:
    """Fifteen activity days in Israel and a seminar week at Harvard: the track's 200 hours."""
    sessions = [
        SessionSeed(
            kind=SessionKind.IN_PERSON,
            title=title,
            starts_on=day,
            hours=IN_PERSON_DAY_HOURS,
            domain=domain,
            location=place,
        )
        for day, (domain, title), place in zip(
            days, data.GOVERNMENT_DAYS, data.GOVERNMENT_DAY_PLACES, strict=True
        )
    ]
    domain, title = data.HARVARD_WEEK
    sessions.append(
        SessionSeed(
            kind=SessionKind.STUDY_TOUR,
            title=title,
            starts_on=harvard_monday,
            ends_on=harvard_monday + timedelta(days=4),
            hours=HARVARD_HOURS,
            domain=domain,
            location=data.HARVARD_PLACE,
            description=(
                "שבוע של הרצאות, סדנאות ומפגשים עם מובילי ממשל דיגיטלי בארצות הברית, "
                "וזמן לעבודה על הפרויקטים."
            ),
        )
    )
    return sorted(sessions, key=lambda s: s.starts_on)


def _dates(*isoformats: str) -> list[date]:
    return [date.fromisoformat(text) for text in isoformats]


def cohort_a_sessions() -> list[SessionSeed]:
    days = _dates(
        "2015-06-09", "2015-06-23", "2015-07-07", "2015-07-21", "2015-08-18",
        "2015-09-08", "2015-10-13", "2015-10-27", "2015-11-24", "2015-12-08",
        "2015-12-22", "2016-01-05", "2016-01-19", "2016-02-02", "2016-02-16",
    )  # fmt: skip
    return government_sessions(days, date(2015, 11, 9))


def cohort_b_sessions() -> list[SessionSeed]:
    days = _dates(
        "2016-11-01", "2016-11-15", "2016-11-29", "2016-12-13", "2016-12-27",
        "2017-01-10", "2017-01-24", "2017-02-07", "2017-02-21", "2017-04-04",
        "2017-04-25", "2017-05-09", "2017-05-23", "2017-06-06", "2017-06-20",
    )  # fmt: skip
    return government_sessions(days, date(2017, 3, 20))


TWO_DAY_MEETING_HOURS = Decimal(16)
STUDY_TOUR_HOURS = Decimal(40)


def cohort_c_sessions() -> list[SessionSeed]:
    """Seven two-day meetings, five days in Denmark, and four online meetings once COVID-19 hit."""
    firsts = _dates(
        "2019-07-09", "2019-08-27", "2019-10-29", "2019-11-26",
        "2019-12-17", "2020-01-14", "2020-02-25",
    )  # fmt: skip
    sessions = [
        SessionSeed(
            kind=SessionKind.IN_PERSON,
            title=title,
            starts_on=first,
            ends_on=first + timedelta(days=1),
            hours=TWO_DAY_MEETING_HOURS,
            domain=domain,
            location=place,
        )
        for first, (domain, title, place) in zip(firsts, data.LOCAL_MEETINGS, strict=True)
    ]
    domain, title, place = data.DENMARK_TOUR
    tour_start = date(2020, 2, 3)
    sessions.append(
        SessionSeed(
            kind=SessionKind.STUDY_TOUR,
            title=title,
            starts_on=tour_start,
            ends_on=tour_start + timedelta(days=4),
            hours=STUDY_TOUR_HOURS,
            domain=domain,
            location=place,
            description=(
                "ביקורים ברשויות מקומיות ובסוכנות הדיגיטל הדנית, ולמידה על שירות דיגיטלי לתושב."
            ),
        )
    )
    online_days = _dates("2020-04-21", "2020-05-26", "2020-06-23", "2020-09-08")
    online_hours = (Decimal("2.5"), Decimal("2.5"), Decimal(2), Decimal(3))
    sessions += [
        SessionSeed(
            kind=SessionKind.ONLINE,
            title=title,
            starts_on=day,
            hours=hours,
            domain=domain,
            location="Zoom",
        )
        for day, hours, (domain, title) in zip(
            online_days, online_hours, data.LOCAL_ONLINE, strict=True
        )
    ]
    return sorted(sessions, key=lambda s: s.starts_on)


#: Days after the current cohort's start on which its Israeli activity days fall. The cohort
#: starts 60 days before it is first loaded, so five days are already past then.
CURRENT_DAY_OFFSETS = (2, 16, 30, 43, 57, 71, 85, 99, 127, 148, 169, 197, 225, 253, 290)
CURRENT_HARVARD_OFFSET = 110
CURRENT_STARTED_DAYS_AGO = 60
CURRENT_LENGTH_DAYS = 300
#: The latest past sessions of the current cohort are left without attendance, as on a busy week.
CURRENT_UNRECORDED = 2


@dataclass(frozen=True)
class PastCohort:
    """A finished cohort of the program's history: everyone graduated, attendance all taken."""

    program: str
    name_he: str
    name_en: str
    start: date
    end: date
    target_size: int
    budget: int | None
    targets: Mapping[tuple[str, str], Bounds]
    people: PeoplePlan
    sessions: Callable[[], list[SessionSeed]]


PAST_COHORTS = (
    # Government track, cohort A: ministries only.
    PastCohort(
        program="government", name_he="מחזור א'", name_en="Cohort A",
        start=date(2015, 6, 1), end=date(2016, 2, 29), target_size=40, budget=None,
        targets=FIRST_COHORT_TARGETS, people=COHORT_A_PEOPLE, sessions=cohort_a_sessions,
    ),
    # Government track, cohort B: three quarters ministries, a quarter local and civil.
    PastCohort(
        program="government", name_he="מחזור ב'", name_en="Cohort B",
        start=date(2016, 11, 1), end=date(2017, 6, 30), target_size=44, budget=4_000_000,
        targets=GOVERNMENT_TARGETS, people=COHORT_B_PEOPLE, sessions=cohort_b_sessions,
    ),
    # Local-government track, cohort C: the one the evaluation study followed.
    PastCohort(
        program="local", name_he="מחזור ג'", name_en="Cohort C",
        start=date(2019, 7, 1), end=date(2020, 9, 30), target_size=40, budget=None,
        targets=LOCAL_TARGETS, people=COHORT_C_PEOPLE, sessions=cohort_c_sessions,
    ),
)  # fmt: skip


def current_cohort_sessions(start: date) -> list[SessionSeed]:
    days = [_workday(start + timedelta(days=offset)) for offset in CURRENT_DAY_OFFSETS]
    harvard = _monday_on_or_after(start + timedelta(days=CURRENT_HARVARD_OFFSET))
    return government_sessions(days, harvard)


NETWORK_WORKDAY_HOURS = Decimal(6)


def network_sessions() -> list[SessionSeed]:
    return [
        SessionSeed(
            kind=SessionKind.NETWORK_WORKDAY,
            title=title,
            starts_on=day,
            hours=NETWORK_WORKDAY_HOURS,
            location=data.NETWORK_PLACES[i % len(data.NETWORK_PLACES)],
        )
        for i, (day, title) in enumerate(data.NETWORK_WORKDAYS)
    ]


# --- attendance ------------------------------------------------------------------------------


def _partial_hours(rng: random.Random, hours: Decimal) -> Decimal:
    """Whole or half hours, at least one and always less than the session."""
    halves = int(hours * 2)
    return Decimal(rng.randrange(2, max(3, halves))) / 2


def attendance_marks(
    rng: random.Random,
    sessions: list[Session],
    people: list[Person],
    *,
    always_present: Iterable[int] = (),
) -> list[dict[int, Mark]]:
    """One sheet per session: mostly present, with the absences and late arrivals real days have.

    Each person gets a steady reliability, so the same people miss days, as happens in practice.
    """
    always = set(always_present)
    reliability = {p.pk: rng.uniform(0.78, 0.98) for p in people}
    sheets = []
    for session in sessions:
        sheet: dict[int, Mark] = {}
        for person in people:
            roll = rng.random()
            if person.pk in always:
                sheet[person.pk] = Mark(AttendanceStatus.PRESENT)
            elif session.kind == SessionKind.STUDY_TOUR:
                status = AttendanceStatus.PRESENT if roll < 0.93 else AttendanceStatus.EXCUSED
                sheet[person.pk] = Mark(status)
            elif session.kind == SessionKind.NETWORK_WORKDAY:
                # Alumni come when work allows: a workday draws about two thirds of the network.
                if roll < reliability[person.pk] - 0.25:
                    sheet[person.pk] = Mark(AttendanceStatus.PRESENT)
                else:
                    sheet[person.pk] = Mark(
                        AttendanceStatus.EXCUSED if rng.random() < 0.4 else AttendanceStatus.ABSENT
                    )
            elif roll < reliability[person.pk]:
                sheet[person.pk] = Mark(AttendanceStatus.PRESENT)
            else:
                kind = rng.random()
                if kind < 0.4:
                    sheet[person.pk] = Mark(
                        AttendanceStatus.PARTIAL, _partial_hours(rng, session.hours)
                    )
                elif kind < 0.75:
                    sheet[person.pk] = Mark(AttendanceStatus.EXCUSED)
                else:
                    sheet[person.pk] = Mark(AttendanceStatus.ABSENT)
        sheets.append(sheet)
    return sheets


# --- the whole world -------------------------------------------------------------------------


@dataclass
class DemoResult:
    """Row counts before and after loading, for the command's report and for tests."""

    before: dict[str, int]
    after: dict[str, int]

    @property
    def created(self) -> dict[str, int]:
        return {name: self.after[name] - self.before[name] for name in self.after}


COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("programs", Program),
    ("learning domains", LearningDomain),
    ("organizations", Organization),
    ("users", User),
    ("people", Person),
    ("program roles", ProgramRole),
    ("cohorts", Cohort),
    ("composition targets", CompositionTarget),
    ("enrollments", Enrollment),
    ("sessions", Session),
    ("attendance records", Attendance),
)


def app_demos() -> list[ModuleType]:
    """The ``demo`` modules of the apps above ``programs``, in ``INSTALLED_APPS`` order.

    An app adds its part of the demo world in ``movilim/<app>/demo.py``: ``COUNTED`` (labels and
    models for the report, like the one above) and ``load(today)``, run after the foundation's
    data exists and safe to run again. This app never imports them by name.
    """
    found = []
    for config in django_apps.get_app_configs():
        ours = config.name.startswith("movilim.") and config.name != "movilim.demo"
        if ours and module_has_submodule(config.module, "demo"):
            found.append(import_module(f"{config.name}.demo"))
    return found


def counts() -> dict[str, int]:
    counted = [*COUNTED, *operations.COUNTED]
    for module in app_demos():
        counted.extend(module.COUNTED)
    return {name: model._default_manager.count() for name, model in counted}


class _Loader:
    """Holds what the steps share (programs, staff users, people by e-mail) for one load."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.programs: dict[str, Program] = {}
        self.domains: dict[str, list[LearningDomain]] = {}
        self.organizations: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.people: dict[str, Person] = {}

    # --- reference data ---------------------------------------------------------------------
    def load_programs(self) -> None:
        for seed in data.PROGRAMS:
            program, _created = _upsert(
                Program,
                {"slug": seed.slug},
                {
                    "kind": seed.kind,
                    "name_he": seed.name_he,
                    "name_en": seed.name_en,
                    "description_he": seed.description_he,
                    "description_en": seed.description_en,
                    "hours_target": seed.hours_target,
                    "is_active": True,
                },
            )
            self.programs[seed.slug] = program
            self.domains[seed.slug] = [
                _upsert(
                    LearningDomain,
                    {"program": program, "position": position},
                    {"name_he": name_he, "name_en": name_en},
                )[0]
                for position, (name_he, name_en) in enumerate(seed.domains)
            ]

    def load_organizations(self) -> None:
        for seed in data.ORGANIZATIONS:
            organization, _created = organization_upsert(
                name_he=seed.name_he, name_en=seed.name_en, kind=seed.kind, region=seed.region
            )
            self.organizations[seed.name_he] = organization

    # --- accounts ---------------------------------------------------------------------------
    def load_accounts(self) -> None:
        # Hashing is slow on purpose; the demo hashes its one shared password once.
        encoded_password = make_password(data.DEMO_PASSWORD)
        for account in data.DEMO_ACCOUNTS:
            if account.role == Role.PARTICIPANT:
                person, _created = person_upsert(
                    email=account.email,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    organization=self.organizations[DEMO_PARTICIPANT_ORGANIZATION],
                    **DEMO_PARTICIPANT_PROFILE,
                )
                self.people[account.email] = person
            is_admin = account.role == Role.ADMIN
            user, created = _upsert(
                User,
                {"email": account.email},
                {
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "is_active": True,
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                },
            )
            # A password someone set on purpose is kept; only a missing one is (re)set.
            if created or not user.has_usable_password():
                user.password = encoded_password
                user.save(update_fields=["password"])
            self.users[account.email] = user
            if account.role in StaffRole.values:
                for slug in account.programs:
                    program_role_grant(user=user, program=self.programs[slug], role=account.role)

    def user_with_role(self, role: Role) -> User:
        account = next(a for a in data.DEMO_ACCOUNTS if a.role == role)
        return self.users[account.email]

    # --- people -----------------------------------------------------------------------------
    def load_people(self, seeds: Iterable[PersonSeed]) -> list[Person]:
        people = []
        for seed in seeds:
            person, _created = person_upsert(
                email=seed.email,
                first_name=seed.first_name,
                last_name=seed.last_name,
                organization=self.organizations[seed.organization],
                job_title=seed.job_title,
                profile_type=seed.profile_type,
                gender=seed.gender,
                minority=seed.minority,
                phone=seed.phone,
                expertise=seed.expertise,
            )
            self.people[seed.email] = person
            people.append(person)
        return people

    # --- cohorts ----------------------------------------------------------------------------
    def cohort(
        self,
        *,
        program: str,
        name_he: str,
        name_en: str,
        start: date,
        end: date,
        target_size: int,
        budget: int | None,
        targets: Mapping[tuple[str, str], Bounds],
        follows_calendar: bool = False,
    ) -> Cohort:
        dates = {"start_date": start, "end_date": end}
        cohort, _created = _upsert(
            Cohort,
            {"program": self.programs[program], "name_he": name_he},
            {
                "name_en": name_en,
                "target_size": target_size,
                "budget": None if budget is None else Decimal(budget),
                **({} if follows_calendar else dates),
            },
            create_only=dates if follows_calendar else None,
        )
        for (dimension, category), (low, high) in targets.items():
            _upsert(
                CompositionTarget,
                {"cohort": cohort, "dimension": dimension, "category": category},
                {"min_percent": _percent(low), "max_percent": _percent(high)},
            )
        return cohort

    def enroll(self, cohort: Cohort, people: list[Person], *, final_status: str, by: User) -> bool:
        """Enroll everyone as active, then move them on; only while the cohort has no one yet."""
        if Enrollment.objects.filter(cohort=cohort).exists():
            return False
        for person in people:
            enrollment, _created = enrollment_add(
                cohort=cohort, person=person, status=EnrollmentStatus.ACTIVE, by=by
            )
            if final_status != EnrollmentStatus.ACTIVE:
                enrollment_set_status(enrollment=enrollment, status=final_status, by=by)
        return True

    def schedule(
        self,
        cohort: Cohort,
        program: str,
        seeds: list[SessionSeed],
        *,
        attendees: Callable[[SessionSeed], list[Person]],
        rng: random.Random,
        by: User,
        unrecorded: int = 0,
        always_present: Iterable[int] = (),
    ) -> None:
        """Create the sessions and record attendance for those already over, once per cohort.

        ``unrecorded`` of the latest finished sessions are left without attendance, so the
        coordinator has something to do.
        """
        if Session.objects.filter(cohort=cohort).exists():
            return
        domains = self.domains[program]
        sessions = [
            session_create(
                cohort=cohort,
                kind=seed.kind,
                title=seed.title,
                starts_on=seed.starts_on,
                ends_on=seed.ends_on,
                hours=seed.hours,
                location=seed.location,
                domain=None if seed.domain is None else domains[seed.domain],
                description=seed.description,
            )
            for seed in seeds
        ]
        over = [
            (seed, s) for seed, s in zip(seeds, sessions, strict=True) if s.last_day < self.today
        ]
        if unrecorded:
            over = over[:-unrecorded]
        everyone = {p.pk: p for seed, _s in over for p in attendees(seed)}
        ordered = sorted(everyone.values(), key=lambda p: p.pk)
        sheets = attendance_marks(
            rng, [s for _seed, s in over], ordered, always_present=always_present
        )
        # Only current members can be marked: someone who has since left keeps no new rows.
        members = set(
            Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES).values_list(
                "person_id", flat=True
            )
        )
        for (seed, session), sheet in zip(over, sheets, strict=True):
            expected = {p.pk for p in attendees(seed)} & members
            marks = {pk: mark for pk, mark in sheet.items() if pk in expected}
            attendance_record(session=session, marks=marks, by=by, today=self.today)

    # --- the program's history --------------------------------------------------------------
    def load_cohorts(self) -> None:
        coordinator = self.user_with_role(Role.COORDINATOR)
        manager = self.user_with_role(Role.MANAGER)
        book = _NameBook()
        for account in data.DEMO_ACCOUNTS:
            book.reserve(account.first_name, account.last_name, account.email)
        rng = _rng("people")
        # Plan everyone before touching the database, in a fixed order, so that names never shift.
        plans = {
            plan.key: plan_people(plan, rng, book)
            for plan in (COHORT_A_PEOPLE, COHORT_B_PEOPLE, COHORT_C_PEOPLE, COHORT_H_PEOPLE)
        }
        people = {key: self.load_people(seeds) for key, seeds in plans.items()}
        past_cohorts: dict[str, Cohort] = {}

        def everyone_in(group: list[Person]) -> Callable[[SessionSeed], list[Person]]:
            return lambda _seed: group

        for past in PAST_COHORTS:
            group = people[past.people.key]
            cohort = self.cohort(
                program=past.program,
                name_he=past.name_he,
                name_en=past.name_en,
                start=past.start,
                end=past.end,
                target_size=past.target_size,
                budget=past.budget,
                targets=past.targets,
            )
            self.enroll(cohort, group, final_status=EnrollmentStatus.GRADUATED, by=coordinator)
            self.schedule(
                cohort,
                past.program,
                past.sessions(),
                attendees=everyone_in(group),
                rng=_rng(past.people.key),
                by=coordinator,
            )
            past_cohorts[past.people.key] = cohort

        self.load_current_cohort(people["government-h"], plans["government-h"], coordinator)
        self.load_network(
            people["government-a"], people["government-b"], past_cohorts["government-b"], manager
        )

    def load_current_cohort(
        self, generated: list[Person], seeds: list[PersonSeed], coordinator: User
    ) -> None:
        """The cohort running now: dates follow today, some attendance is still to be taken."""
        participant = self.user_with_role(Role.PARTICIPANT)
        me = self.people[participant.email]
        members = [me, *generated]
        start = self.today - timedelta(days=CURRENT_STARTED_DAYS_AGO)
        cohort = self.cohort(
            program="government",
            name_he="מחזור ח'",
            name_en="Cohort H",
            start=start,
            end=start + timedelta(days=CURRENT_LENGTH_DAYS),
            target_size=32,
            budget=4_000_000,
            targets=GOVERNMENT_TARGETS,
            follows_calendar=True,
        )
        # One ministry participant left after the first two days, as happens in most cohorts.
        leaver = _rng("government-h:leaver").choice(
            [p for p, s in zip(generated, seeds, strict=True) if s.sector == "government"]
        )
        enrolled_now = self.enroll(
            cohort, members, final_status=EnrollmentStatus.ACTIVE, by=coordinator
        )
        sessions = current_cohort_sessions(cohort.start_date)
        leaves_after = sessions[1].starts_on

        def attendees(seed: SessionSeed) -> list[Person]:
            if seed.starts_on <= leaves_after:
                return members
            return [p for p in members if p.pk != leaver.pk]

        self.schedule(
            cohort,
            "government",
            sessions,
            attendees=attendees,
            rng=_rng("government-h"),
            by=coordinator,
            unrecorded=CURRENT_UNRECORDED,
            always_present=[me.pk],
        )
        if enrolled_now:
            enrollment = Enrollment.objects.get(cohort=cohort, person=leaver)
            enrollment_set_status(
                enrollment=enrollment,
                status=EnrollmentStatus.WITHDREW,
                by=coordinator,
                note="עבר לתפקיד חדש שאינו מאפשר השתתפות בימי התכנית.",
            )
        self.cancel_and_waitlist(cohort, by=coordinator)

    def cancel_and_waitlist(self, cohort: Cohort, *, by: User) -> None:
        """A session called off (kept, marked cancelled) and a short waiting list, once each."""
        from movilim.programs.services import enrollment_add, session_cancel

        coming = Session.objects.filter(cohort=cohort, starts_on__gt=self.today)
        if not coming.filter(cancelled_at__isnull=False).exists():
            last = coming.order_by("-starts_on", "-pk").first()
            if last is not None:
                session_cancel(session=last, reason="נדחה בשל אירוע ממלכתי; מועד חדש יפורסם.")
        if not Enrollment.objects.filter(
            cohort=cohort, status=EnrollmentStatus.WAITLISTED
        ).exists():
            applicants = Person.objects.filter(enrollments__cohort__program__slug="local").exclude(
                enrollments__cohort=cohort
            )
            for person in applicants.order_by("pk")[:2]:
                enrollment_add(
                    cohort=cohort, person=person, status=EnrollmentStatus.WAITLISTED, by=by
                )

    def load_network(
        self, alumni_a: list[Person], alumni_b: list[Person], cohort_b: Cohort, manager: User
    ) -> None:
        """Alumni of cohorts A and B in the network; B's alumni join once their cohort ends."""
        rng = _rng("network")
        fellows_a = rng.sample(alumni_a, 33)
        fellows_b = rng.sample(alumni_b, 38)
        cohort = self.cohort(
            program="network",
            name_he="עמיתי הרשת – מחזורים א'–ב'",
            name_en="Network fellows – cohorts A–B",
            start=date(2016, 3, 1),
            end=date(2018, 6, 30),
            target_size=80,
            budget=None,
            targets=NETWORK_TARGETS,
        )
        self.enroll(
            cohort, fellows_a + fellows_b, final_status=EnrollmentStatus.GRADUATED, by=manager
        )

        def attendees(seed: SessionSeed) -> list[Person]:
            if seed.starts_on <= cohort_b.end_date:
                return fellows_a
            return fellows_a + fellows_b

        self.schedule(
            cohort,
            "network",
            network_sessions(),
            attendees=attendees,
            rng=_rng("network-attendance"),
            by=manager,
        )


@transaction.atomic
def load_demo(*, today: date) -> DemoResult:
    """Load (or top up) the demo world as of ``today``; safe to call again on any later day.

    Raises ``ValidationError`` if the demo password fails the project's password rules, before
    anything is written.
    """
    for account in data.DEMO_ACCOUNTS:
        validate_password(
            data.DEMO_PASSWORD,
            User(email=account.email, first_name=account.first_name, last_name=account.last_name),
        )
    before = counts()
    loader = _Loader(today)
    # Each demo object is saved a few times as it is built up; its search entry is written once.
    with search_index.deferred():
        loader.load_programs()
        loader.load_organizations()
        loader.load_accounts()
        loader.load_cohorts()
        for module in app_demos():
            module.load(today=today)
        operations.load_certificates(today=today)
    return DemoResult(before=before, after=counts())
