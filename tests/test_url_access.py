"""Every URL, as every role: who may open what, and on which program's objects; a refused POST
changes nothing; no POST gets through without a CSRF token; the admin is for site administrators.

The table below is the specification. A URL pattern without an entry fails the suite, so a new
page cannot ship without someone deciding who may see it. Each entry is one test case that asks
every role, on the program's own objects and again on the other program's (``World.mirrored``),
and that fails unless some role got a successful answer: a URL nobody can use is a broken entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from . import factories
from .access_rules import (
    EVERYONE,
    LOGGED_IN,
    MANAGERS,
    MIRROR_ROLE,
    ROLES,
    SEES_PROGRAM,
    SEES_ROSTER,
    Data,
    Rule,
)
from .community.access import RULES as COMMUNITY_RULES
from .conftest import World
from .evaluation.access import RULES as EVALUATION_RULES
from .maturity.access import RULES as MATURITY_RULES
from .notices.access import RULES as NOTICES_RULES
from .programs import manage_helpers as mh
from .projects.access import RULES as PROJECTS_RULES
from .search.access import RULES as SEARCH_RULES
from .surveys.access import RULES as SURVEYS_RULES

# Every test here asks about the same world: it is built, and every role signed in, once.
pytestmark = pytest.mark.usefixtures("module_world")


def _session_form(w: World) -> Data:
    return {
        "title": "יום עיון: שירות ממוקד אזרח",
        "kind": "in_person",
        "starts_on": "2026-03-06",
        "ends_on": "",
        "hours": "7.5",
        "location": "ירושלים",
        "submission_token": str(uuid.uuid4()),
    }


def _person_form(w: World) -> Data:
    return {
        "first_name": "נגה",
        "last_name": "שחר",
        "organization": w.fellow_person.organization_id,
        "job_title": "מנהלת תחום",
        "profile_type": "both",
        "gender": "female",
        "minority": "",
        "phone": "",
        "expertise": "נתונים",
        "bio": "",
    }


def _participants_file(w: World) -> Data:
    csv = (
        "E-mail,First name,Last name,Organization,Job title,Gender,Profile,Minority population\n"
        f"new-{uuid.uuid4().hex[:8]}@example.org,דנה,לוי,,ראש אגף,female,policy,no\n"
    )
    upload = SimpleUploadedFile("people.csv", csv.encode(), content_type="text/csv")
    return {"kind": "participants", "cohort": w.cohort.pk, "file": upload}


#: Each member's attendance and hours: the staff who see the roster, never fellow members.
SEES_ATTENDANCE = SEES_ROSTER - {"participant"}


TABLE: dict[str, Rule] = {
    "home": Rule(EVERYONE),
    "health": Rule(EVERYONE),
    "set_language": Rule(EVERYONE, post=EVERYONE),
    "login": Rule(EVERYONE),
    "logout": Rule(LOGGED_IN, post=LOGGED_IN, post_only=True, data=lambda w: {}),
    "password_change": Rule(
        LOGGED_IN,
        post=LOGGED_IN,
        data=lambda w: {
            "old_password": factories.PASSWORD,
            "new_password1": "another-long-password-2",
            "new_password2": "another-long-password-2",
        },
    ),
    "password_change_done": Rule(LOGGED_IN),
    "password_reset": Rule(EVERYONE, post=EVERYONE),
    "password_reset_done": Rule(EVERYONE),
    "password_reset_confirm": Rule(EVERYONE, args=lambda w: ["MQ", "set-password"]),
    "password_reset_complete": Rule(EVERYONE),
    "programs:list": Rule(LOGGED_IN),
    "programs:program": Rule(SEES_PROGRAM, args=lambda w: [w.program.slug]),
    "programs:cohort": Rule(SEES_PROGRAM, args=lambda w: [w.cohort.pk]),
    "programs:cohort_attendance": Rule(SEES_ATTENDANCE, args=lambda w: [w.cohort.pk]),
    "programs:cohort_export": Rule(SEES_ROSTER, args=lambda w: [w.cohort.pk, "csv"]),
    "programs:session_create": Rule(
        MANAGERS, args=lambda w: [w.cohort.pk], post=MANAGERS, data=_session_form
    ),
    "programs:enrollment_status": Rule(
        MANAGERS,
        args=lambda w: [w.enrollment.pk],
        post=MANAGERS,
        data=lambda w: {"status": "withdrew", "note": "עבר תפקיד"},
    ),
    "programs:schedule": Rule(LOGGED_IN),
    "programs:session": Rule(SEES_PROGRAM, args=lambda w: [w.session.pk]),
    "programs:session_edit": Rule(
        MANAGERS, args=lambda w: [w.session.pk], post=MANAGERS, data=_session_form
    ),
    "programs:attendance": Rule(
        MANAGERS,
        args=lambda w: [w.session.pk],
        post=MANAGERS,
        data=lambda w: {
            f"status_{w.participant_person.pk}": "present",
            f"status_{w.fellow_person.pk}": "absent",
        },
    ),
    "programs:people": Rule(MANAGERS),
    "programs:person": Rule(SEES_ROSTER, args=lambda w: [w.fellow_person.pk]),
    "programs:person_edit": Rule(
        MANAGERS, args=lambda w: [w.fellow_person.pk], post=MANAGERS, data=_person_form
    ),
    "programs:import": Rule(MANAGERS, post=MANAGERS, data=_participants_file),
    "programs:import_template": Rule(MANAGERS, args=lambda w: ["participants", "csv"]),
    # --- management ---
    "programs:program_create": Rule(
        frozenset({"admin"}), post=frozenset({"admin"}), data=mh.program_form
    ),
    "programs:program_edit": Rule(
        frozenset({"manager", "admin"}),
        args=lambda w: [w.program.slug],
        post=frozenset({"manager", "admin"}),
        data=mh.program_edit_form,
    ),
    "programs:cohort_create": Rule(
        frozenset({"manager", "admin"}),
        args=lambda w: [w.program.slug],
        post=frozenset({"manager", "admin"}),
        data=mh.cohort_form,
    ),
    "programs:cohort_edit": Rule(
        frozenset({"manager", "admin"}),
        args=lambda w: [w.cohort.pk],
        post=frozenset({"manager", "admin"}),
        data=mh.cohort_edit_form,
    ),
    "programs:cohort_copy": Rule(
        frozenset({"manager", "admin"}),
        args=lambda w: [w.cohort.pk],
        post=frozenset({"manager", "admin"}),  # needs a second cohort: tests/programs
    ),
    "programs:participant_add": Rule(
        MANAGERS, args=lambda w: [w.cohort.pk], post=MANAGERS, data=mh.new_participant_form
    ),
    "programs:roster_action": Rule(
        MANAGERS,
        args=lambda w: [w.cohort.pk],
        post=MANAGERS,
        post_only=True,
        data=mh.roster_action_form,
    ),
    "programs:waitlist_move": Rule(
        MANAGERS,
        args=lambda w: [w.cohort.pk],
        post=MANAGERS,
        post_only=True,
        data=mh.waitlist_move_form,
    ),
    "programs:cohort_history": Rule(MANAGERS, args=lambda w: [w.cohort.pk]),
    "programs:history_undo": Rule(
        MANAGERS, args=lambda w: [w.cohort.pk], post=MANAGERS, post_only=True
    ),
    "programs:enrollment_move": Rule(MANAGERS, args=lambda w: [w.enrollment.pk], post=MANAGERS),
    "programs:session_cancel": Rule(
        MANAGERS,
        args=lambda w: [w.session.pk],
        post=MANAGERS,
        data=lambda w: {"reason": "שביתה"},
    ),
    "programs:session_delete": Rule(
        MANAGERS,
        args=lambda w: [w.session.pk],
        post=MANAGERS,
        data=lambda w: {"confirm": "1"},
    ),
    "programs:signin_sheet": Rule(MANAGERS, args=lambda w: [w.session.pk]),
    "programs:organizations": Rule(MANAGERS),
    "programs:organization_add": Rule(MANAGERS, post=MANAGERS, data=mh.organization_form),
    "programs:organization_edit": Rule(
        frozenset({"admin"}),
        args=lambda w: [w.fellow_person.organization_id],
        post=frozenset({"admin"}),
        data=mh.organization_form,
    ),
    "programs:organization_merge": Rule(
        frozenset({"admin"}),
        args=lambda w: [w.fellow_person.organization_id],
        post=frozenset({"admin"}),
        data=lambda w: {
            "into": w.participant_person.organization_id,
            "submission_token": mh.token(),
        },
    ),
    # --- calendars, documents, dashboards ---
    "programs:session_ics": Rule(SEES_PROGRAM, args=lambda w: [w.session.pk]),
    "programs:schedule_month": Rule(LOGGED_IN),
    "programs:schedule_export": Rule(LOGGED_IN, args=lambda w: ["xlsx"]),
    "programs:my_dashboard": Rule(frozenset({"participant", "outsider"})),
    "programs:cohort_dashboard": Rule(SEES_ATTENDANCE, args=lambda w: [w.cohort.pk]),
    "programs:program_dashboard": Rule(SEES_ATTENDANCE, args=lambda w: [w.program.slug]),
    "programs:steering_dashboard": Rule(
        SEES_PROGRAM - {"participant"}, args=lambda w: [w.program.slug]
    ),
    "programs:hours_statement": Rule(
        SEES_ATTENDANCE | {"participant"}, args=lambda w: [w.enrollment.pk]
    ),
    "programs:certificate": Rule(
        SEES_ATTENDANCE | {"participant"}, args=lambda w: [w.enrollment.pk]
    ),
    "programs:certificate_verify": Rule(EVERYONE),
    "programs:hours_export": Rule(SEES_ATTENDANCE, args=lambda w: [w.cohort.pk, "csv"]),
    "programs:attendance_export": Rule(SEES_ATTENDANCE, args=lambda w: [w.cohort.pk, "xlsx"]),
    # --- accounts ---
    "invitation_accept": Rule(EVERYONE, args=lambda w: ["MQ", "set-password"]),
    "programs:person_invite": Rule(
        MANAGERS, args=lambda w: [w.fellow_person.pk], post=MANAGERS, post_only=True
    ),
    **NOTICES_RULES,
    **PROJECTS_RULES,
    **MATURITY_RULES,
    **SURVEYS_RULES,
    **EVALUATION_RULES,
    **COMMUNITY_RULES,
    **SEARCH_RULES,
}


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


ALL_PATTERNS = dict(_walk(get_resolver()))
APP_NAMES = sorted(name for name in ALL_PATTERNS if not name.startswith("admin:"))
ADMIN_NAMES = sorted(name for name in ALL_PATTERNS if name.startswith("admin:"))


def test_every_url_has_an_access_rule() -> None:
    missing = [name for name in APP_NAMES if name not in TABLE]
    stale = [name for name in TABLE if name not in ALL_PATTERNS]
    assert not missing, f"URLs without an entry in the access table: {missing}"
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


def test_every_url_has_an_access_rule_fails_for_an_unknown_url() -> None:
    """The check above is real: a pattern missing from the table is reported."""
    table_without = {k: v for k, v in TABLE.items() if k != "programs:cohort"}
    assert [n for n in APP_NAMES if n not in table_without] == ["programs:cohort"]


# --- answers ----------------------------------------------------------------------------------


def _to_login(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        (reverse("login"), reverse("admin:login"))
    )


def _successful(response: HttpResponse) -> bool:
    """A 2xx, or a redirect anywhere but to a login page."""
    return 200 <= response.status_code < 300 or (
        300 <= response.status_code < 400 and not _to_login(response)
    )


def _refused(response: HttpResponse, role: str, codes: tuple[int, ...] = (403, 404, 405)) -> bool:
    """Anonymous visitors are sent to log in; everyone else gets one of ``codes``."""
    if role == "anonymous":
        return _to_login(response)
    return response.status_code in codes


def _state_queries() -> list[tuple[str, str]]:
    quote = connection.ops.quote_name
    return [
        (
            model._meta.label,
            # Quoted names of the project's own tables, no input.
            f"SELECT * FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"ORDER BY {quote(model._meta.pk.column)}",
        )
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def database_state() -> dict[str, tuple[tuple[object, ...], ...]]:
    """Every row of every table (sessions, the audit log and many-to-many links included), to
    compare before/after. Read with plain SQL: the table is asked about a few thousand times, and
    building the ORM's queries cost more than reading the rows."""
    with connection.cursor() as cursor:
        state = {}
        for label, sql in _state_queries():
            cursor.execute(sql)
            state[label] = tuple(cursor.fetchall())
    return state


def _changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# --- the table --------------------------------------------------------------------------------


@dataclass
class Check:
    """One URL of the table asked by every role; ``problems`` collects what went wrong."""

    name: str
    rule: Rule
    clients: dict[str, Client]
    problems: list[str] = field(default_factory=list)
    successes: list[str] = field(default_factory=list)
    state: dict[str, Any] | None = None  # the database as the last refused POST left it

    def get(self, url: str, allowed: frozenset[str], label: str) -> None:
        for role in ROLES:
            response = self.clients[role].get(url)
            code = response.status_code
            if code >= 500:
                self.problems.append(f"GET {label} as {role}: server error {code}")
            elif role in allowed and self.rule.post_only:
                if code != 405:
                    self.problems.append(f"GET {label} as {role}: {code}, expected 405")
            elif role in allowed and not _successful(response):
                self.problems.append(f"GET {label} as {role}: {code}, expected allow")
            elif role not in allowed and not _refused(response, role):
                self.problems.append(f"GET {label} as {role}: {code}, expected deny")
            elif role in allowed and label == "own":
                self.successes.append(f"GET as {role}")

    def refused_post(self, role: str, url: str, data: Data, label: str, *, by_url: bool) -> None:
        """POST as a role that may not: nothing in the database changes. ``by_url``: the URL
        itself names what the role may not touch, so the answer must be a refusal too."""
        # Refused POSTs follow one another: the state after one is the state before the next.
        before = self.state if self.state is not None else database_state()
        response = self.clients[role].post(url, data)
        self.state = database_state()
        changed = _changed_tables(before, self.state)
        code = response.status_code
        if code >= 500:
            self.problems.append(f"POST {label} as {role}: server error {code}")
        elif by_url and not _refused(response, role, (403, 404)):
            self.problems.append(f"POST {label} as {role}: {code}, expected deny")
        if changed:
            self.problems.append(f"POST {label} as {role} ({code}) changed {changed}")


def _mirror(roles: frozenset[str]) -> frozenset[str]:
    """The roles allowed on the other program's object, given those allowed on the program's."""
    return frozenset(role for role in ROLES if MIRROR_ROLE[role] in roles)


def _form_signature(data: Data) -> dict[str, object]:
    return {
        key: value.file.getvalue() if isinstance(value, SimpleUploadedFile) else value
        for key, value in data.items()
        if key != "submission_token"
    }


def _prover(allowed: frozenset[str]) -> str:
    """The allowed role whose POST must change the database."""
    for role in ("coordinator", "participant", "admin", *ROLES):
        if role in allowed:
            return role
    raise AssertionError("no role may POST")


@pytest.mark.parametrize("name", APP_NAMES)
def test_access(name: str, world: World, client_for) -> None:
    """GET (and POST) as every role, on this program's objects and on the other program's."""
    rule = TABLE[name]
    check = Check(name, rule, {role: client_for(role) for role in ROLES})
    mirror = world.mirrored()
    url = reverse(name, args=rule.args(world))
    other_url = reverse(name, args=(rule.other or rule.args)(mirror))
    data = rule.data or (lambda w: {})
    # The other program's object is named in the URL, or only in the form (an import's cohort).
    other_in_url = other_url != url
    other_in_form = _form_signature(data(mirror)) != _form_signature(data(world))

    check.get(url, rule.get, "own")
    if other_in_url:
        check.get(other_url, _mirror(rule.get), "other program's")

    if rule.post is not None:
        for role in sorted(EVERYONE - rule.post):
            check.refused_post(role, url, data(world), "own", by_url=True)
        if other_in_url or other_in_form:
            for role in sorted(EVERYONE - _mirror(rule.post)):
                check.refused_post(
                    role, other_url, data(mirror), "other program's", by_url=other_in_url
                )
        check.state = None  # the allowed POSTs below may change it
        for role in sorted(rule.post):
            # An empty form: let in (a 400 for its errors is fine), not refused or sent to log in.
            response = check.clients[role].post(url, {})
            code = response.status_code
            if code >= 500 or code in (403, 404) or _to_login(response):
                check.problems.append(f"POST own as {role}: {code}, expected allow")
            elif _successful(response):
                check.successes.append(f"POST as {role}")
        if rule.data is not None:
            # The same form from a role that may send it does change something: the refusals
            # above kept the database as it was, not a form that could never be saved.
            role = _prover(rule.post)
            client = client_for(role)
            before = database_state()
            response = client.post(url, data(world))
            if not _changed_tables(before, database_state()):
                check.problems.append(
                    f"POST own as {role} ({response.status_code}) changed nothing: "
                    "the table's form is not one that an allowed role can save"
                )
            elif _successful(response):
                check.successes.append(f"POST of the form as {role}")

    assert not check.problems, f"{name}:\n  " + "\n  ".join(check.problems)
    # Zulip's rule: every URL is shown to work for someone, not only to refuse everyone.
    assert check.successes, (
        f"{name}: no role got a successful answer (for a form, give the rule data=...)"
    )


def test_the_other_program_check_is_real(world: World) -> None:
    """Object URLs of the table do change under the mirror, and staff of the program are
    expected to be refused there."""
    for name in ("programs:cohort", "programs:session", "programs:enrollment_status"):
        rule = TABLE[name]
        assert rule.args(world.mirrored()) != rule.args(world), name
        assert "coordinator" in rule.get
        assert "coordinator" not in _mirror(rule.get)
        assert "outsider" in _mirror(rule.get) or "participant" not in rule.get
    assert world.mirrored().mirrored() == world


def test_every_object_url_is_also_asked_about_the_other_programs_object(world: World) -> None:
    """A URL that takes a record's key names a program's object: unless its rule says which of
    the other program's objects to try instead, the check above would silently skip it."""
    mirror = world.mirrored()
    unchecked = [
        name
        for name in APP_NAMES
        if any(isinstance(c, IntConverter) for c in ALL_PATTERNS[name].pattern.converters.values())
        and (TABLE[name].other or TABLE[name].args)(mirror) == TABLE[name].args(world)
    ]
    assert not unchecked, (
        f"{unchecked}: give the rule other=lambda w: [...] naming the other program's object "
        "(or add the object to World.mirrored)"
    )


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(reverse("programs:cohort", args=[world.cohort.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- CSRF -------------------------------------------------------------------------------------

# A few admin forms, from the sign-in to a bulk action on a list.
ADMIN_FORMS = (
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:core_user_changelist",
    "admin:core_user_add",
    "admin:programs_cohort_change",
    "admin:programs_cohort_delete",
)
# Forms that anyone may send, signed in or not.
PUBLIC_FORMS = ("login", "password_reset", "set_language")


def test_posts_without_a_csrf_token_are_refused(world: World, client_for) -> None:
    """Every app URL as a signed-in coordinator, the public forms as an anonymous visitor, a
    few admin forms as the site administrator: 403 with the CSRF page, and nothing saved."""
    cases = (
        [("coordinator", name) for name in APP_NAMES]
        + [("anonymous", name) for name in PUBLIC_FORMS]
        + [("admin", name) for name in ADMIN_FORMS]
    )
    clients = {role: client_for(role, enforce_csrf_checks=True) for role, _ in cases}
    # The URLs and forms first: an entry's args may create the object its URL names.
    requests = []
    for role, name in cases:
        rule = TABLE.get(name)
        args = rule.args(world) if rule else _admin_args(name, ALL_PATTERNS[name], world)
        data = rule.data(world) if rule and rule.data else {}
        requests.append((role, name, reverse(name, args=args), data))
    before = database_state()
    problems = []
    for role, name, url, data in requests:
        response = clients[role].post(url, data)
        templates = [t.name for t in response.templates]
        if response.status_code != 403 or "403_csrf.html" not in templates:
            problems.append(f"{name} as {role}: {response.status_code} {templates[:1]}")
    assert not problems, problems
    assert _changed_tables(before, database_state()) == []


# --- the admin: site administrators only ------------------------------------------------------

# Admin URLs that refuse even a site administrator, each for its reason.
ADMIN_ERRORS_FOR_ADMIN = frozenset(
    {
        "admin:logout",  # GET: 405, logging out is a POST
        "admin:autocomplete",  # 403 without the query parameters a widget sends
        "admin:view_on_site",  # 404: no model has a page of its own to send to
        # Written by the application only: the audit trail and the lockout records.
        "admin:auditlog_logentry_add",
        "admin:auditlog_logentry_delete",
        "admin:axes_accessattempt_add",
        "admin:axes_accessfailurelog_add",
        "admin:axes_accesslog_add",
        "admin:core_accountevent_add",
        "admin:core_accountevent_delete",
        "admin:core_invitation_add",
        "admin:core_invitation_delete",
        "admin:django_tasks_database_dbtaskresult_add",
        "admin:django_tasks_database_dbtaskresult_delete",
    }
)


def _admin_args(name: str, pattern: URLPattern, world: World) -> list[object]:
    """Fill an admin URL's arguments with a real object's key where the URL names a model."""
    keys = list(pattern.pattern.regex.groupindex)
    if not keys:
        return []
    short = name.removeprefix("admin:")
    args: list[object] = []
    for key in keys:
        if key == "app_label":
            args.append("programs")
        elif key == "content_type_id":
            args.append(1)
        elif key == "object_id":
            model = None
            for candidate in apps.get_models():
                prefix = f"{candidate._meta.app_label}_{candidate._meta.model_name}_"
                if short.startswith(prefix):
                    model = candidate
            instance = model._default_manager.first() if model else None
            args.append(instance.pk if instance else 1)
        elif key == "id":
            args.append(world.admin.pk)
        else:
            args.append("x")
    return args


@pytest.fixture
def admin_world(world: World) -> World:
    """The world with a row in every model the admin lists, so each object URL names one."""
    Group.objects.create(name="readers")
    factories.AttendanceFactory(session=world.session, person=world.fellow_person)
    AccessAttempt.objects.create(
        username="x@example.org", ip_address="127.0.0.1", failures_since_start=1
    )
    AccessFailureLog.objects.create(username="x@example.org", ip_address="127.0.0.1")
    LogEntry.objects.log_create(world.cohort, action=LogEntry.Action.UPDATE, changes={})
    return world


@pytest.mark.parametrize("role", ["admin", "staff_not_admin", "coordinator", "anonymous"])
def test_admin_is_for_site_administrators_only(role: str, admin_world: World, client_for) -> None:
    client = client_for(role)
    problems = []
    for name in ADMIN_NAMES:
        response = client.get(
            reverse(name, args=_admin_args(name, ALL_PATTERNS[name], admin_world))
        )
        code = response.status_code
        if code >= 500:
            problems.append(f"{name}: server error {code}")
        elif name in ("admin:login", "admin:logout"):
            continue
        elif role == "admin":
            if _successful(response) == (name in ADMIN_ERRORS_FOR_ADMIN):
                problems.append(f"{name}: {code}")
        elif not (_to_login(response) or code in (403, 404, 405)):
            # Everyone else is sent to a login page or refused; nothing of the admin is shown.
            problems.append(f"{name}: {code} {response.get('Location', '')}")
    assert not problems, f"{role}:\n  " + "\n  ".join(problems)


def test_admin_index_opens_for_the_site_administrator(world: World, client_for) -> None:
    response = client_for("admin").get(reverse("admin:index"))
    assert response.status_code == 200
