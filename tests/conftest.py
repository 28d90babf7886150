"""Shared fixtures: a small world with one user per role, built through the real models."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import translation

from movilim.core.models import User
from movilim.programs.models import Cohort, Enrollment, Person, Program, Session

from . import factories

# Folders whose tests share a costly fixture wider than one test: the demo (loaded once for the
# folder) and the browser (one Chromium and its live server). Run in parallel, each folder goes
# whole to one pytest-xdist worker, so the fixture is built once rather than on every worker.
SHARED_FIXTURE_FOLDERS = ("tests/demo/", "tests/browser/")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``-n``'s default distribution, test by test, but with those folders kept together.

    (xdist's own ``loadgroup`` would do, but its ``xdist_group`` marks are lost on pytest 9.)
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FolderScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((f for f in SHARED_FIXTURE_FOLDERS if nodeid.startswith(f)), nodeid)

    return FolderScheduling(config, log)


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
    other_fellow_person: Person  # the outsider's fellow in the other cohort
    enrollment: Enrollment  # the participant's
    other_enrollment: Enrollment  # the outsider's
    staff_not_admin: User  # Django's is_staff, neither superuser nor holding any program role

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def mirrored(self) -> World:
        """The same world seen from the other program: each object of the program swapped for
        its counterpart there, and the participant for the outsider (and back).

        A URL built from the mirror names the other program's objects, so the program's staff
        must be refused where the original URL lets them in.
        """
        swaps = {
            "program": "other_program",
            "cohort": "other_cohort",
            "session": "other_session",
            "participant": "outsider",
            "participant_person": "outsider_person",
            "fellow_person": "other_fellow_person",
            "enrollment": "other_enrollment",
        }
        swaps.update({b: a for a, b in swaps.items()})
        return dataclasses.replace(self, **{a: getattr(self, b) for a, b in swaps.items()})


@pytest.fixture
def world(request: pytest.FixtureRequest, db: None) -> World:
    """The world, built for this test; or, in a module that uses ``module_world``, that one."""
    if "module_world" in request.fixturenames:
        if "transactional_db" in request.fixturenames:
            raise pytest.UsageError("module_world is for tests that run in a transaction")
        return copy.deepcopy(request.getfixturevalue("module_world").world)
    return build_world()


def build_world() -> World:
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
    other_enrollment = factories.EnrollmentFactory(cohort=other_cohort, person=outsider_person)
    other_fellow_person = factories.PersonFactory(user__email="other-fellow@example.org")
    factories.EnrollmentFactory(cohort=other_cohort, person=other_fellow_person)
    admin = factories.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    staff_not_admin = factories.UserFactory(email="staff@example.org", is_staff=True)
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
        other_fellow_person=other_fellow_person,
        enrollment=enrollment,
        other_enrollment=other_enrollment,
        staff_not_admin=staff_not_admin,
        **staff,
    )


@dataclass
class SharedWorld:
    """A world built once for a whole module, with a signed-in session per role."""

    world: World
    sessions: dict[str, str]  # role: session key


@contextmanager
def module_transaction(django_db_blocker: Any) -> Iterator[None]:
    """A transaction held open while a module's tests run and rolled back after them, for data
    that takes long to build and that the tests only read: each test runs in a savepoint of it
    (its ``db`` fixture, set up after a fixture of wider scope), so none sees another's changes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[SharedWorld]:
    """For a module of many short tests on one world: built once, in a transaction rolled back
    when the module is done, with each role signed in once. Each test still runs in its own
    savepoint of it (its ``db`` fixture), so none sees another's changes.

    A module opts in with ``pytestmark = pytest.mark.usefixtures("module_world")``: used that
    way it is set up before the test's ``db``, which must nest inside it. Not for modules with
    transactional tests, which need the database committed.
    """
    from .access_rules import ROLES

    with module_transaction(django_db_blocker):
        world = build_world()
        sessions = {}
        for role in ROLES:
            user = world.user(role)
            if user is not None:
                client = Client()
                client.force_login(user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield SharedWorld(world, sessions)


@pytest.fixture
def client_for(request: pytest.FixtureRequest, world: World):
    """``client_for("coordinator")``: a test client signed in as that role (or anonymous).

    With ``module_world``, the role's session of the module is reused rather than a sign-in per
    client, unless this test has signed the role out.
    """
    shared = (
        request.getfixturevalue("module_world") if "module_world" in request.fixturenames else None
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def make(role: str, **kwargs: object) -> Client:
        client = Client(**kwargs)  # type: ignore[arg-type]
        user = world.user(role)
        key = shared.sessions.get(role) if shared else None
        if key is not None and store().exists(key):
            client.cookies[settings.SESSION_COOKIE_NAME] = key
        elif user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def reference_data(db: None) -> None:
    """Strategic goals and the 7 Lenses matrix come from data migrations, which a transactional
    test (the browser tests) flushes away; the tests that read them ask for them again."""
    from movilim.maturity.reference import ensure_matrix

    ensure_matrix()
