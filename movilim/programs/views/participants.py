"""A cohort's participants one by one or many at once: adding a person, moving them to another
cohort, changing many statuses together, and the status history with its undo."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from movilim.core.forms import redirect_once, status_for
from movilim.people.models import Person

from .. import queries, services
from ..access import cohort_for_management, enrollment_for_management
from ..facts import request_facts
from ..forms import (
    BulkStatusForm,
    EnrollExistingForm,
    EnrollmentMoveForm,
    NewParticipantForm,
    ParticipantSearchForm,
)
from ..models import Enrollment, EnrollmentStatusChange
from ..policies import PersonPolicy

#: People shown for one search on the add page.
FOUND_LIMIT = 20


@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Look for the person first (by name or e-mail); enroll them if found, else create them.

    Only people the user may already edit are offered for enrolling; someone found outside the
    user's programs is named as such and left alone (a site administrator can enroll them).
    """
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    search = ParticipantSearchForm(request.GET if "q" in request.GET else None)
    found: list[dict[str, Any]] = []
    if search.is_valid():
        term = search.cleaned_data["q"].strip()
        people = list(
            Person.objects.filter(queries.people_search(term))
            .select_related("user", "organization")
            .order_by("user__last_name", "user__first_name", "pk")[:FOUND_LIMIT]
        )
        editable = set(
            PersonPolicy(request_facts(request))
            .instances_user_has_permission_for("edit")
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        enrolled = set(
            Enrollment.objects.filter(cohort=cohort, person__in=people).values_list(
                "person_id", flat=True
            )
        )
        found = [
            {
                "person": p,
                "may_enroll": p.pk in editable and p.pk not in enrolled,
                "enrolled": p.pk in enrolled,
                "form": EnrollExistingForm(initial={"person": p.pk}, prefix=f"p{p.pk}"),
            }
            for p in people
        ]
    posted = request.POST if request.method == "POST" else None
    existing = posted.get("form") == "existing" if posted else False
    new_form = NewParticipantForm(None if existing else posted, prefix="new")
    if posted and existing:
        prefix = f"p{posted.get('person_prefix', '')}"
        chosen = EnrollExistingForm(posted, prefix=prefix)
        if chosen.is_valid():
            person = (
                Person.objects.select_related("user")
                .filter(pk=chosen.cleaned_data["person"])
                .first()
            )

            def enroll() -> str:
                enrollment, _created = services.participant_add(
                    cohort=cohort,
                    person=person,
                    status=chosen.cleaned_data["status"],
                    by=request.user,  # type: ignore[arg-type]
                )
                messages.success(
                    request,
                    _("%(name)s was enrolled in the cohort.")
                    % {"name": enrollment.person.full_name},
                )
                return reverse("programs:cohort", args=[cohort.pk])

            if person is None:
                chosen.add_error(None, _("This person no longer exists."))
            elif (response := redirect_once(request, chosen, enroll)) is not None:
                return response
        for error in chosen.non_field_errors():
            messages.error(request, error)
        if chosen.errors and not chosen.non_field_errors():
            messages.error(
                request, _("The person was not enrolled: reload the page and try again.")
            )
    elif posted and new_form.is_valid():
        data = dict(new_form.cleaned_data)

        def create() -> str:
            enrollment, created = services.participant_add(
                cohort=cohort,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                status=data["status"],
                by=request.user,  # type: ignore[arg-type]
                organization=data["organization"],
                job_title=data["job_title"],
            )
            messages.success(
                request,
                (
                    _("%(name)s was added and enrolled in the cohort.")
                    if created
                    else _("%(name)s was enrolled in the cohort.")
                )
                % {"name": enrollment.person.full_name},
            )
            return reverse("programs:cohort", args=[cohort.pk])

        if (response := redirect_once(request, new_form, create)) is not None:
            return response
    return render(
        request,
        "programs/manage/participant_add.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "search": search,
            "searched": search.is_bound,
            "found": found,
            "new_form": new_form,
        },
        status=400 if posted else 200,
    )


@require_http_methods(["GET", "POST"])
def enrollment_move(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = enrollment_for_management(request.user, pk)  # type: ignore[arg-type]
    cohorts = list(
        enrollment.cohort.program.cohorts.exclude(pk=enrollment.cohort_id).order_by("-start_date")  # type: ignore[attr-defined]
    )
    form = EnrollmentMoveForm(request.POST or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        target = next(c for c in cohorts if c.pk == form.cleaned_data["cohort"])

        def move() -> str:
            services.enrollment_move(enrollment=enrollment, cohort=target, by=request.user)  # type: ignore[arg-type]
            messages.success(
                request,
                _("%(name)s was moved to %(cohort)s.")
                % {"name": enrollment.person.full_name, "cohort": target.name},
            )
            return reverse("programs:cohort", args=[target.pk])

        if (response := redirect_once(request, form, move)) is not None:
            return response
    return render(
        request,
        "programs/manage/enrollment_move.html",
        {
            "enrollment": enrollment,
            "cohort": enrollment.cohort,
            "program": enrollment.cohort.program,
            "form": form,
            "has_cohorts": bool(cohorts),
        },
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def roster_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status of the participants ticked on the roster, after a confirmation.

    GET (from the roster's checkboxes) shows who is concerned and asks for the status; POST
    changes them all and leads to the history, where the change can be undone.
    """
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort)
        .select_related("person__user", "cohort")
        .order_by("person__user__last_name", "person__user__first_name", "pk")
    )
    data = request.POST if request.method == "POST" else None
    initial = {
        "enrollment": [int(v) for v in request.GET.getlist("enrollment") if v.isdigit()],
        "status": request.GET.get("status", ""),
    }
    form = BulkStatusForm(data, enrollments=enrollments, initial=initial)
    if data is not None and form.is_valid():
        chosen = set(form.cleaned_data["enrollment"])
        picked = [e for e in enrollments if e.pk in chosen]
        if not data.get("confirm"):
            return render(
                request,
                "programs/manage/roster_bulk_confirm.html",
                {
                    "cohort": cohort,
                    "program": cohort.program,
                    "form": form,
                    "picked": picked,
                    "status_label": dict(form.fields["status"].choices)[  # type: ignore[attr-defined]
                        form.cleaned_data["status"]
                    ],
                },
            )

        def change() -> str:
            steps = services.enrollments_set_status(
                enrollments=picked,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(
                request,
                _("%(count)s status changes were saved. They can be undone below.")
                % {"count": len(steps)},
            )
            url = reverse("programs:cohort_history", args=[cohort.pk])
            if steps:
                url += "?" + urlencode({"batch": ",".join(str(s.pk) for s in steps)})
            return url

        if (response := redirect_once(request, form, change)) is not None:
            return response
    return render(
        request,
        "programs/manage/roster_bulk.html",
        {"cohort": cohort, "program": cohort.program, "form": form},
        status=status_for(form),
    )


#: Steps the history page shows, latest first.
HISTORY_LIMIT = 200


@require_http_methods(["GET"])
def cohort_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's recent status changes and its waiting list, in order."""
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    steps = list(
        EnrollmentStatusChange.objects.filter(enrollment__cohort=cohort)
        .select_related("enrollment__person__user", "changed_by")
        .order_by("-changed_at", "-pk")[:HISTORY_LIMIT]
    )
    latest: set[int] = set()
    seen: set[int] = set()
    for step in steps:
        if step.enrollment_id not in seen:
            seen.add(step.enrollment_id)
            if step.from_status:
                latest.add(step.pk)
    batch = [int(v) for v in request.GET.get("batch", "").split(",") if v.isdigit()]
    return render(
        request,
        "programs/manage/cohort_history.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "steps": [(step, step.pk in latest) for step in steps],
            "batch": [pk for pk in batch if pk in latest],
            "waitlist": services.waitlist(cohort),
        },
    )


@require_POST
def history_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the given steps of the cohort's status history (each still its enrollment's last)."""
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    ids = [int(v) for v in request.POST.getlist("change") if v.isdigit()]
    changes = list(EnrollmentStatusChange.objects.filter(pk__in=ids, enrollment__cohort=cohort))
    undone = services.enrollment_changes_undo(changes=changes, by=request.user)  # type: ignore[arg-type]
    if undone:
        messages.success(request, _("%(count)s changes were undone.") % {"count": undone})
    else:
        messages.warning(
            request, _("Nothing was undone: only an enrollment's latest change can be undone.")
        )
    return redirect("programs:cohort_history", pk=cohort.pk)
