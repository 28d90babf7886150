"""The community's pages: thin views over ``access`` (loaders), ``queries`` and ``services``."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from movilim.core.calendars import ics_response
from movilim.core.errors import InvalidInput
from movilim.core.forms import status_for, submit_once
from movilim.core.models import User
from movilim.people.models import Person
from movilim.people.services import person_upsert

from . import access, queries, services
from .calendars import entry_for
from .forms import (
    CloseForm,
    DigestForm,
    DirectoryFilterForm,
    DiscussionForm,
    EventForm,
    ItemFilterForm,
    ItemForm,
    MemberAddForm,
    ProfileSettingsForm,
    ReplyForm,
)
from .models import (
    PROFILE_FIELD_LABELS,
    Cluster,
    Digest,
    Discussion,
    Event,
    KnowledgeItem,
    Registration,
    RegistrationStatus,
)
from .policies import (
    ClusterPolicy,
    DiscussionPolicy,
    EventPolicy,
    ItemPolicy,
    MembershipPolicy,
    request_policy,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_reader(request: HttpRequest) -> ItemPolicy:
    policy = request_policy(ItemPolicy, request)
    if not policy.user_has_permission("view"):
        raise PermissionDenied
    return policy


def _managed_programs(request: HttpRequest) -> Any:
    return access.managed_programs(_user(request))


def _require_manager(request: HttpRequest) -> Any:
    if not access.runs_community(_user(request)):
        raise PermissionDenied
    return _managed_programs(request)


def _person(request: HttpRequest) -> Person:
    """The member acting: only members write items, reply, register or join clusters."""
    membership = access.own_membership(_user(request))
    return membership.person


# --- home -------------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    policy = _require_reader(request)
    today = timezone.localdate()
    return render(
        request,
        "community/home.html",
        {
            "events": queries.events_for(request_policy(EventPolicy, request))
            .filter(starts_on__gte=today, cancelled_at__isnull=True)
            .order_by("starts_on")[:5],
            "items": queries.visible(policy, KnowledgeItem.objects.all()).order_by(
                "-published_on", "-pk"
            )[:8],
            "discussions": queries.visible(
                request_policy(DiscussionPolicy, request),
                Discussion.objects.filter(
                    opens_on__lte=today, closes_on__gte=today, closed_at__isnull=True
                ),
            )[:5],
            "clusters": queries.visible(
                request_policy(ClusterPolicy, request), queries.active_clusters()
            ),
            "is_member": policy.may_contribute,
            "runs": access.runs_community(_user(request)),
        },
    )


# --- directory and profiles -------------------------------------------------------------------


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    policy = request_policy(MembershipPolicy, request)
    if not policy.user_has_permission("view"):
        raise PermissionDenied
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page, rows = queries.directory_page(
        policy,
        request.GET,
        cohort_id=filters["cohort"].pk if filters.get("cohort") else None,
        organization_kind=filters.get("organization_kind", ""),
        cluster_id=filters["cluster"].pk if filters.get("cluster") else None,
        expertise=filters.get("expertise", ""),
        kind=filters.get("kind", ""),
    )
    return render(
        request,
        "community/directory.html",
        {"form": form, "page": page, "rows": rows, "runs": access.runs_community(_user(request))},
    )


@require_GET
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    view = access.profile_for_view(_user(request), pk)
    person = view.membership.person
    fields = []
    values = {
        "organization": person.organization.name if person.organization else "",
        "job_title": person.job_title,
        "expertise": ", ".join(person.expertise_list),
        "bio": person.bio,
        "email": person.user.email,
        "phone": person.phone,
    }
    for name, value in values.items():
        if value and view.shows(name):
            fields.append((PROFILE_FIELD_LABELS[name], value, name))
    activity = queries.profile_activity(person, request_policy(ItemPolicy, request))
    if activity.cohorts and view.shows("cohorts"):
        cohorts = ", ".join(f"{c.program.name} · {c.name}" for c in activity.cohorts)
        fields.append((PROFILE_FIELD_LABELS["cohorts"], cohorts, "cohorts"))
    return render(
        request,
        "community/profile.html",
        {"view": view, "person": person, "fields": fields, "activity": activity},
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest) -> HttpResponse:
    programs = _require_manager(request)
    form = MemberAddForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(user__email=data["email"].lower()).first()
        if person is None and not (data["first_name"] and data["last_name"]):
            form.add_error("first_name", _("Give the name of someone who has no account yet."))
        else:

            def add() -> str:
                nonlocal person
                if person is None:
                    person, _created = person_upsert(
                        email=data["email"], first_name=data["first_name"],
                        last_name=data["last_name"],
                    )  # fmt: skip
                _membership, created = services.membership_add(
                    person=person,
                    program=data["program"],
                    kind=data["kind"],
                    today=timezone.localdate(),
                )
                if created:
                    messages.success(
                        request, _("%(name)s joined the community.") % {"name": person}
                    )
                else:
                    messages.info(request, _("%(name)s is already a member.") % {"name": person})
                return reverse("community:profile", args=[person.pk])

            return redirect(
                submit_once(user=_user(request), token=data["submission_token"], action=add)
            )
    return render(request, "community/member_add.html", {"form": form}, status=status_for(form))


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    membership = access.own_membership(_user(request))
    initial: dict[str, Any] = {
        f"show_{name}": membership.audience_of(name) for name in PROFILE_FIELD_LABELS
    }
    form = ProfileSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_settings_update(membership=membership, visibility=form.visibility())
        messages.success(request, _("Your choices were saved."))
        return redirect("community:settings")
    return render(
        request,
        "community/settings.html",
        {"form": form, "membership": membership},
        status=status_for(form),
    )


# --- clusters ---------------------------------------------------------------------------------


@require_GET
def clusters(request: HttpRequest) -> HttpResponse:
    policy = request_policy(ClusterPolicy, request)
    if not policy.user_has_permission("view"):
        raise PermissionDenied
    rows = list(
        queries.visible(policy, Cluster.objects.all()).annotate(
            member_count=Count("members", distinct=True), item_count=Count("items", distinct=True)
        )
    )
    return render(
        request,
        "community/clusters.html",
        {
            "clusters": [c for c in rows if not c.is_archived],
            "archived": [c for c in rows if c.is_archived],
            "runs": access.runs_community(_user(request)),
        },
    )


@require_GET
def cluster(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.cluster_for_view(_user(request), pk)
    policy = request_policy(ClusterPolicy, request)
    person_id = policy.facts.person_id
    return render(
        request,
        "community/cluster.html",
        {
            "cluster": found,
            "coordinators": found.coordinators.select_related("user"),
            "can_manage": policy.user_has_permission_for_instance("manage", found),
            "items": found.items.order_by("-published_on")[:30],
            "events": found.events.order_by("-starts_on")[:10],
            "discussions": found.discussions.all()[:10],
            "members": found.members.select_related("user").filter(
                community_membership__is_active=True
            )[:200],
            "is_member": policy.may_contribute,
            "joined": person_id is not None and found.members.filter(pk=person_id).exists(),
        },
    )


@require_POST
def cluster_join(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.cluster_for_view(_user(request), pk)
    person = _person(request)
    join = request.POST.get("action") != "leave"
    try:
        services.cluster_set_member(cluster=found, person=person, member=join)
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("You joined the cluster.") if join else _("You left the cluster.")
        )
    return redirect("community:cluster", pk=found.pk)


# --- events -----------------------------------------------------------------------------------


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    policy = request_policy(EventPolicy, request)
    if not policy.user_has_permission("view"):
        raise PermissionDenied
    today = timezone.localdate()
    past = request.GET.get("when") == "past"
    rows = queries.events_for(policy)
    rows = (
        rows.filter(starts_on__lt=today).order_by("-starts_on")
        if past
        else rows.filter(starts_on__gte=today).order_by("starts_on")
    )
    return render(
        request,
        "community/events.html",
        {"events": rows[:100], "past": past, "runs": access.runs_community(_user(request))},
    )


def _event_share_text(event: Event, link: str) -> str:
    return _("%(title)s, %(day)s. Details and registration: %(link)s") % {
        "title": event.title,
        "day": event.starts_on.strftime("%d/%m/%Y"),
        "link": link,
    }


@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.event_for_view(_user(request), pk)
    policy = request_policy(EventPolicy, request)
    places = queries.event_places(found, policy.facts.person_id)
    link = settings.SITE_URL + reverse("community:event", args=[found.pk])
    return render(
        request,
        "community/event.html",
        {
            "event": found,
            "places": places,
            "free": places.free(found.capacity),
            "speakers": found.speakers.select_related("user"),
            "is_member": policy.may_contribute,
            "can_manage": policy.user_has_permission_for_instance("manage", found),
            "share": _event_share_text(found, link),
            "today": timezone.localdate(),
            "online_link": found.online and found.location.startswith(("https://", "http://")),
        },
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    programs = _require_manager(request)
    form = EventForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            created = services.event_create(
                program=form.cleaned_data["program"],
                speakers=form.cleaned_data["speaker_emails"],
                **form.event_fields(),
            )
            messages.success(request, _("The event was published."))
            return reverse("community:event", args=[created.pk])

        try:
            return redirect(
                submit_once(
                    user=_user(request), token=form.cleaned_data["submission_token"], action=create
                )
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
    return render(
        request,
        "community/event_form.html",
        {"form": form, "heading": _("New event")},
        status=status_for(form),
    )


@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.event_for_view(_user(request), pk)
    person = _person(request)
    try:
        registration = services.event_register(event_id=found.pk, person=person)
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You have a place at the event."))
        else:
            messages.info(request, _("The event is full: you are on the waiting list."))
    return redirect("community:event", pk=found.pk)


@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.event_for_view(_user(request), pk)
    person = _person(request)
    if (
        not Registration.objects.filter(event=found, person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        messages.info(request, _("You were not registered for this event."))
    else:
        services.event_cancel_registration(event_id=found.pk, person=person)
        messages.success(request, _("Your registration was cancelled."))
    return redirect("community:event", pk=found.pk)


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.event_for_view(_user(request), pk)
    return ics_response([entry_for(found)], name=found.title, filename=f"event-{found.pk}.ics")


@require_http_methods(["GET", "POST"])
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.event_for_management(_user(request), pk)
    registrations = list(
        Registration.objects.filter(event=found, status=RegistrationStatus.REGISTERED)
        .select_related("person__user")
        .order_by("person__user__last_name", "person__user__first_name")
    )
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        present = {r.person_id for r in registrations if request.POST.get(f"present_{r.person_id}")}
        try:
            count = services.event_record_attendance(
                event=found, present=present, by=_user(request), today=today
            )
        except InvalidInput as error:
            messages.error(request, str(error.message))
            status = 400
        else:
            messages.success(request, _("Attendance saved: %(count)s came.") % {"count": count})
            return redirect("community:event", pk=found.pk)
    return render(
        request,
        "community/event_attendance.html",
        {"event": found, "registrations": registrations, "started": found.starts_on <= today},
        status=status,
    )


# --- knowledge --------------------------------------------------------------------------------


@require_GET
def items(request: HttpRequest) -> HttpResponse:
    policy = _require_reader(request)
    form = ItemFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = queries.item_page(
        policy,
        request.GET,
        kind=filters.get("kind", ""),
        cluster_id=filters["cluster"].pk if filters.get("cluster") else None,
    )
    can_add = policy.may_contribute or access.runs_community(_user(request))
    return render(request, "community/items.html", {"form": form, "page": page, "can_add": can_add})


@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.item_for_view(_user(request), pk)
    link = settings.SITE_URL + reverse("community:item", args=[found.pk])
    share = _("From the community's knowledge base: %(title)s %(link)s") % {
        "title": found.title,
        "link": link,
    }
    return render(request, "community/item.html", {"item": found, "share": share})


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    policy = _require_reader(request)
    staff = access.runs_community(_user(request))
    if not (policy.may_contribute or staff):
        raise PermissionDenied
    programs = _managed_programs(request) if staff else None
    form = ItemForm(request.POST or None, request.FILES or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        if programs is not None:
            program = form.cleaned_data["program"]
        else:
            program = access.own_membership(_user(request)).program
        author = Person.objects.filter(user=_user(request)).first()

        def create() -> str:
            created = services.item_create(
                program=program,
                author=author,
                upload=form.cleaned_data.get("upload"),
                today=timezone.localdate(),
                **form.item_fields(),
            )
            messages.success(request, _("The item was published."))
            return reverse("community:item", args=[created.pk])

        try:
            return redirect(
                submit_once(
                    user=_user(request), token=form.cleaned_data["submission_token"], action=create
                )
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
    return render(request, "community/item_form.html", {"form": form}, status=status_for(form))


@require_GET
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """The item's document, always as an attachment: never shown inline by the browser."""
    found = access.item_for_view(_user(request), pk)
    if not found.file:
        raise Http404
    content_type = mimetypes.guess_type(found.file_name)[0] or "application/octet-stream"
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.file_name or "document",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- discussions ------------------------------------------------------------------------------


@require_GET
def discussions(request: HttpRequest) -> HttpResponse:
    policy = request_policy(DiscussionPolicy, request)
    if not policy.user_has_permission("view"):
        raise PermissionDenied
    rows = queries.visible(policy, Discussion.objects.all()).annotate(reply_count=Count("replies"))[
        :100
    ]
    return render(
        request,
        "community/discussions.html",
        {
            "discussions": rows,
            "today": timezone.localdate(),
            "runs": access.runs_community(_user(request)),
        },
    )


@require_http_methods(["GET", "POST"])
def discussion(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.discussion_for_view(_user(request), pk)
    policy = request_policy(DiscussionPolicy, request)
    today = timezone.localdate()
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        person = _person(request)
        if form.is_valid():

            def reply() -> str:
                services.reply_add(
                    discussion_id=found.pk,
                    author=person,
                    body=form.cleaned_data["body"],
                    today=today,
                )
                messages.success(request, _("Your reply was added."))
                return reverse("community:discussion", args=[found.pk])

            try:
                return redirect(
                    submit_once(
                        user=_user(request),
                        token=form.cleaned_data["submission_token"],
                        action=reply,
                    )
                )
            except InvalidInput as error:
                form.add_error(None, str(error.message))
    can_manage = policy.user_has_permission_for_instance("manage", found)
    return render(
        request,
        "community/discussion.html",
        {
            "discussion": found,
            "replies": found.replies.select_related("author__user"),
            "is_open": found.is_open(today),
            "can_reply": policy.may_contribute and found.is_open(today),
            "form": form,
            "can_close": can_manage and found.closed_at is None,
            "close_form": CloseForm(),
        },
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def discussion_create(request: HttpRequest) -> HttpResponse:
    programs = _require_manager(request)
    form = DiscussionForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            fields = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
            program = fields.pop("program")
            created = services.discussion_create(program=program, by=_user(request), **fields)
            messages.success(request, _("The discussion was opened."))
            return reverse("community:discussion", args=[created.pk])

        return redirect(
            submit_once(
                user=_user(request), token=form.cleaned_data["submission_token"], action=create
            )
        )
    return render(
        request, "community/discussion_form.html", {"form": form}, status=status_for(form)
    )


@require_POST
def discussion_close(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.discussion_for_management(_user(request), pk)
    form = CloseForm(request.POST)
    if form.is_valid() and found.closed_at is None:
        services.discussion_close(discussion=found, summary=form.cleaned_data["summary"])
        messages.success(request, _("The discussion was closed with its summary."))
    elif found.closed_at is not None:
        messages.info(request, _("This discussion is already closed."))
    else:
        messages.error(request, _("Write the summary of the discussion."))
        return redirect(reverse("community:discussion", args=[found.pk]) + "#close")
    return redirect("community:discussion", pk=found.pk)


# --- digests ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def digests(request: HttpRequest) -> HttpResponse:
    programs = _require_manager(request)
    form = DigestForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            data = form.cleaned_data
            created = services.digest_create(
                program=data["program"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                introduction=data["introduction"],
                by=_user(request),
            )
            return reverse("community:digest", args=[created.pk])

        return redirect(
            submit_once(
                user=_user(request), token=form.cleaned_data["submission_token"], action=create
            )
        )
    rows = Digest.objects.filter(program__in=programs).select_related("program")[:50]
    return render(
        request,
        "community/digests.html",
        {"form": form, "digests": rows},
        status=status_for(form),
    )


@require_GET
def digest(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.digest_for_management(_user(request), pk)
    content = queries.digest_content(found, today=timezone.localdate())
    text = queries.digest_text(found, content, site=settings.SITE_URL)
    return render(
        request,
        "community/digest.html",
        {
            "digest": found,
            "content": content,
            "text": text,
            "audience": queries.digest_audience(found),
        },
    )


@require_POST
def digest_send(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.digest_for_management(_user(request), pk)
    try:
        sent = services.digest_send(digest=found, today=timezone.localdate())
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            ngettext(
                "The digest was sent to %(count)s member.",
                "The digest was sent to %(count)s members.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("community:digest", pk=found.pk)
