"""Apps add menu items and sections to the home page and the profile through the registries,
without the pages importing them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template import engines
from django.urls import reverse

from movilim.core import sections


@pytest.fixture
def extra_sections(settings) -> Iterator[None]:
    """A stand-in for a later app: one menu item, one home section, one profile section."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], _template_dir()]}
    ]
    engines._engines = {}  # pick up the new template directory
    added = [
        sections.menu.register(
            sections.MenuItem(
                "extra", "Extra menu item", 99, lambda r: r.user.email.startswith("co"), "health"
            )
        ),
        sections.home.register(
            sections.Section(
                "extra-home",
                "tests/extra_section.html",
                5,
                lambda request: {"text": f"home for {request.user.email}"},
            )
        ),
        sections.profile.register(
            sections.Section(
                "extra-profile",
                "tests/extra_section.html",
                5,
                lambda request, view: (
                    {"text": f"profile of {view.person.email}"} if view.can_edit else None
                ),
            )
        ),
    ]
    yield
    sections.menu.unregister(added[0].name)
    sections.home.unregister(added[1].name)
    sections.profile.unregister(added[2].name)
    engines._engines = {}


def _template_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).parent / "templates")


def test_registered_sections_appear_where_they_apply(world, client_for, extra_sections) -> None:
    coordinator = client_for("coordinator")
    html = coordinator.get(reverse("home")).content.decode()
    assert "home for coordinator@example.org" in html
    assert "Extra menu item" in html
    # The programs app's own section still shows, after the one ordered before it.
    assert html.index("home for coordinator") < html.index('id="todo"')
    profile = reverse("programs:person", args=[world.fellow_person.pk])
    assert "profile of fellow@example.org" in coordinator.get(profile).content.decode()
    # A section that has nothing for this reader is left out, and so is a hidden menu item.
    evaluator = client_for("evaluator").get(profile).content.decode()
    assert "profile of" not in evaluator
    assert "Extra menu item" not in client_for("evaluator").get(reverse("home")).content.decode()


def test_menu_follows_the_readers_rights(world, client_for) -> None:
    participant = client_for("participant").get(reverse("home")).content.decode()
    coordinator = client_for("coordinator").get(reverse("home")).content.decode()
    people = f'href="{reverse("programs:people")}"'
    assert people in coordinator and people not in participant
    assert f'href="{reverse("programs:schedule")}"' in participant
    assert f'href="{reverse("admin:index")}"' not in coordinator
    assert f'href="{reverse("admin:index")}"' in client_for("admin").get("/").content.decode()
