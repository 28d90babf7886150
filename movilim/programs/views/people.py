"""Participants: the list for program staff, profiles, and editing them.

These pages live here rather than in ``people`` because who may see a person follows from
enrollments and program roles, which this app holds.
"""

from __future__ import annotations

from auditlog.signals import accessed
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from movilim.core import sections
from movilim.core.forms import StyledFormMixin, status_for
from movilim.core.invitations import invite_users
from movilim.people import services as people_services
from movilim.people.forms import PersonForm
from movilim.people.models import Person

from .. import queries
from ..access import managed_cohorts, person_for_view
from ..facts import MANAGING, request_facts
from ..forms import CohortChoiceField
from ..models import EnrollmentStatus
from ..policies import PersonPolicy


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
    access = request_facts(request)
    if not PersonPolicy(access).user_has_permission("list"):
        raise Http404
    cohorts = queries.cohort_choices(
        managed_cohorts(request.user).order_by("-start_date", "pk")  # type: ignore[arg-type]
    )
    form = PeopleFilterForm(request.GET or None, cohorts=cohorts)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "program_ids": None if access.is_admin else access.staff_program_ids(MANAGING),
        "search": filters.get("q", ""),
        "cohort_id": filters.get("cohort"),
        "status": filters.get("status", ""),
    }
    # Counted for a search or filter, by the page's own statement: the whole list of 20,000
    # is browsed, not totalled, and a page further on costs no more than the first.
    filtered = bool(chosen["search"] or chosen["cohort_id"] or chosen["status"])
    page = queries.people_page(request.GET, counted=filtered, cohorts=cohorts, **chosen)
    return render(
        request,
        "programs/people_list.html",
        {"content": {"form": form, "page": page, "total": page.total}},
    )


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    view = person_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_facts(request)
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
            "sections": sections.render_sections(sections.profile, request, view),
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


@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send (or send again) a person's invitation; for those who may edit the person.

    Not for oneself, nor for staff accounts, whose passwords are set up by hand: those answer
    404 like a person the user may not edit.
    """
    view = person_for_view(request.user, pk)  # type: ignore[arg-type]
    user = view.person.user
    if not view.can_edit or user.pk == request.user.pk or user.is_staff or user.is_superuser:
        raise Http404
    name = user.get_full_name() or user.email
    if invite_users(user_ids=[user.pk], by=request.user):  # type: ignore[arg-type]
        messages.success(request, _("An invitation to %(name)s is on its way.") % {"name": name})
    else:
        messages.info(
            request,
            _("%(name)s already has a password, so no invitation was sent.") % {"name": name},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("programs:person", args=[pk])
    return redirect(back)
