"""One account, one lockout, however the address is typed."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from movilim.core.models import User

from .. import factories


def _login(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.fixture
def evaluator(db) -> User:
    return factories.UserFactory(email="evaluator@example.org")


def test_changing_the_case_does_not_get_round_a_lockout(evaluator) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "evaluator@example.org", "wrong-password-123")
    assert _login(client, "evaluator@example.org", factories.PASSWORD).status_code == 429

    response = _login(client, "  EVALUATOR@Example.ORG ", factories.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock is still there, for every spelling.
    assert _login(client, "evaluator@example.org", factories.PASSWORD).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "evaluator@example.org"
    ]


def test_failures_in_mixed_case_count_towards_one_lockout(evaluator) -> None:
    client = Client()
    for spelling in ("Evaluator@example.org", "EVALUATOR@EXAMPLE.ORG", " evaluator@example.org"):
        for _ in range(2):
            _login(client, spelling, "wrong-password-123")
    assert _login(client, "evaluator@example.org", factories.PASSWORD).status_code == 429


def test_any_case_signs_in_when_not_locked(evaluator) -> None:
    client = Client()
    assert _login(client, " Evaluator@EXAMPLE.org ", factories.PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(evaluator.pk)


def test_the_database_refuses_a_second_account_differing_only_by_case(evaluator) -> None:
    # bulk_create skips save(), which lower-cases; the constraint holds regardless.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Evaluator@Example.org")])
    assert User.objects.filter(email__iexact="evaluator@example.org").count() == 1


def test_forms_name_the_clash_before_the_database_does(evaluator) -> None:
    with pytest.raises(ValidationError) as caught:
        User(email="EVALUATOR@example.org").validate_constraints()
    assert caught.value.messages == [gettext("A user with this e-mail address already exists.")]
