"""Participants: the list for program staff, profiles, and editing them.

These pages live here rather than in ``people`` because who may see a person follows from
enrollments and program roles, which this app holds.
"""

from __future__ import annotations

from auditlog.signals import accessed
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.forms import StyledFormMixin, status_for
from movilim.people import services as people_services
from movilim.people.forms import PersonForm
from movilim.people.models import Person

from .. import queries
from ..access import MANAGING, managed_cohorts, person_for_view, request_access
from ..forms import CohortChoiceField
from ..models import Enrollment, EnrollmentStatus


class PeopleFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Name, e-mail or organization."),
    )
    cohort = CohortChoiceField(
        label=gettext_lazy("Cohort"), empty_label=gettext_lazy("All cohorts")
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All statuses")), *EnrollmentStatus.choices],
        required=False,
    )

    def __init__(self, *args: object, cohorts: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["cohort"].offer(cohorts)  # type: ignore[attr-defined]


@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    """Participants of the programs the reader manages."""
    access = request_access(request)
    if not access.can_list_people():
        raise Http404
    cohorts = managed_cohorts(request.user).order_by("-start_date")  # type: ignore[arg-type]
    form = PeopleFilterForm(request.GET or None, cohorts=cohorts)
    filters = form.cleaned_data if form.is_valid() else {}
    page = queries.people_page(
        request.GET,
        program_ids=None if access.is_admin else access.staff_program_ids(MANAGING),
        search=filters.get("q", ""),
        cohort_id=filters.get("cohort"),
        status=filters.get("status", ""),
    )
    return render(request, "programs/people_list.html", {"content": {"form": form, "page": page}})


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    view = person_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_access(request)
    enrollments = Enrollment.objects.filter(person=view.person).select_related("cohort__program")
    if not (view.can_edit or access.is_admin):
        enrollments = enrollments.filter(
            Q(cohort_id__in=list(access.member_cohorts))
            | Q(cohort__program_id__in=access.staff_program_ids())
        )
    if view.can_see_sensitive and access.person_id != view.person.pk:
        # Someone else opened a profile with sensitive fields: the audit log keeps who.
        accessed.send(Person, instance=view.person)
    return render(
        request,
        "programs/person_detail.html",
        {
            "person": view.person,
            "can_see_sensitive": view.can_see_sensitive,
            "can_edit": view.can_edit,
            "enrollments": enrollments.order_by("-cohort__start_date"),
            "is_self": access.person_id == view.person.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    view = person_for_view(request.user, pk)  # type: ignore[arg-type]
    if not view.can_edit:
        raise Http404
    form = PersonForm(request.POST or None, instance=view.person)
    if request.method == "POST" and form.is_valid():
        people_services.person_update(
            person=view.person,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            **form.profile_fields(),
        )
        messages.success(request, _("The profile was saved."))
        return redirect("programs:person", pk=view.person.pk)
    return render(
        request,
        "programs/person_form.html",
        {"form": form, "person": view.person},
        status=status_for(form),
    )
