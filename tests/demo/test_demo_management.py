"""The demo shows the management features: a cancelled session and a waiting list."""

from __future__ import annotations

from movilim.programs import services
from movilim.programs.models import Cohort, EnrollmentStatus, Session


def test_the_current_cohort_has_a_cancelled_session_and_a_waiting_list(demo: str) -> None:
    cohort = Cohort.objects.get(program__slug="government", name_en="Cohort H")
    cancelled = Session.objects.filter(cohort=cohort, cancelled_at__isnull=False)
    assert cancelled.count() == 1
    assert cancelled.get().cancel_reason
    waiting = services.waitlist(cohort)
    assert len(waiting) == 2
    assert all(e.status == EnrollmentStatus.WAITLISTED for e in waiting)
