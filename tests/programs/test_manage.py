"""Setting programs and cohorts up in the app: forms, validation, rights, copying a plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from movilim.core.models import SubmissionToken
from movilim.programs.models import Cohort, CompositionTarget, Program, Session

from . import manage_helpers as mh

pytestmark = pytest.mark.usefixtures("module_world")


def _targets(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = mh.targets_management(max(3, len(rows)))
    for n, (category, low, high) in enumerate(rows):
        data |= {
            f"targets-{n}-category": category,
            f"targets-{n}-min_percent": low,
            f"targets-{n}-max_percent": high,
        }
    return data


def _cohort(world, **changes):
    data = mh.cohort_form(world)
    for key in [k for k in data if k.startswith("targets-")]:
        del data[key]
    return {**data, **_targets(), **changes}


def test_a_manager_creates_a_cohort_with_targets_picked_by_category(world, client_for) -> None:
    client = client_for("manager")
    url = reverse("programs:cohort_create", args=[world.program.slug])
    page = client.get(url)
    # The picker offers labelled categories grouped by dimension, not codes to type.
    assert 'value="gender:female"' in page.content.decode()
    assert "<optgroup" in page.content.decode()
    data = _cohort(
        world,
        name_he="מחזור ה",
        **_targets(("gender:female", "40", "60"), ("sector:local", "20", "")),
    )
    response = client.post(url, data)
    cohort = Cohort.objects.get(name_he="מחזור ה")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:cohort", args=[cohort.pk])
    stored = {
        (t.dimension, t.category): (t.min_percent, t.max_percent) for t in cohort.targets.all()
    }
    assert stored == {
        ("gender", "female"): (Decimal(40), Decimal(60)),
        ("sector", "local"): (Decimal(20), None),
    }
    # Sent twice (a double click): one cohort.
    client.post(url, data)
    assert Cohort.objects.filter(name_he="מחזור ה").count() == 1


def test_bad_cohort_input_is_explained_in_hebrew_and_nothing_is_saved(world, client_for) -> None:
    client = client_for("manager")
    url = reverse("programs:cohort_create", args=[world.program.slug])
    cases = {
        "dates": (
            {"start_date": "2026-05-01", "end_date": "2026-04-01"},
            "תאריך הסיום",
        ),
        "min above max": (_targets(("gender:female", "70", "40")), "המקסימום"),
        "minimums over 100": (
            _targets(("gender:female", "70", ""), ("gender:male", "50", "")),
            "100%",
        ),
        "maximums under 100": (
            _targets(
                ("minority:yes", "", "20"),
                ("minority:no", "", "30"),
                ("minority:unknown", "", "10"),
            ),
            "100%",
        ),
        "bounds without a category": (_targets(("", "10", "")), "הקטגוריה"),
        "no bound": (_targets(("gender:other", "", "")), "גבול"),
        "same name": ({"name_he": world.cohort.name_he}, "כבר"),
        "over 100": (_targets(("gender:female", "150", "")), "100"),
    }
    for name, (changes, expected) in cases.items():
        response = client.post(url, _cohort(world, **({"name_he": f"מחזור {name}"} | changes)))
        assert response.status_code == 400, name
        assert expected in response.content.decode(), name
        # What was typed stays on the page.
        assert f"מחזור {name}" in response.content.decode() or name == "same name"
    assert (
        not Cohort.objects.filter(name_he__startswith="מחזור ")
        .exclude(pk__in=[world.cohort.pk, world.other_cohort.pk])
        .exists()
    )


def test_editing_a_cohort_replaces_its_targets(world, client_for) -> None:
    CompositionTarget.objects.create(
        cohort=world.cohort, dimension="gender", category="male", max_percent=Decimal(70)
    )
    client = client_for("manager")
    url = reverse("programs:cohort_edit", args=[world.cohort.pk])
    assert 'value="gender:male" selected' in client.get(url).content.decode()
    data = {
        **_cohort(world, name_he=world.cohort.name_he, target_size="25"),
        **_targets(("profile:technology", "30", "")),
    }
    assert client.post(url, data).status_code == 302
    world.cohort.refresh_from_db()
    assert world.cohort.target_size == 25
    assert [(t.dimension, t.category) for t in world.cohort.targets.all()] == [
        ("profile", "technology")
    ]


def test_a_cohort_cannot_shrink_away_from_its_sessions(world, client_for) -> None:
    response = client_for("manager").post(
        reverse("programs:cohort_edit", args=[world.cohort.pk]),
        _cohort(world, name_he=world.cohort.name_he, start_date="2026-03-01"),
    )
    assert response.status_code == 400
    assert "המפגשים" in response.content.decode()
    world.cohort.refresh_from_db()
    assert world.cohort.start_date == datetime.date(2026, 1, 1)


def test_coordinators_run_cohorts_but_do_not_define_them(world, client_for) -> None:
    coordinator = client_for("coordinator")
    assert (
        coordinator.get(reverse("programs:cohort_edit", args=[world.cohort.pk])).status_code == 403
    )
    assert coordinator.get(reverse("programs:program_create")).status_code == 403
    manager = client_for("manager")
    assert manager.get(reverse("programs:program_create")).status_code == 403
    # A manager of one program is a stranger to the other.
    other = reverse("programs:program_edit", args=[world.other_program.slug])
    assert manager.get(other).status_code == 404
    page = manager.get(reverse("programs:cohort", args=[world.cohort.pk])).content.decode()
    assert reverse("programs:cohort_edit", args=[world.cohort.pk]) in page
    page = coordinator.get(reverse("programs:cohort", args=[world.cohort.pk])).content.decode()
    assert reverse("programs:cohort_edit", args=[world.cohort.pk]) not in page


def test_a_site_administrator_creates_a_program_once(world, client_for) -> None:
    client = client_for("admin")
    data = {**mh.program_form(world), "slug": "new-track", "name_he": "מסלול חדש"}
    assert client.post(reverse("programs:program_create"), data).status_code == 302
    client.post(reverse("programs:program_create"), data)  # a double click
    assert Program.objects.filter(slug="new-track").count() == 1
    assert SubmissionToken.objects.filter(key=data["submission_token"]).count() == 1
    bad = {**mh.program_form(world), "hours_target": "0", "slug": "with space"}
    response = client.post(reverse("programs:program_create"), bad)
    assert response.status_code == 400
    assert "0" in response.content.decode()


def test_a_manager_edits_the_program(world, client_for) -> None:
    client = client_for("manager")
    data = mh.program_edit_form(world)
    assert (
        client.post(reverse("programs:program_edit", args=[world.program.slug]), data).status_code
        == 302
    )
    world.program.refresh_from_db()
    assert world.program.hours_target == 190


def test_copying_a_plan_shifts_the_sessions_by_the_start_dates_difference(
    world, client_for
) -> None:
    source = mh.sister_cohort(world)
    Session.objects.create(
        cohort=source,
        kind="online",
        title="בוטל",
        starts_on=source.start_date + datetime.timedelta(days=20),
        hours=Decimal(2),
        cancelled_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    response = client_for("manager").post(
        reverse("programs:cohort_copy", args=[world.cohort.pk]),
        {"source": source.pk, "submission_token": mh.token()},
    )
    assert response.status_code == 302
    copied = Session.objects.get(cohort=world.cohort, title="מפגש פתיחה")
    assert copied.starts_on - world.cohort.start_date == datetime.timedelta(days=10)
    assert not Session.objects.filter(cohort=world.cohort, title="בוטל").exists()
    assert [(t.dimension, t.category, t.min_percent) for t in world.cohort.targets.all()] == [
        ("gender", "female", Decimal(30))
    ]


def test_copying_from_another_programs_cohort_is_refused(world, client_for) -> None:
    response = client_for("manager").post(
        reverse("programs:cohort_copy", args=[world.cohort.pk]),
        {"source": world.other_cohort.pk, "submission_token": mh.token()},
    )
    assert response.status_code == 400
    assert not Session.objects.filter(cohort=world.cohort).exclude(pk=world.session.pk).exists()


def test_a_create_form_sent_twice_lands_on_the_record_the_first_created(world, client_for) -> None:
    """Program and cohort names are unique, so the second submission of the same form (its
    token the first's) would fail validation with "already exists": it lands where the first
    one went instead, and a new form with the same name is still refused."""
    admin = client_for("admin")
    data = {**mh.program_form(world), "slug": "twice", "name_he": "מסלול פעמיים"}
    first = admin.post(reverse("programs:program_create"), data)
    second = admin.post(reverse("programs:program_create"), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == reverse("programs:program", args=["twice"])
    assert Program.objects.filter(slug="twice").count() == 1

    manager = client_for("manager")
    url = reverse("programs:cohort_create", args=[world.program.slug])
    data = _cohort(world, name_he="מחזור פעמיים")
    first = manager.post(url, data)
    second = manager.post(url, data)
    cohort = Cohort.objects.get(name_he="מחזור פעמיים")
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == reverse("programs:cohort", args=[cohort.pk])

    fresh = manager.post(url, {**data, "submission_token": mh.token()})
    assert fresh.status_code == 400 and "כבר" in fresh.content.decode()
    assert Cohort.objects.filter(name_he="מחזור פעמיים").count() == 1
