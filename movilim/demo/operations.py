"""The demo's running-the-program data that lives in ``programs`` but is made by its later
steps: a graduate's completion certificate."""

from __future__ import annotations

from datetime import date

from movilim.core.errors import InvalidInput
from movilim.programs.dashboards import earned_hours
from movilim.programs.documents import certificate_issue
from movilim.programs.models import Certificate, Cohort, Enrollment, EnrollmentStatus

COUNTED = (("certificates", Certificate),)


def load_certificates(*, today: date) -> None:
    """A certificate for the first graduate (by e-mail) of the earliest government cohort who
    reached the hours target; issuing is idempotent (the same certificate comes back)."""
    cohort = (
        Cohort.objects.filter(program__slug="government", end_date__lt=today)
        .select_related("program")
        .order_by("start_date")
        .first()
    )
    if cohort is None:
        return
    hours = earned_hours([cohort.pk], today=today)
    target = cohort.program.hours_target
    for enrollment in (
        Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.GRADUATED)
        .select_related("cohort__program", "person")
        .order_by("person__user__email")
    ):
        earned = (hours.get((cohort.pk, enrollment.person_id)) or {}).get("hours") or 0
        if earned >= target:
            try:
                certificate_issue(enrollment=enrollment, today=today)
            except InvalidInput:
                continue
            return
