"""Test data builders (factory_boy). Every object goes through the real models and database."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from movilim.core.models import User
from movilim.people.models import Organization, OrganizationKind, Person
from movilim.programs.models import (
    Attendance,
    Cohort,
    CompositionTarget,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramKind,
    ProgramRole,
    Session,
    SessionKind,
)

PASSWORD = "a-long-test-password-1"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Sequence(lambda n: f"שם{n}")
    last_name = factory.Sequence(lambda n: f"משפחה{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name_he = factory.Sequence(lambda n: f"ארגון {n}")
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    kind = OrganizationKind.GOV_EXECUTION


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    job_title = "מנהלת אגף"
    profile_type = "policy"
    gender = "female"
    minority = False
    phone = "050-0000000"


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    kind = ProgramKind.GOVERNMENT
    name_he = factory.Sequence(lambda n: f"תכנית {n}")
    name_en = factory.Sequence(lambda n: f"Program {n}")
    hours_target = 200


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name_he = factory.Sequence(lambda n: f"מחזור {n}")
    name_en = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    target_size = 40


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)
    status = EnrollmentStatus.ACTIVE


class ProgramRoleFactory(DjangoModelFactory):
    class Meta:
        model = ProgramRole

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = "coordinator"


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    kind = SessionKind.IN_PERSON
    title = factory.Sequence(lambda n: f"מפגש {n}")
    starts_on = datetime.date(2026, 2, 1)
    hours = Decimal(8)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    status = "present"


class CompositionTargetFactory(DjangoModelFactory):
    class Meta:
        model = CompositionTarget

    cohort = factory.SubFactory(CohortFactory)
    dimension = "gender"
    category = "female"
    min_percent = Decimal(40)
    max_percent = Decimal(60)


_sequence = iter(range(10**9))


def members(
    cohort: Cohort,
    n: int,
    *,
    status: str = EnrollmentStatus.ACTIVE,
    person: dict[str, object] | None = None,
    each: Callable[[int], dict[str, object]] | None = None,
) -> list[Person]:
    """``n`` people enrolled in ``cohort``, written in three bulk inserts: for the tests that
    need a page's worth of members, not the save of each (nor its audit and search entries).

    ``person`` sets the people's fields; ``each(i)`` may return more, per person (a name, an
    organization, a gender), to vary them.
    """
    batch = next(_sequence)
    fields: list[dict[str, object]] = []
    for i in range(n):
        values = {"organization": None, **(person or {})}
        if each is not None:
            values.update(each(i))
        fields.append(values)
    users = User.objects.bulk_create(
        [
            User(
                email=f"member{batch}-{i}@example.org",
                first_name=str(f.pop("first_name", f"שם{i}")),
                last_name=str(f.pop("last_name", f"משפחה{i}")),
            )
            for i, f in enumerate(fields)
        ]
    )
    # In the order they were made (by their number in the address), to match ``fields``.
    users = sorted(
        User.objects.filter(email__startswith=f"member{batch}-"),
        key=lambda u: int(u.email.split("-")[1].split("@")[0]),
    )
    defaults = {
        "job_title": "מנהלת אגף",
        "profile_type": "policy",
        "gender": "female",
        "minority": False,
    }
    Person.objects.bulk_create(
        [Person(user=user, **{**defaults, **f}) for user, f in zip(users, fields, strict=True)]
    )
    people = list(Person.objects.filter(user__in=users).select_related("user").order_by("pk"))
    Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, person=p, status=status) for p in people]
    )
    return people
