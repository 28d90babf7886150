"""Organizations, shared by every program: listed and added by program staff, changed and
merged by site administrators (``policies.OrganizationPolicy``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.forms import redirect_once, status_for
from movilim.core.hebrew import fold
from movilim.core.paging import Keyset, keyset_page
from movilim.people import services as people_services
from movilim.people.models import Organization, Person

from .. import queries
from ..facts import request_facts
from ..forms import OrganizationFilterForm, OrganizationForm, OrganizationMergeForm
from ..policies import OrganizationPolicy

ORDERS = {
    "name": Keyset(Organization, ("name_he", "pk")),
    "kind": Keyset(Organization, ("kind", "name_he", "pk")),
    "-created": Keyset(Organization, ("-created_at", "-pk")),
}
COLUMNS = ("pk", "name_he", "name_en", "kind", "region", "created_at", "people_count")


def _policy(request: HttpRequest) -> OrganizationPolicy:
    return OrganizationPolicy(request_facts(request))


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    """Search, filter by kind, sort; a total for the filters and keyset pages (three queries)."""
    policy = _policy(request)
    if not policy.user_has_permission("add"):
        raise PermissionDenied
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = Organization.objects.all()
    if fold(filters.get("q") or "").strip():
        organizations = organizations.filter(
            pk__in=queries.organizations_matching(filters["q"].strip()).values("pk")
        )
    if filters.get("kind"):
        organizations = organizations.filter(kind=filters["kind"])
    total = organizations.count()
    people = (
        Person.objects.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organizations = organizations.annotate(people_count=Coalesce(Subquery(people), 0))
    sort = filters.get("sort") or "name"
    page = keyset_page(organizations, request.GET, keyset=ORDERS[sort], columns=COLUMNS)
    kinds = dict(Organization._meta.get_field("kind").choices or [])  # type: ignore[arg-type]
    english = request.LANGUAGE_CODE == "en"  # type: ignore[attr-defined]
    rows = [
        {
            "pk": pk,
            "name": (name_en if english and name_en else name_he),
            "kind": kinds.get(kind, kind),
            "region": region,
            "people": count,
        }
        for pk, name_he, name_en, kind, region, _created, count in page
    ]
    return render(
        request,
        "programs/manage/organization_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "total": total,
            "can_change": policy.user_has_permission("change"),
        },
    )


@require_http_methods(["GET", "POST"])
def organization_add(request: HttpRequest) -> HttpResponse:
    if not _policy(request).user_has_permission("add"):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            people_services.organization_save(organization=None, **form.organization_fields())
            messages.success(request, _("The organization was added."))
            return reverse("programs:organizations")

        if (response := redirect_once(request, form, add)) is not None:
            return response
    return render(
        request,
        "programs/manage/organization_form.html",
        {"form": form, "organization": None},
        status=status_for(form),
    )


def _changeable(request: HttpRequest, pk: int) -> Organization:
    if not _policy(request).user_has_permission("add"):
        raise PermissionDenied  # not staff at all: nothing to see here
    organization = get_object_or_404(Organization, pk=pk)
    if not _policy(request).user_has_permission_for_instance("change", organization):
        raise PermissionDenied
    return organization


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _changeable(request, pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            people_services.organization_save(
                organization=organization, **form.organization_fields()
            )
            messages.success(request, _("The organization was saved."))
            return reverse("programs:organizations")

        if (response := redirect_once(request, form, save)) is not None:
            return response
    return render(
        request,
        "programs/manage/organization_form.html",
        {"form": form, "organization": Organization.objects.get(pk=organization.pk)},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def organization_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this organization, a duplicate, into another one."""
    duplicate = _changeable(request, pk)
    form = OrganizationMergeForm(request.POST or None, duplicate=duplicate)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]

        def merge() -> str:
            moved = people_services.organization_merge(
                duplicate=duplicate,
                into=into,
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(
                request,
                _("Merged into %(name)s: %(count)s people moved.")
                % {"name": into.name, "count": moved},
            )
            return reverse("programs:organizations")

        if (response := redirect_once(request, form, merge)) is not None:
            return response
    return render(
        request,
        "programs/manage/organization_merge.html",
        {
            "form": form,
            "organization": duplicate,
            "people": Person.objects.filter(organization=duplicate).count(),
        },
        status=status_for(form),
    )
