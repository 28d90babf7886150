"""Logging in and out, lockout after repeated failures, passwords and their reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .. import factories


@pytest.fixture
def user(db):
    return factories.UserFactory(email="dana@example.org")


def _login(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_rotates_the_session_and_logout_ends_it(user) -> None:
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = _login(client, "DANA@example.org", factories.PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    after = client.session.session_key
    assert after and after != before
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()
    assert client.get(reverse("programs:list")).status_code == 302


def test_repeated_failures_lock_the_account_from_that_address(user) -> None:
    client = Client()
    for _ in range(5):
        response = _login(client, user.email, "wrong-password-123")
        assert response.status_code in (200, 429)
    response = _login(client, user.email, factories.PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    other = factories.UserFactory()
    assert _login(Client(), other.email, factories.PASSWORD).status_code == 302


def test_failed_login_says_so_in_hebrew(user) -> None:
    response = _login(Client(), user.email, "nope-nope-nope")
    assert response.status_code == 200
    assert "נא להזין" in response.content.decode() or "שגוי" in response.content.decode()


@pytest.mark.parametrize("password", ["short-pass1", "123456789012", "password1234"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_twelve_character_password_is_accepted() -> None:
    validate_password("Hebrew-Ta1pa")


def test_password_reset_by_mail_lets_the_user_choose_a_new_password(user) -> None:
    client = Client()
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    new = "a-brand-new-password-42"
    response = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_reset_for_an_unknown_address_reveals_nothing(db) -> None:
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_requires_the_old_password(user) -> None:
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-new-password-77",
            "new_password2": "x-new-password-77",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


def _signed_in(user) -> Client:
    client = Client()
    assert _login(client, user.email, factories.PASSWORD).status_code == 302
    assert client.get(reverse("programs:list")).status_code == 200
    return client


def test_an_expired_session_signs_out(user) -> None:
    from django.contrib.sessions.models import Session

    client = _signed_in(user)
    key = client.session.session_key
    past = timezone.now() - timedelta(seconds=1)
    Session.objects.filter(session_key=key).update(expire_date=past)
    response = client.get(reverse("programs:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.cookies["sessionid"].value != key  # a dead key is never taken up again


def test_a_deactivated_or_deleted_user_is_signed_out(user) -> None:
    client = _signed_in(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("programs:list")).status_code == 302
    other = factories.UserFactory(email="gal@example.org")
    client = _signed_in(other)
    other.delete()
    assert client.get(reverse("programs:list")).status_code == 302


def test_a_password_change_elsewhere_signs_out_other_sessions(user) -> None:
    client = _signed_in(user)
    user.set_password("another-long-passphrase")
    user.save()
    assert client.get(reverse("programs:list")).status_code == 302
