"""Malformed requests get a clear 4xx, never a server error."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from movilim.core.converters import MAX_DATABASE_ID


def test_ids_in_addresses_are_database_ids_or_no_match(world, client_for) -> None:
    """``<id:…>`` matches 1 to 2⁶³−1 only: a larger number, zero or a padded number is a 404
    from the URL resolver, before any view or query could choke on it."""
    assert resolve(f"/cohorts/{MAX_DATABASE_ID}/").kwargs == {"pk": MAX_DATABASE_ID}
    for path in (
        f"/cohorts/{MAX_DATABASE_ID + 1}/",
        "/cohorts/99999999999999999999/",
        "/cohorts/0/",
        f"/cohorts/0{world.cohort.pk}/",
        "/sessions/99999999999999999999/attendance/",
        "/people/99999999999999999999/edit/",
        "/cohorts/99999999999999999999/sessions/new/",
        "/enrollments/99999999999999999999/status/",
    ):
        with pytest.raises(Resolver404):
            resolve(path)
    client = client_for("admin")
    assert client.get("/cohorts/99999999999999999999/").status_code == 404
    assert client.post("/sessions/99999999999999999999/attendance/").status_code == 404
    assert client.get(f"/cohorts/{world.cohort.pk}/").status_code == 200
    with pytest.raises(NoReverseMatch):
        reverse("programs:cohort", args=[0])


@override_settings(DEBUG=False)
def test_an_unknown_host_header_is_a_400(world) -> None:
    """Django refuses a Host that is not in ALLOWED_HOSTS before authentication has run; the
    error page must not need the signed-in user its menu usually reads."""
    anonymous = Client(raise_request_exception=True)
    signed_in = Client(raise_request_exception=True)
    signed_in.force_login(world.coordinator)
    for client in (anonymous, signed_in):
        response = client.get("/", HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert "evil.example" not in response.content.decode()
        assert client.post("/accounts/login/", HTTP_HOST="evil.example").status_code == 400
    assert signed_in.get("/", HTTP_HOST="testserver").status_code == 200
