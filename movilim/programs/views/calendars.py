"""Calendar files: one per session, a personal feed behind a secret address, the month view
of the schedule and the schedule as a spreadsheet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.calendars import ics_response
from movilim.core.exports import FORMATS, table_download
from movilim.core.formatting import choice_labels, name_chooser
from movilim.notices import services as notice_services

from .. import calendars
from ..access import session_for_view, visible_cohorts
from ..models import Session
from ..queries import cohort_label


@require_GET
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_view(request.user, pk)  # type: ignore[arg-type]
    return ics_response(
        [calendars.session_entry(session)],
        name=session.title,
        filename=f"session-{session.pk}.ics",
    )


@require_http_methods(["GET", "POST"])
def feed_page(request: HttpRequest) -> HttpResponse:
    """The user's calendar feed: its secret address to copy, a new address, or none at all."""
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            notice_services.calendar_feed_renew(user=user)  # type: ignore[arg-type]
            messages.success(
                request, _("Your calendar has a new address; the old one no longer works.")
            )
        elif action == "revoke":
            notice_services.calendar_feed_revoke(user=user)  # type: ignore[arg-type]
            messages.success(request, _("Your calendar address was removed and no longer works."))
        else:
            messages.error(request, _("Choose to create a new address or to remove it."))
            return render(request, "programs/calendar_feed.html", _feed_context(user), status=400)
        return redirect("programs:calendar_feed_page")
    return render(request, "programs/calendar_feed.html", _feed_context(user))


def _feed_context(user: Any) -> dict[str, Any]:
    token = notice_services.calendar_feed_token(user=user)
    url = settings.SITE_URL + reverse("programs:calendar_feed", args=[token]) if token else ""
    return {"feed": bool(token), "feed_url": url}


@login_not_required  # the secret token is the credential (calendar applications cannot log in)
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = notice_services.calendar_feed_user(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    sessions = calendars.feed_sessions(user, today=today)
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Movilim sessions")
    return ics_response(
        [calendars.session_entry(s) for s in sessions], name=name, filename="movilim.ics"
    )


def _month(value: str, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


@require_GET
def schedule_month(request: HttpRequest) -> HttpResponse:
    """The schedule of the reader's cohorts as a month grid (``?month=YYYY-MM``)."""
    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    cohorts = visible_cohorts(request.user)  # type: ignore[arg-type]
    sessions = (
        Session.objects.filter(cohort__in=cohorts.values("pk"), starts_on__lte=last)
        .filter(starts_on__gte=first - dt.timedelta(days=31))
        .select_related("cohort")
        .order_by("starts_on", "starts_at", "pk")
    )
    in_month = [s for s in sessions if s.last_day >= first]
    return render(
        request,
        "programs/schedule_month.html",
        {"month": calendars.month_grid(in_month, first=first, today=today)},
    )


@require_GET
def schedule_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Every session of the reader's cohorts as a spreadsheet (streamed, formulas neutralized)."""
    if fmt not in FORMATS:
        raise Http404
    cohorts = visible_cohorts(request.user)  # type: ignore[arg-type]
    sessions = (
        Session.objects.filter(cohort__in=cohorts.values("pk"))
        .order_by("starts_on", "pk")
        .values_list(
            "starts_on",
            "ends_on",
            "starts_at",
            "ends_at",
            "title",
            "title_en",
            "kind",
            "hours",
            "location",
            "cancelled_at",
            "cohort__program__name_he",
            "cohort__program__name_en",
            "cohort__name_he",
            "cohort__name_en",
        )
        .iterator(chunk_size=2000)
    )
    headers = [
        _("Date"),
        _("Last day"),
        _("Starts at"),
        _("Ends at"),
        _("Session"),
        _("Cohort"),
        _("Kind"),
        _("Hours"),
        _("Place"),
        _("Cancelled"),
    ]
    kinds = choice_labels(Session, "kind")
    name = name_chooser()
    english = translation.get_language() == "en"
    yes = _("Yes")

    def rows() -> Any:
        for (
            start,
            end,
            at,
            until,
            title,
            title_en,
            kind,
            hours,
            place,
            cancelled,
            *names,
        ) in sessions:
            yield [
                start,
                end,
                at.strftime("%H:%M") if at else "",
                until.strftime("%H:%M") if until else "",
                (title_en if english and title_en else title),
                cohort_label(*names, name=name),
                kinds.get(kind, kind),
                float(hours),
                place,
                yes if cancelled else "",
            ]

    return table_download(filename="schedule", fmt=fmt, headers=headers, rows=rows())
