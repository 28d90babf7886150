"""Reset mails are limited per address and per client, without telling who has an account."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from .. import factories


@pytest.fixture
def user(db):
    return factories.UserFactory(email="dana@example.org")


def _reset(email: str, ip: str = "192.0.2.1"):
    return Client(REMOTE_ADDR=ip).post(reverse("password_reset"), {"email": email})


def test_an_address_gets_three_reset_mails_an_hour(user, settings) -> None:
    assert settings.PASSWORD_RESET_LIMIT_PER_ADDRESS == 3
    answers = [
        _reset(spelling, ip=f"192.0.2.{n}")
        for n, spelling in enumerate(
            ["dana@example.org", "DANA@example.org", " dana@example.org", "Dana@Example.org"]
        )
    ]
    assert len(mail.outbox) == 3
    # The refused request is answered exactly like the others.
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    other = factories.UserFactory(email="gal@example.org")
    _reset(other.email)
    assert [m.to for m in mail.outbox[3:]] == [[other.email]]


def test_a_client_gets_twenty_reset_requests_an_hour(user, settings) -> None:
    assert settings.PASSWORD_RESET_LIMIT_PER_IP == 20
    for n in range(20):  # unknown addresses count as much as known ones
        assert _reset(f"nobody{n}@example.org").status_code == 302
    answer = _reset(user.email)
    assert answer.status_code == 302 and answer["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    _reset(user.email, ip="198.51.100.7")
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_the_count_starts_again_when_the_window_ends(user, settings) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    settings.PASSWORD_RESET_LIMIT_WINDOW = 1
    _reset(user.email)
    _reset(user.email)
    assert len(mail.outbox) == 1
    time.sleep(1.1)
    _reset(user.email)
    assert len(mail.outbox) == 2
