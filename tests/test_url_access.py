"""Every URL, as every role: who may open what, and no POST gets through without a CSRF token.

The table below is the specification. A URL pattern without an entry fails the suite, so a new
page cannot ship without someone deciding who may see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import World

ROLES = (
    "anonymous",
    "participant",
    "outsider",
    "coordinator",
    "manager",
    "evaluator",
    "steering",
    "admin",
)
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
MANAGERS = frozenset({"coordinator", "manager", "admin"})
SEES_PROGRAM = frozenset(
    {"participant", "coordinator", "manager", "evaluator", "steering", "admin"}
)
SEES_ROSTER = frozenset({"participant", "coordinator", "manager", "evaluator", "admin"})


@dataclass(frozen=True)
class Rule:
    """Who may GET the URL (and POST to it, for forms); ``args`` builds its URL arguments."""

    get: frozenset[str]
    args: Callable[[World], list[object]] = field(default=lambda w: [])
    post: frozenset[str] | None = None  # None: GET is the page; POST tested only for CSRF
    post_only: bool = False  # GET answers 405 to those allowed


TABLE: dict[str, Rule] = {
    "home": Rule(EVERYONE),
    "health": Rule(EVERYONE),
    "set_language": Rule(EVERYONE, post=EVERYONE),
    "login": Rule(EVERYONE),
    "logout": Rule(LOGGED_IN, post=LOGGED_IN, post_only=True),
    "password_change": Rule(LOGGED_IN, post=LOGGED_IN),
    "password_change_done": Rule(LOGGED_IN),
    "password_reset": Rule(EVERYONE, post=EVERYONE),
    "password_reset_done": Rule(EVERYONE),
    "password_reset_confirm": Rule(EVERYONE, args=lambda w: ["MQ", "set-password"]),
    "password_reset_complete": Rule(EVERYONE),
    "programs:list": Rule(LOGGED_IN),
    "programs:program": Rule(SEES_PROGRAM, args=lambda w: [w.program.slug]),
    "programs:cohort": Rule(SEES_PROGRAM, args=lambda w: [w.cohort.pk]),
    "programs:cohort_attendance": Rule(SEES_ROSTER, args=lambda w: [w.cohort.pk]),
    "programs:cohort_export": Rule(SEES_ROSTER, args=lambda w: [w.cohort.pk, "csv"]),
    "programs:session_create": Rule(MANAGERS, args=lambda w: [w.cohort.pk], post=MANAGERS),
    "programs:enrollment_status": Rule(MANAGERS, args=lambda w: [w.enrollment.pk], post=MANAGERS),
    "programs:schedule": Rule(LOGGED_IN),
    "programs:session": Rule(SEES_PROGRAM, args=lambda w: [w.session.pk]),
    "programs:session_edit": Rule(MANAGERS, args=lambda w: [w.session.pk], post=MANAGERS),
    "programs:attendance": Rule(MANAGERS, args=lambda w: [w.session.pk], post=MANAGERS),
    "programs:people": Rule(MANAGERS),
    "programs:person": Rule(SEES_ROSTER, args=lambda w: [w.fellow_person.pk]),
    "programs:person_edit": Rule(MANAGERS, args=lambda w: [w.fellow_person.pk], post=MANAGERS),
    "programs:import": Rule(MANAGERS, post=MANAGERS),
    "programs:import_template": Rule(MANAGERS, args=lambda w: ["participants", "csv"]),
    # --- accounts ---
    "invitation_accept": Rule(EVERYONE, args=lambda w: ["MQ", "set-password"]),
    "programs:person_invite": Rule(
        MANAGERS, args=lambda w: [w.fellow_person.pk], post=MANAGERS, post_only=True
    ),
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


def _allowed(response, role: str) -> bool:
    if response.status_code >= 500:
        raise AssertionError(f"server error {response.status_code}")
    if role == "anonymous" and response.status_code == 302:
        return not response["Location"].startswith(reverse("login"))
    return response.status_code < 400


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", APP_NAMES)
def test_get_access(name: str, role: str, world: World, client_for) -> None:
    rule = TABLE[name]
    url = reverse(name, args=rule.args(world))
    response = client_for(role).get(url)
    if role in rule.get and rule.post_only:
        assert response.status_code == 405, (name, role, response.status_code)
        return
    allowed = _allowed(response, role)
    expected = role in rule.get
    assert allowed == expected, (
        f"{name} as {role}: got {response.status_code}, expected {'allow' if expected else 'deny'}"
    )
    if not expected and role != "anonymous":
        assert response.status_code in (403, 404, 405), (name, role, response.status_code)


POST_NAMES = sorted(name for name in APP_NAMES if TABLE[name].post is not None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POST_NAMES)
def test_post_access(name: str, role: str, world: World, client_for) -> None:
    """With a valid CSRF token (the test client's default), POST obeys the same table."""
    rule = TABLE[name]
    assert rule.post is not None
    response = client_for(role).post(reverse(name, args=rule.args(world)), {})
    assert response.status_code < 500, (name, role, response.status_code)
    if role in rule.post:
        assert response.status_code not in (403, 404), (name, role, response.status_code)
        if role == "anonymous" and response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
    else:
        denied = response.status_code in (403, 404) or (
            response.status_code == 302 and response["Location"].startswith(reverse("login"))
        )
        assert denied, (name, role, response.status_code)


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "admin"])
@pytest.mark.parametrize("name", APP_NAMES + ADMIN_NAMES)
def test_post_without_csrf_token_is_refused(name: str, role: str, world: World, client_for) -> None:
    pattern = ALL_PATTERNS[name]
    rule = TABLE.get(name)
    args = rule.args(world) if rule else _admin_args(name, pattern, world)
    client = client_for(role, enforce_csrf_checks=True)
    response = client.post(reverse(name, args=args), {})
    assert response.status_code == 403, (name, role, response.status_code)
    assert "403_csrf.html" in [t.name for t in response.templates], (name, role)


# --- the admin: site administrators only ------------------------------------------------------


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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_is_for_site_administrators_only(
    name: str, role: str, world: World, client_for
) -> None:
    args = _admin_args(name, ALL_PATTERNS[name], world)
    response = client_for(role).get(reverse(name, args=args))
    assert response.status_code < 500, (name, role, response.status_code)
    if role == "admin" or name in ("admin:login", "admin:logout"):
        return
    # Everyone else is sent to a login page or refused; nothing of the admin is shown.
    assert response.status_code in (302, 403, 404, 405), (name, role, response.status_code)
    if response.status_code == 302:
        assert "login" in response["Location"], (name, role, response["Location"])


def test_admin_index_opens_for_the_site_administrator(world: World, client_for) -> None:
    response = client_for("admin").get(reverse("admin:index"))
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(reverse("programs:cohort", args=[world.cohort.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
