"""Setting programs and cohorts up: their details, dates and composition targets, and a new
cohort's plan copied from an earlier one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from movilim.core.forms import redirect_once, status_for

from .. import services
from ..access import cohort_for_setup, program_for_setup
from ..facts import request_facts
from ..forms import CohortCopyForm, CohortForm, ProgramForm, TargetFormSet, target_initial
from ..models import Cohort, Program
from ..policies import ProgramSetupPolicy


@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    if not ProgramSetupPolicy(request_facts(request)).user_has_permission("create"):
        raise PermissionDenied
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            program = services.program_save(program=None, **form.program_fields())
            messages.success(request, _("The program was created."))
            return reverse("programs:program", args=[program.slug])

        if (response := redirect_once(request, form, create)) is not None:
            return response
    return render(
        request,
        "programs/manage/program_form.html",
        {"form": form, "program": None},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for_setup(request.user, slug)  # type: ignore[arg-type]
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.program_save(program=program, **form.program_fields())
            messages.success(request, _("The program was saved."))
            return reverse("programs:program", args=[program.slug])

        if (response := redirect_once(request, form, save)) is not None:
            return response
    return render(
        request,
        "programs/manage/program_form.html",
        {"form": form, "program": Program.objects.get(pk=program.pk)},
        status=status_for(form),
    )


def _cohort_page(request: HttpRequest, program: Program, cohort: Cohort | None) -> HttpResponse:
    form = CohortForm(request.POST or None, instance=cohort, program=program)
    targets = TargetFormSet(
        request.POST or None,
        prefix="targets",
        initial=target_initial(cohort) if cohort is not None else None,
    )
    if request.method == "POST" and form.is_valid() and targets.is_valid():

        def save() -> str:
            saved = services.cohort_save(
                cohort=cohort, program=program, targets=targets.specs(), **form.cohort_fields()
            )
            messages.success(request, _("The cohort was saved."))
            return reverse("programs:cohort", args=[saved.pk])

        if (response := redirect_once(request, form, save)) is not None:
            return response
    return render(
        request,
        "programs/manage/cohort_form.html",
        {
            "form": form,
            "targets": targets,
            "program": program,
            "cohort": Cohort.objects.get(pk=cohort.pk) if cohort is not None else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _cohort_page(request, program_for_setup(request.user, slug), None)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_setup(request.user, pk)  # type: ignore[arg-type]
    return _cohort_page(request, cohort.program, cohort)


@require_http_methods(["GET", "POST"])
def cohort_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy an earlier cohort's composition targets and session plan into this one."""
    cohort = cohort_for_setup(request.user, pk)  # type: ignore[arg-type]
    sources = cohort.program.cohorts.exclude(pk=cohort.pk).order_by("-start_date")  # type: ignore[attr-defined]
    form = CohortCopyForm(request.POST or None, cohorts=sources)
    if request.method == "POST" and form.is_valid():

        def copy() -> str:
            source = sources.get(pk=form.cleaned_data["source"])
            result = services.cohort_copy_plan(source=source, cohort=cohort)
            messages.success(
                request,
                _("Copied %(targets)s targets and %(sessions)s sessions.")
                % {"targets": result.targets, "sessions": result.sessions},
            )
            if result.skipped:
                messages.warning(
                    request,
                    _(
                        "%(count)s sessions were not copied: they would fall outside this "
                        "cohort's dates."
                    )
                    % {"count": result.skipped},
                )
            return reverse("programs:cohort", args=[cohort.pk])

        if (response := redirect_once(request, form, copy)) is not None:
            return response
    return render(
        request,
        "programs/manage/cohort_copy.html",
        {
            "form": form,
            "cohort": cohort,
            "program": cohort.program,
            "has_sources": sources.exists(),
        },
        status=status_for(form),
    )
