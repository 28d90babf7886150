"""A cohort's participants one by one or many at once: adding a person, moving them to another
cohort, the roster's actions on the people ticked or on everyone matching its filter, the
waiting list's order, and the status history with its undo."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from movilim.core.forms import redirect_once, status_for
from movilim.people.models import Person

from .. import queries, services
from ..access import cohort_for_management, enrollment_for_management, managed_cohorts
from ..facts import request_facts
from ..forms import (
    ROSTER_ACTION_CHOICES,
    EnrollExistingForm,
    EnrollmentMoveForm,
    NewParticipantForm,
    ParticipantSearchForm,
    RosterActionForm,
    WaitlistMoveForm,
)
from ..models import MEMBER_STATUSES, Enrollment, EnrollmentStatus, EnrollmentStatusChange
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


def _result_messages(request: HttpRequest, result: services.StatusResult, done: str) -> None:
    """Say what an action did: ``done`` for the people changed, then those left as they were
    and the places the waiting list filled."""
    messages.success(request, done)
    if result.unchanged:
        messages.info(
            request,
            ngettext(
                "Left as they were, being so already: %(count)s participant.",
                "Left as they were, being so already: %(count)s participants.",
                result.unchanged,
            )
            % {"count": result.unchanged},
        )
    if result.filled:
        messages.info(
            request,
            ngettext(
                "%(count)s person on the waiting list took a place that was freed.",
                "%(count)s people on the waiting list took places that were freed.",
                result.filled,
            )
            % {"count": result.filled},
        )


def _done_sentence(action: str, count: int, target: Any) -> str:
    if action == "move":
        return ngettext(
            "%(count)s participant was moved to %(cohort)s.",
            "%(count)s participants were moved to %(cohort)s.",
            count,
        ) % {"count": count, "cohort": target.name}
    status = services.ROSTER_ACTIONS[action]
    return ngettext(
        "%(count)s participant is now: %(status)s.",
        "%(count)s participants are now: %(status)s.",
        count,
    ) % {"count": count, "status": EnrollmentStatus(status).label}


#: What the roster's action bar chose: unless all of these are understood, nothing is counted.
CHOICE_FIELDS = {"action", "scope", "enrollment", "q", "status", "submission_token", "__all__"}


@require_POST
def roster_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster's action bar. Sent from the roster, it shows what would happen, to how many,
    and asks to confirm; confirmed, it does it once (a second submission lands on the first's
    result) and leads to the status history, where the whole action can be undone.

    The people concerned are the rows ticked or everyone the roster's search and filter let
    through, counted here and never listed: a cohort may hold the whole network.
    """
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    managed = managed_cohorts(request.user)  # type: ignore[arg-type]
    targets = list(
        managed.filter(program=cohort.program).exclude(pk=cohort.pk).order_by("-start_date")
    )
    form = RosterActionForm(request.POST, targets=targets)
    count: int | None = None
    people: list[Enrollment] = []
    valid = form.is_valid()
    if not set(form.errors) & CHOICE_FIELDS:
        # Who and what are understood (the note or the target cohort may still be wrong).
        data = form.cleaned_data
        selection = queries.roster_selection(
            cohort, managed=managed, picked=form.picked(), query=form.query()
        )
        count = selection.count()
        if form.picked():  # a page's ticks at most: named on the confirmation
            people = list(
                selection.select_related("person__user").order_by(
                    "person__user__last_name", "person__user__first_name", "pk"
                )
            )
        if valid and data["confirm"]:
            target = next((c for c in targets if c.pk == data["target"]), None)

            def act() -> str:
                result = services.roster_change(
                    cohort=cohort,
                    by=request.user,  # type: ignore[arg-type]
                    action=data["action"],
                    picked=form.picked(),
                    query=form.query(),
                    note=data["note"],
                    target=target,
                    expected=data["count"],
                )
                _result_messages(
                    request, result, _done_sentence(data["action"], result.changed, target)
                )
                url = reverse("programs:cohort_history", args=[cohort.pk])
                return f"{url}?{urlencode({'batch': result.batch})}" if result.changed else url

            if (response := redirect_once(request, form, act)) is not None:
                return response
            count = selection.count()  # the action found another number: show the new one
    return render(
        request,
        "programs/manage/roster_action_confirm.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "form": form,
            "count": count,
            "action_label": dict(ROSTER_ACTION_CHOICES).get(form.data.get("action", ""), ""),
            "people": people,
            "has_targets": bool(targets),
            "member_statuses": [(s, EnrollmentStatus(s).label) for s in MEMBER_STATUSES],
        },
        status=status_for(form),
    )


#: Steps the history page shows, latest first.
HISTORY_LIMIT = 200


def _batch(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _history_page(request: HttpRequest, cohort: Any, *, status: int = 200) -> HttpResponse:
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
    batch = _batch(request.GET.get("batch", ""))
    undoable = 0
    if batch is not None:
        undoable = queries.latest_steps(
            EnrollmentStatusChange.objects.filter(
                batch=batch,
                enrollment__cohort__program_id=cohort.program_id,
                enrollment__cohort__in=managed_cohorts(request.user),  # type: ignore[arg-type]
            )
        ).count()
    waiting = services.waitlist(cohort)
    return render(
        request,
        "programs/manage/cohort_history.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "steps": [(step, step.pk in latest) for step in steps],
            "batch": batch if undoable else None,
            "batch_size": undoable,
            "waitlist": [(n, enrollment, uuid.uuid4()) for n, enrollment in enumerate(waiting, 1)],
            "waitlist_size": len(waiting),
        },
        status=status,
    )


@require_http_methods(["GET"])
def cohort_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's recent status changes and its waiting list, in order; after an action on
    the roster (``?batch=``), a button that undoes all of it."""
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    return _history_page(request, cohort)


@require_POST
def history_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a whole action of the roster (``batch``), or single steps of the cohort's status
    history (``change``), each only while it is still its enrollment's latest."""
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    batch = _batch(request.POST.get("batch", ""))
    if batch is not None:
        undone = services.status_batch_undo(cohort=cohort, batch=batch, by=request.user)  # type: ignore[arg-type]
    else:
        ids = [int(v) for v in request.POST.getlist("change") if v.isdigit()]
        undone = services.enrollment_changes_undo(
            changes=EnrollmentStatusChange.objects.filter(pk__in=ids, enrollment__cohort=cohort),
            by=request.user,  # type: ignore[arg-type]
        )
    if undone:
        messages.success(request, _("%(count)s changes were undone.") % {"count": undone})
    else:
        messages.warning(
            request, _("Nothing was undone: only an enrollment's latest change can be undone.")
        )
    return redirect("programs:cohort_history", pk=cohort.pk)


@require_POST
def waitlist_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a person up or down the cohort's waiting list, or to a place by number: the order
    in which the places freed by withdrawals are filled."""
    cohort = cohort_for_management(request.user, pk)  # type: ignore[arg-type]
    form = WaitlistMoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def move() -> str:
            place = services.waitlist_move(
                cohort=cohort,
                enrollment_id=data["enrollment"],
                by=request.user,  # type: ignore[arg-type]
                place=data["place"],
                step=data["step"] or 0,
            )
            person = Person.objects.select_related("user").get(enrollments__pk=data["enrollment"])
            messages.success(
                request,
                _("%(name)s is now number %(place)s on the waiting list.")
                % {"name": person.full_name, "place": place},
            )
            return reverse("programs:cohort_history", args=[cohort.pk]) + "#waitlist-heading"

        if (response := redirect_once(request, form, move)) is not None:
            return response
    for error in [*form.non_field_errors(), *form.errors.get("place", [])]:
        messages.error(request, error)
    if form.errors and not form.non_field_errors() and "place" not in form.errors:
        messages.error(
            request, _("The waiting list was not changed: reload the page and try again.")
        )
    return _history_page(request, cohort, status=400)
