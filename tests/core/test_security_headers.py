"""Personal data stays out of caches; browser features no page needs stay off."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ..conftest import World

PRIVATE = "private, no-store"


def test_pages_for_a_signed_in_user_are_not_stored(world: World, client_for) -> None:
    response = client_for("coordinator").get(reverse("programs:cohort", args=[world.cohort.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    person = client_for("participant").get(
        reverse("programs:person", args=[world.participant_person.pk])
    )
    assert person["Cache-Control"] == PRIVATE


def test_exports_are_not_stored(world: World, client_for) -> None:
    for fmt in ("csv", "xlsx"):
        response = client_for("manager").get(
            reverse("programs:cohort_export", args=[world.cohort.pk, fmt])
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Cache-Control"] == PRIVATE


def test_a_view_that_sets_its_own_cache_control_keeps_it(world: World, client_for) -> None:
    # The login page is Django's never_cache view; its stricter header is left alone.
    response = Client().get(reverse("login"))
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_the_same_page_is_private_only_for_a_signed_in_reader(world: World, client_for) -> None:
    anonymous = Client().get(reverse("home"))
    assert anonymous.status_code == 200
    assert not anonymous.has_header("Cache-Control")
    signed_in = client_for("participant").get(reverse("home"))
    assert signed_in["Cache-Control"] == PRIVATE


def test_every_response_switches_off_unused_browser_features(world: World, client_for) -> None:
    responses = [
        Client().get(reverse("login")),
        Client().get(reverse("health")),
        Client().get("/no-such-page/"),
        client_for("admin").get(reverse("programs:list")),
        client_for("manager").get(reverse("programs:cohort_export", args=[world.cohort.pk, "csv"])),
        Client().get("/static/core/movilim.css"),
    ]
    for response in responses:
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, (response.status_code, policy)
    static = responses[-1]
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
