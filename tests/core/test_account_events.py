"""Failed logins and every password change leave a lasting, read-only record."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from movilim.core.models import AccountEvent

from .. import factories

Kind = AccountEvent.Kind


pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def user(db):
    return factories.UserFactory(email="dana@example.org")


def test_a_failed_login_is_recorded_with_the_address_and_client(user) -> None:
    client = Client(REMOTE_ADDR="192.0.2.9")
    client.post(reverse("login"), {"username": " DANA@example.org", "password": "wrong-1234567"})
    client.post(reverse("login"), {"username": "ghost@example.org", "password": "wrong-1234567"})
    events = list(AccountEvent.objects.order_by("pk").values_list("kind", "user", "email", "ip"))
    assert events == [
        (Kind.LOGIN_FAILED, user.pk, "dana@example.org", "192.0.2.9"),
        (Kind.LOGIN_FAILED, None, "ghost@example.org", "192.0.2.9"),
    ]
    # Lasting: the record outlives the lockout counters that a successful login clears.
    assert (
        client.post(
            reverse("login"), {"username": user.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    assert AccountEvent.objects.count() == 2


def test_a_password_change_is_recorded(user) -> None:
    client = Client()
    client.force_login(user)
    new = "another-long-passphrase-9"
    response = client.post(
        reverse("password_change"),
        {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert list(AccountEvent.objects.values_list("kind", "user")) == [
        (Kind.PASSWORD_CHANGED, user.pk)
    ]


def test_a_password_reset_is_recorded(user) -> None:
    client = Client()
    client.post(reverse("password_reset"), {"email": user.email})
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(path, follow=True)
    new = "a-brand-new-password-42"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert list(AccountEvent.objects.values_list("kind", "user", "email")) == [
        (Kind.PASSWORD_RESET, user.pk, user.email)
    ]


def test_the_admin_shows_the_events_and_nobody_can_change_them(world, client_for) -> None:
    event = AccountEvent.objects.create(kind=Kind.LOGIN_FAILED, email="x@example.org")
    admin = client_for("admin")
    listing = admin.get(reverse("admin:core_accountevent_changelist"))
    assert listing.status_code == 200 and "x@example.org" in listing.content.decode()
    assert admin.get(reverse("admin:core_accountevent_add")).status_code == 403
    admin.post(reverse("admin:core_accountevent_delete", args=[event.pk]), {"post": "yes"})
    admin.post(
        reverse("admin:core_accountevent_change", args=[event.pk]),
        {"kind": Kind.PASSWORD_CHANGED, "email": "y@example.org"},
    )
    event.refresh_from_db()
    assert (event.kind, event.email) == (Kind.LOGIN_FAILED, "x@example.org")
