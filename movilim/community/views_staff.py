"""The pages where program staff run the community: editing and cancelling events, their
registrants and waiting list, and the professional clusters (create, edit, archive).

Who counts as staff is the community's policy (``policies.py``): the managers and coordinators
of the program an object belongs to, and site administrators. Objects are loaded through
``access`` (404 for what the user may not know of, 403 for what they may see but not run).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.forms import redirect_once, status_for
from movilim.core.models import User

from . import access, queries, services
from .forms import ClusterForm, EventCancelForm, EventForm


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _staff_programs(request: HttpRequest) -> Any:
    """The programs the user runs the community of, for a form's choices; 403 for none."""
    if not access.runs_community(_user(request)):
        raise PermissionDenied
    return access.managed_programs(_user(request))


# --- events -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.event_for_management(_user(request), pk)
    heading = _("Edit the event: %(title)s") % {"title": found.display_title}
    if found.is_cancelled:
        messages.info(request, _("This event was cancelled; it can no longer be changed."))
        return redirect("community:event", pk=found.pk)
    form = EventForm(request.POST or None, instance=found, programs=_staff_programs(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            promoted = services.event_update(
                event=found,
                program=form.cleaned_data["program"],
                speakers=form.cleaned_data["speaker_emails"],
                **form.event_fields(),
            )
            messages.success(request, _("The event was saved."))
            if promoted:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s person moved from the waiting list to a place.",
                        "%(count)s people moved from the waiting list to a place.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
            return reverse("community:event", args=[found.pk])

        response = redirect_once(request, form, save)
        if response is not None:
            return response
    return render(
        request,
        "community/event_form.html",
        {"form": form, "event": found, "heading": heading},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def event_cancellation(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an event with a reason: it stays, marked cancelled, and everyone registered or
    waiting is told, with the calendar file that removes it."""
    found = access.event_for_management(_user(request), pk)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and found.is_cancelled:
        messages.info(request, _("This event was already cancelled."))
        return redirect("community:event", pk=found.pk)
    if request.method == "POST" and form.is_valid():

        def cancel() -> str:
            told = services.event_cancel(event=found, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                ngettext(
                    "The event was cancelled; %(count)s person was told.",
                    "The event was cancelled; %(count)s people were told.",
                    told,
                )
                % {"count": told},
            )
            return reverse("community:event", args=[found.pk])

        response = redirect_once(request, form, cancel)
        if response is not None:
            return response
    return render(
        request,
        "community/event_cancel.html",
        {"event": found, "form": form, "places": queries.event_places(found, None)},
        status=status_for(form),
    )


@require_GET
def event_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who holds a place and who waits, in the order the waiting list is served."""
    found = access.event_for_management(_user(request), pk)
    return render(
        request,
        "community/event_registrations.html",
        {
            "event": found,
            "roster": queries.event_roster(found, request.GET),
            "started": found.starts_on <= timezone.localdate(),
        },
    )


# --- clusters ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cluster_create(request: HttpRequest) -> HttpResponse:
    form = ClusterForm(request.POST or None, programs=_staff_programs(request))
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            created = services.cluster_create(
                program=form.cleaned_data["program"],
                coordinators=form.cleaned_data["coordinator_emails"],
                **form.cluster_fields(),
            )
            messages.success(request, _("The cluster was created."))
            return reverse("community:cluster", args=[created.pk])

        response = redirect_once(request, form, create)
        if response is not None:
            return response
    return render(
        request,
        "community/cluster_form.html",
        {"form": form, "heading": _("New cluster")},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.cluster_for_management(_user(request), pk)
    heading = _("Edit the cluster: %(name)s") % {"name": found.name}
    form = ClusterForm(request.POST or None, instance=found, programs=_staff_programs(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.cluster_update(
                cluster=found,
                program=form.cleaned_data["program"],
                coordinators=form.cleaned_data["coordinator_emails"],
                **form.cluster_fields(),
            )
            messages.success(request, _("The cluster was saved."))
            return reverse("community:cluster", args=[found.pk])

        response = redirect_once(request, form, save)
        if response is not None:
            return response
    return render(
        request,
        "community/cluster_form.html",
        {"form": form, "cluster": found, "heading": heading},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def cluster_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a cluster (or bring it back), after a page that says what archiving does."""
    found = access.cluster_for_management(_user(request), pk)
    action = request.POST.get("action")
    error = None
    if request.method == "POST" and action in ("archive", "restore"):
        archive = action == "archive"
        if services.cluster_archive(cluster=found, archived=archive):
            messages.success(
                request,
                _("The cluster was archived.") if archive else _("The cluster is active again."),
            )
        return redirect("community:cluster", pk=found.pk)
    if request.method == "POST":
        error = _("Choose whether to archive the cluster or to restore it.")
    counts = {
        "members": found.members.count(),
        "items": found.items.count(),
        "events": found.events.count(),
    }
    return render(
        request,
        "community/cluster_archive.html",
        {"cluster": found, "counts": counts, "error": error},
        status=400 if error else 200,
    )
