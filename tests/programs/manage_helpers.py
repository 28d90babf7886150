"""Objects and forms the management pages' entries of the every-URL table need."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from movilim.programs.models import Cohort, CompositionTarget, Enrollment, Session

from ..conftest import World


def token() -> str:
    return str(uuid.uuid4())


def program_form(w: World) -> dict[str, Any]:
    return {
        "name_he": f"מסלול {uuid.uuid4().hex[:6]}",
        "name_en": "A track",
        "slug": f"track-{uuid.uuid4().hex[:6]}",
        "kind": "government",
        "hours_target": "180",
        "description_he": "",
        "description_en": "",
        "is_active": "on",
        "submission_token": token(),
    }


def program_edit_form(w: World) -> dict[str, Any]:
    return {**program_form(w), "slug": w.program.slug, "hours_target": "190"}


def targets_management(total: int = 3) -> dict[str, Any]:
    return {
        "targets-TOTAL_FORMS": str(total),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "40",
    }


def cohort_form(w: World, *, name: str | None = None) -> dict[str, Any]:
    return {
        "name_he": name or f"מחזור {uuid.uuid4().hex[:6]}",
        "name_en": "",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "target_size": "30",
        "budget": "",
        "submission_token": token(),
        **targets_management(),
        "targets-0-category": "gender:female",
        "targets-0-min_percent": "40",
        "targets-0-max_percent": "60",
    }


def cohort_edit_form(w: World) -> dict[str, Any]:
    return {**cohort_form(w, name=w.cohort.name_he), "target_size": "33"}


def sister_cohort(w: World) -> Cohort:
    """A second cohort of the world's program, with a target and a session to copy."""
    cohort, created = Cohort.objects.get_or_create(
        program=w.program,
        name_he="מחזור קודם",
        defaults={
            "start_date": w.cohort.start_date - datetime.timedelta(days=365),
            "end_date": w.cohort.end_date - datetime.timedelta(days=365),
        },
    )
    if created:
        CompositionTarget.objects.create(
            cohort=cohort, dimension="gender", category="female", min_percent=Decimal(30)
        )
        Session.objects.create(
            cohort=cohort,
            kind="in_person",
            title="מפגש פתיחה",
            starts_on=cohort.start_date + datetime.timedelta(days=10),
            hours=Decimal(6),
        )
    return cohort


def spare_session(w: World) -> Session:
    """A session without attendance, for deleting."""
    session, _created = Session.objects.get_or_create(
        cohort=w.cohort,
        title="נקבע בטעות",
        defaults={"kind": "online", "starts_on": w.cohort.start_date, "hours": Decimal(2)},
    )
    return session


def new_participant_form(w: World) -> dict[str, Any]:
    return {
        "new-email": f"new-{uuid.uuid4().hex[:8]}@example.org",
        "new-first_name": "יעל",
        "new-last_name": "כהן",
        "new-organization": "",
        "new-job_title": "",
        "new-status": "active",
        "new-submission_token": token(),
    }


def roster_action_form(w: World) -> dict[str, Any]:
    """The roster's action, confirmed: the participant graduates."""
    return {
        "action": "graduate",
        "scope": "picked",
        "enrollment": [w.enrollment.pk],
        "q": "",
        "status": "",
        "note": "",
        "count": "1",
        "confirm": "1",
        "submission_token": token(),
    }


def waiting(w: World, n: int = 2) -> list[Enrollment]:
    """``n`` people on the cohort's waiting list, in its order (made once per world)."""
    from movilim.programs import services

    from .. import factories

    found = list(
        Enrollment.objects.filter(cohort=w.cohort, status="waitlisted").order_by(
            "waitlist_position", "pk"
        )
    )
    for _ in range(n - len(found)):
        enrollment, _new = services.enrollment_add(
            cohort=w.cohort, person=factories.PersonFactory(), status="waitlisted", by=None
        )
        found.append(enrollment)
    return found


def waitlist_move_form(w: World) -> dict[str, Any]:
    """Move the second person on the waiting list up to the first place."""
    return {"enrollment": waiting(w)[1].pk, "step": "-1", "submission_token": token()}


def copy_form(w: World) -> dict[str, Any]:
    return {"source": sister_cohort(w).pk, "submission_token": token()}


def organization_form(w: World) -> dict[str, Any]:
    return {
        "name_he": "רשות הבדיקה",  # the same for both programs: organizations are shared
        "name_en": "",
        "kind": "local_authority",
        "region": "צפון",
        "submission_token": token(),
    }
