"""Shared fixtures: a small world with one user per role, built through the real models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from movilim.core.models import User
from movilim.programs.models import Cohort, Enrollment, Person, Program, Session

from . import factories


@pytest.fixture(autouse=True)
def _hebrew_by_default() -> None:
    translation.activate("he")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Counters kept in the cache (rate limits, lockouts) must not carry over between tests."""
    cache.clear()


@dataclass
class World:
    program: Program
    other_program: Program
    cohort: Cohort
    other_cohort: Cohort
    session: Session
    other_session: Session
    admin: User
    manager: User
    coordinator: User
    evaluator: User
    steering: User
    participant: User
    participant_person: Person
    fellow_person: Person
    outsider: User  # a participant of the other program
    outsider_person: Person
    enrollment: Enrollment

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db: None) -> World:
    program = factories.ProgramFactory(slug="gov")
    other_program = factories.ProgramFactory(slug="local", kind="local")
    cohort = factories.CohortFactory(program=program)
    other_cohort = factories.CohortFactory(program=other_program)
    session = factories.SessionFactory(cohort=cohort, starts_on=datetime.date(2026, 2, 1))
    other_session = factories.SessionFactory(cohort=other_cohort)
    staff = {}
    for role in ("manager", "coordinator", "evaluator", "steering"):
        staff[role] = factories.UserFactory(email=f"{role}@example.org")
        factories.ProgramRoleFactory(user=staff[role], program=program, role=role)
    participant_person = factories.PersonFactory(user__email="participant@example.org")
    enrollment = factories.EnrollmentFactory(cohort=cohort, person=participant_person)
    fellow_person = factories.PersonFactory(user__email="fellow@example.org", gender="male")
    factories.EnrollmentFactory(cohort=cohort, person=fellow_person)
    outsider_person = factories.PersonFactory(user__email="outsider@example.org")
    factories.EnrollmentFactory(cohort=other_cohort, person=outsider_person)
    admin = factories.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    return World(
        program=program,
        other_program=other_program,
        cohort=cohort,
        other_cohort=other_cohort,
        session=session,
        other_session=other_session,
        admin=admin,
        participant=participant_person.user,
        participant_person=participant_person,
        fellow_person=fellow_person,
        outsider=outsider_person.user,
        outsider_person=outsider_person,
        enrollment=enrollment,
        **staff,
    )


@pytest.fixture
def client_for(world: World):
    """``client_for("coordinator")``: a test client logged in as that role (or anonymous)."""

    def make(role: str, **kwargs: object) -> Client:
        client = Client(**kwargs)  # type: ignore[arg-type]
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return make
