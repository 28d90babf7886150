"""Deterministic benchmark data: 20,000 people in 200 cohorts plus the network of them all.

Written with ``bulk_create``.

The figures a benchmark reports only mean something if every run browses the same data, so all
choices come from one seeded ``random.Random`` and all dates from a fixed anchor day rather than
from the clock. Django must be set up (with ``DATABASE_URL`` pointing at the benchmark database)
before :func:`generate` is called; :mod:`bench.pages` does that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from movilim.core.models import User
from movilim.people.models import Gender, Organization, OrganizationKind, Person, ProfileType
from movilim.programs.models import (
    MEMBER_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    CompositionTarget,
    Dimension,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    LearningDomain,
    Program,
    ProgramKind,
    ProgramRole,
    Session,
    SessionKind,
)

#: Bump when the generated data changes, so that an existing benchmark database is rebuilt.
DATA_VERSION = 3
SEED = 20_000
PEOPLE = 20_000
COHORTS = 200
SESSIONS_PER_COHORT = 15
#: "Today" as far as the data is concerned: cohorts before it are over, after it have not begun.
ANCHOR = date(2026, 11, 1)

COORDINATOR_EMAIL = "coordinator@bench.example.org"
COORDINATOR_PASSWORD = "bench-coordinator-password-2026"
#: A common family name, so that the searched participant list has a realistic share of hits.
SEARCH_TERM = "כהן"
#: A first name written with vowel points: the search folds them away and finds "שרה".
POINTED_SEARCH_TERM = "שָׂרָה"
#: The network cohort that every person belongs to: one roster of 20,000 members.
NETWORK_COHORT_HE = "הרשת כולה"
NETWORK_SESSIONS = 6

BATCH = 5_000

FIRST_NAMES = (
    "נועה", "תמר", "מיכל", "יעל", "שירה", "רונית", "אורית", "דנה", "הילה", "ליאת", "מאיה",
    "עדי", "רחל", "שרה", "אסתר", "לאה", "חנה", "סיגל", "ענבל", "קרן", "אמל", "רים", "סמאח",
    "הבה", "יוסף", "דוד", "משה", "אברהם", "יצחק", "יעקב", "אבי", "רון", "עומר", "איתי",
    "גיל", "אורי", "אלון", "עמית", "יונתן", "נדב", "מוחמד", "אחמד", "עלי", "סאמר", "ח'אלד",
    "ולדימיר", "אלכס", "יבגני", "טל", "שחר",
)  # fmt: skip
LAST_NAMES = (
    "כהן", "לוי", "מזרחי", "פרץ", "ביטון", "דהן", "אברהם", "פרידמן", "אזולאי", "מלכה",
    "כץ", "יוסף", "דוד", "עמר", "אוחיון", "חדד", "גבאי", "בן דוד", "שפירא", "רוזנברג",
    "גולן", "ברק", "אשכנזי", "נחום", "סויסה", "חורי", "עבאס", "מנסור", "ח'טיב", "נסאר",
    "קליין", "וייס", "שטרן", "ברגר", "הורוביץ", "סגל", "טל", "אלון", "שמעוני", "יעקובי",
)  # fmt: skip
JOB_TITLES = (
    "מנהלת אגף", "סגן מנהל אגף", "ראש תחום", "מנהל פרויקטים", "רפרנטית", "מנהלת מערכות מידע",
    "מנכ\"ל", "סמנכ\"לית", "מנהל תפעול", "מהנדסת נתונים", "אנליסט", "מנהלת מוצר",
    "יועצת משפטית", "מנהל רכש", "רכזת קהילה", "מנהל מחלקת שירות", "כלכלנית", "מתכנן ערים",
)  # fmt: skip
EXPERTISE = (
    "עיצוב שירות", "נתונים", "רכש", "אבטחת מידע", "רגולציה", "בינה מלאכותית", "ניהול שינוי",
    "מדיניות ציבורית", "שיתוף ציבור", "ענן", "תשתיות", "חוויית משתמש",
)  # fmt: skip
REGIONS = ("צפון", "חיפה", "מרכז", "תל אביב", "ירושלים", "דרום", "יהודה ושומרון")
PLACES = ("ירושלים", "תל אביב", "חיפה", "באר שבע", "נצרת", "מודיעין", "אשדוד")

#: (kind, how many, Hebrew and English name stems) of the organizations people come from.
ORGANIZATIONS = (
    (OrganizationKind.GOV_HQ, 30, "משרד מטה", "Ministry HQ"),
    (OrganizationKind.GOV_EXECUTION, 50, "יחידת ביצוע ממשלתית", "Government agency"),
    (OrganizationKind.LOCAL_AUTHORITY, 160, "רשות מקומית", "Local authority"),
    (OrganizationKind.CIVIL_SOCIETY, 50, "עמותה", "Non-profit"),
    (OrganizationKind.OTHER, 10, "ארגון", "Organization"),
)

#: Which organization kinds each track recruits from, with weights.
RECRUITS_FROM: dict[str, tuple[tuple[str, int], ...]] = {
    ProgramKind.GOVERNMENT: (
        (OrganizationKind.GOV_HQ, 40),
        (OrganizationKind.GOV_EXECUTION, 50),
        (OrganizationKind.CIVIL_SOCIETY, 5),
        (OrganizationKind.OTHER, 5),
    ),
    ProgramKind.LOCAL: (
        (OrganizationKind.LOCAL_AUTHORITY, 85),
        (OrganizationKind.CIVIL_SOCIETY, 10),
        (OrganizationKind.GOV_EXECUTION, 5),
    ),
    ProgramKind.NETWORK: (
        (OrganizationKind.GOV_HQ, 25),
        (OrganizationKind.GOV_EXECUTION, 25),
        (OrganizationKind.LOCAL_AUTHORITY, 30),
        (OrganizationKind.CIVIL_SOCIETY, 15),
        (OrganizationKind.OTHER, 5),
    ),
    ProgramKind.COMMUNITY: (
        (OrganizationKind.GOV_HQ, 20),
        (OrganizationKind.GOV_EXECUTION, 20),
        (OrganizationKind.LOCAL_AUTHORITY, 30),
        (OrganizationKind.CIVIL_SOCIETY, 25),
        (OrganizationKind.OTHER, 5),
    ),
}

#: (kind, slug, Hebrew name, English name, hours target, cohort length in days, session kinds)
PROGRAMS = (
    (ProgramKind.GOVERNMENT, "gov", "מסלול ממשלתי", "Government track", 200, 300,
     (SessionKind.IN_PERSON, SessionKind.ONLINE)),
    (ProgramKind.LOCAL, "local", "מסלול שלטון מקומי", "Local-government track", 160, 270,
     (SessionKind.IN_PERSON, SessionKind.ONLINE)),
    (ProgramKind.NETWORK, "network", "רשת המובילים", "Leaders network", 60, 360,
     (SessionKind.NETWORK_WORKDAY, SessionKind.ONLINE)),
    (ProgramKind.COMMUNITY, "community", "קהילת הטרנספורמציה", "Transformation community", 40, 360,
     (SessionKind.COMMUNITY_MEETING, SessionKind.ONLINE)),
)  # fmt: skip
SESSION_HOURS = {
    SessionKind.IN_PERSON: Decimal(7),
    SessionKind.ONLINE: Decimal(2),
    SessionKind.STUDY_TOUR: Decimal(35),
    SessionKind.NETWORK_WORKDAY: Decimal(6),
    SessionKind.COMMUNITY_MEETING: Decimal(3),
}
DOMAINS = (
    ("דיגיטציה כמצמצמת פערים", "Digitization as a reducer of social gaps"),
    ("מנהיגות ושינוי ארגוני", "Leadership and organizational change"),
    ("נתונים וקבלת החלטות", "Data and decision making"),
    ("שירות ממוקד אזרח", "Citizen-centred service"),
)


@dataclass
class Summary:
    """What :func:`generate` wrote, for the benchmark's report."""

    organizations: int
    people: int
    cohorts: int
    enrollments: int
    sessions: int
    attendances: int

    def __str__(self) -> str:
        return (
            f"{self.people:,} people, {self.organizations:,} organizations, "
            f"{self.cohorts:,} cohorts, {self.enrollments:,} enrollments, "
            f"{self.sessions:,} sessions, {self.attendances:,} attendance records"
        )


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _statuses(cohort: Cohort, size: int, rng: random.Random) -> list[str]:
    """Enrollment statuses typical of the cohort's stage: recruiting, running or over."""
    if cohort.start_date > ANCHOR:
        options = (
            (EnrollmentStatus.APPLIED, 35),
            (EnrollmentStatus.SELECTED, 40),
            (EnrollmentStatus.WAITLISTED, 15),
            (EnrollmentStatus.DECLINED, 10),
        )
    elif cohort.end_date >= ANCHOR:
        options = (
            (EnrollmentStatus.ACTIVE, 82),
            (EnrollmentStatus.WITHDREW, 6),
            (EnrollmentStatus.WAITLISTED, 6),
            (EnrollmentStatus.DECLINED, 6),
        )
    else:
        options = (
            (EnrollmentStatus.GRADUATED, 80),
            (EnrollmentStatus.WITHDREW, 9),
            (EnrollmentStatus.DECLINED, 7),
            (EnrollmentStatus.WAITLISTED, 4),
        )
    return [_weighted(rng, options) for _ in range(size)]


def _person_fields(rng: random.Random) -> dict[str, Any]:
    return {
        "job_title": rng.choice(JOB_TITLES),
        "profile_type": _weighted(
            rng,
            (
                (ProfileType.POLICY, 50),
                (ProfileType.TECHNOLOGY, 30),
                (ProfileType.BOTH, 15),
                ("", 5),
            ),
        ),
        "gender": _weighted(
            rng, ((Gender.FEMALE, 52), (Gender.MALE, 45), (Gender.OTHER, 1), ("", 2))
        ),
        "minority": rng.choices((True, False, None), weights=(15, 72, 13))[0],
        "phone": f"05{rng.randint(0, 9)}-{rng.randint(1_000_000, 9_999_999)}",
        "expertise": ", ".join(rng.sample(EXPERTISE, rng.randint(0, 3))),
    }


@transaction.atomic
def generate(seed: int = SEED) -> Summary:
    """Write the whole data set in one transaction, so an interrupted run leaves nothing behind.

    The database must be freshly migrated and empty; the caller records completion.
    """
    rng = random.Random(seed)
    unusable = make_password(None)  # participants sign in only after a password reset

    # --- staff -------------------------------------------------------------------------------
    coordinator = User.objects.create_user(
        email=COORDINATOR_EMAIL,
        password=COORDINATOR_PASSWORD,
        first_name="רכזת",
        last_name="הבנצ'מרק",
    )

    # --- programs, domains, cohorts ------------------------------------------------------------
    programs = Program.objects.bulk_create(
        Program(
            kind=kind,
            slug=slug,
            name_he=name_he,
            name_en=name_en,
            hours_target=target,
            description_he=f"{name_he}: תכנית להובלת טרנספורמציה דיגיטלית בשירות הציבורי.",
        )
        for kind, slug, name_he, name_en, target, _days, _kinds in PROGRAMS
    )
    ProgramRole.objects.bulk_create(
        ProgramRole(user=coordinator, program=program, role="coordinator") for program in programs
    )
    all_domains = LearningDomain.objects.bulk_create(
        LearningDomain(program=program, name_he=he, name_en=en, position=position)
        for program in programs
        for position, (he, en) in enumerate(DOMAINS)
    )
    domains_of = {p.pk: [d for d in all_domains if d.program_id == p.pk] for p in programs}
    spec_of = {p.pk: spec for p, spec in zip(programs, PROGRAMS, strict=True)}

    per_program = COHORTS // len(programs)
    cohort_rows = []
    for program in programs:
        length = spec_of[program.pk][5]
        for number in range(1, per_program + 1):
            # Eight years of cohorts up to a few months past the anchor, a few running at once.
            start = ANCHOR - timedelta(days=8 * 365) + timedelta(days=(number - 1) * 60)
            start += timedelta(days=rng.randint(0, 20))
            cohort_rows.append(
                Cohort(
                    program=program,
                    name_he=f"מחזור {number}",
                    name_en=f"Cohort {number}",
                    start_date=start,
                    end_date=start + timedelta(days=length),
                    target_size=rng.choice((90, 100, 110)),
                    budget=Decimal(rng.randrange(400_000, 1_500_000, 10_000)),
                )
            )
    cohorts = Cohort.objects.bulk_create(cohort_rows)

    targets = []
    for cohort in cohorts:
        targets += [
            CompositionTarget(
                cohort=cohort,
                dimension=Dimension.GENDER,
                category=Gender.FEMALE,
                min_percent=Decimal(40),
                max_percent=Decimal(60),
            ),
            CompositionTarget(
                cohort=cohort,
                dimension=Dimension.MINORITY,
                category="yes",
                min_percent=Decimal(15),
            ),
            CompositionTarget(
                cohort=cohort,
                dimension=Dimension.PROFILE,
                category=ProfileType.TECHNOLOGY,
                min_percent=Decimal(25),
                max_percent=Decimal(50),
            ),
        ]
        if cohort.program.kind == ProgramKind.GOVERNMENT:
            targets.append(
                CompositionTarget(
                    cohort=cohort,
                    dimension=Dimension.MINISTRY_TYPE,
                    category=OrganizationKind.GOV_EXECUTION,
                    min_percent=Decimal(40),
                )
            )
    CompositionTarget.objects.bulk_create(targets)

    # --- organizations -------------------------------------------------------------------------
    organization_rows = []
    for kind, count, stem_he, stem_en in ORGANIZATIONS:
        for number in range(1, count + 1):
            organization_rows.append(
                Organization(
                    kind=kind,
                    name_he=f"{stem_he} {number}",
                    name_en=f"{stem_en} {number}",
                    region=rng.choice(REGIONS) if kind == OrganizationKind.LOCAL_AUTHORITY else "",
                )
            )
    organizations = Organization.objects.bulk_create(organization_rows)
    organizations_of: dict[str, list[Organization]] = {}
    for organization in organizations:
        organizations_of.setdefault(organization.kind, []).append(organization)

    # --- people: each recruited into one cohort, with the organization kinds its track takes --
    sizes = [PEOPLE // COHORTS] * COHORTS
    for _ in range(COHORTS):  # move people between cohorts so that sizes vary, total unchanged
        a, b = rng.randrange(COHORTS), rng.randrange(COHORTS)
        shift = rng.randint(0, 12)
        if sizes[a] - shift >= 80 and sizes[b] + shift <= 120:
            sizes[a] -= shift
            sizes[b] += shift
    home_cohort = [c for c, size in zip(cohorts, sizes, strict=True) for _ in range(size)]

    users = []
    profiles: list[tuple[Organization | None, dict[str, Any]]] = []
    for number, cohort in enumerate(home_cohort):
        users.append(
            User(
                email=f"person{number:05d}@bench.example.org",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=unusable,
            )
        )
        fields = _person_fields(rng)
        recruited_from = _weighted(rng, RECRUITS_FROM[cohort.program.kind])
        employer = None if rng.random() < 0.02 else rng.choice(organizations_of[recruited_from])
        profiles.append((employer, fields))
    users = User.objects.bulk_create(users, batch_size=BATCH)
    people = Person.objects.bulk_create(
        (
            Person(user=user, organization=employer, **fields)
            for user, (employer, fields) in zip(users, profiles, strict=True)
        ),
        batch_size=BATCH,
    )

    # --- enrollments: home cohorts, plus alumni joining the network and the community ---------
    enrollment_rows: list[Enrollment] = []
    by_cohort: dict[int, list[Person]] = {}
    for person, cohort in zip(people, home_cohort, strict=True):
        by_cohort.setdefault(cohort.pk, []).append(person)
    alumni = [
        person
        for person, cohort in zip(people, home_cohort, strict=True)
        if cohort.program.kind in (ProgramKind.GOVERNMENT, ProgramKind.LOCAL)
        and cohort.end_date < ANCHOR
    ]
    for cohort in cohorts:
        members = by_cohort[cohort.pk]
        if cohort.program.kind in (ProgramKind.NETWORK, ProgramKind.COMMUNITY) and alumni:
            members = members + rng.sample(alumni, min(len(alumni), rng.randint(10, 20)))
        for person, status in zip(members, _statuses(cohort, len(members), rng), strict=True):
            enrollment_rows.append(Enrollment(cohort=cohort, person=person, status=status))
    enrollments = Enrollment.objects.bulk_create(enrollment_rows, batch_size=BATCH)
    EnrollmentStatusChange.objects.bulk_create(
        (
            EnrollmentStatusChange(enrollment=e, to_status=e.status, changed_by=coordinator)
            for e in enrollments
        ),
        batch_size=BATCH,
    )

    # --- sessions, and attendance for those already held ---------------------------------------
    session_rows = []
    for cohort in cohorts:
        kinds = spec_of[cohort.program_id][6]
        domains = domains_of[cohort.program_id]
        count = SESSIONS_PER_COHORT + rng.randint(-2, 2)
        span = (cohort.end_date - cohort.start_date).days
        for number in range(count):
            session_kind = rng.choice(kinds)
            starts_on = cohort.start_date + timedelta(days=span * number // count)
            ends_on = None
            if cohort.program.kind == ProgramKind.GOVERNMENT and number == count // 2:
                session_kind, ends_on = SessionKind.STUDY_TOUR, starts_on + timedelta(days=4)
            session_rows.append(
                Session(
                    cohort=cohort,
                    kind=session_kind,
                    title=f"מפגש {number + 1}: {rng.choice(DOMAINS)[0]}",
                    starts_on=starts_on,
                    ends_on=ends_on,
                    hours=SESSION_HOURS[session_kind],
                    location="" if session_kind == SessionKind.ONLINE else rng.choice(PLACES),
                    domain=rng.choice(domains) if rng.random() < 0.8 else None,
                )
            )
    sessions = Session.objects.bulk_create(session_rows, batch_size=BATCH)

    attendees: dict[int, list[Enrollment]] = {}
    for enrollment in enrollments:
        if enrollment.status in MEMBER_STATUSES or enrollment.status == EnrollmentStatus.WITHDREW:
            attendees.setdefault(enrollment.cohort_id, []).append(enrollment)
    held: dict[int, list[Session]] = {}
    for session in sessions:
        if session.last_day < ANCHOR:
            held.setdefault(session.cohort_id, []).append(session)
    attendance_options = (
        (AttendanceStatus.PRESENT, 80),
        (AttendanceStatus.PARTIAL, 7),
        (AttendanceStatus.ABSENT, 8),
        (AttendanceStatus.EXCUSED, 5),
    )
    attendance_count = 0
    batch: list[Attendance] = []
    for cohort in cohorts:
        cohort_sessions = held.get(cohort.pk, [])
        if cohort.end_date >= ANCHOR and cohort_sessions and rng.random() < 0.5:
            cohort_sessions = cohort_sessions[:-1]  # a running cohort's last sheet is still due
        for index, session in enumerate(cohort_sessions):
            for enrollment in attendees.get(cohort.pk, []):
                # People who withdrew came to the first few sessions only.
                if enrollment.status == EnrollmentStatus.WITHDREW and index >= 3:
                    continue
                status = _weighted(rng, attendance_options)
                partial = None
                if status == AttendanceStatus.PARTIAL:
                    partial = max(Decimal("0.5"), (session.hours / 2).quantize(Decimal("0.5")))
                batch.append(
                    Attendance(
                        session=session,
                        person_id=enrollment.person_id,
                        status=status,
                        partial_hours=partial,
                        recorded_by=coordinator,
                    )
                )
            if len(batch) >= BATCH:
                Attendance.objects.bulk_create(batch)
                attendance_count += len(batch)
                batch = []
    Attendance.objects.bulk_create(batch)
    attendance_count += len(batch)

    network_enrollments, network_sessions, network_attendance = _network_of_everyone(
        rng, programs, people, coordinator
    )

    return Summary(
        organizations=len(organizations),
        people=len(people),
        cohorts=len(cohorts) + 1,
        enrollments=len(enrollments) + network_enrollments,
        sessions=len(sessions) + network_sessions,
        attendances=attendance_count + network_attendance,
    )


def _network_of_everyone(
    rng: random.Random, programs: list[Program], people: list[Person], coordinator: User
) -> tuple[int, int, int]:
    """One running network cohort with every person a member: the largest roster there is.

    Written after the rest so that the other cohorts are the same as in earlier data versions.
    Returns how many enrollments, sessions and attendance records it added.
    """
    network = next(p for p in programs if p.kind == ProgramKind.NETWORK)
    start = ANCHOR - timedelta(days=180)
    cohort = Cohort.objects.create(
        program=network,
        name_he=NETWORK_COHORT_HE,
        name_en="The whole network",
        start_date=start,
        end_date=start + timedelta(days=360),
        target_size=20_000,
    )
    statuses = (
        (EnrollmentStatus.ACTIVE, 90),
        (EnrollmentStatus.WITHDREW, 4),
        (EnrollmentStatus.WAITLISTED, 6),
    )
    enrollments = Enrollment.objects.bulk_create(
        (Enrollment(cohort=cohort, person=p, status=_weighted(rng, statuses)) for p in people),
        batch_size=BATCH,
    )
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            kind=SessionKind.NETWORK_WORKDAY,
            title=f"יום רשת {number + 1}",
            starts_on=start + timedelta(days=60 * number),
            hours=SESSION_HOURS[SessionKind.NETWORK_WORKDAY],
            location=rng.choice(PLACES),
        )
        for number in range(NETWORK_SESSIONS)
    )
    members = [e for e in enrollments if e.status == EnrollmentStatus.ACTIVE]
    held = [s for s in sessions if s.last_day < ANCHOR]
    written = 0
    for session in held:
        rows = [
            Attendance(
                session=session,
                person_id=e.person_id,
                status=AttendanceStatus.PRESENT if rng.random() < 0.7 else AttendanceStatus.ABSENT,
                recorded_by=coordinator,
            )
            for e in members
        ]
        Attendance.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return len(enrollments), len(sessions), written
