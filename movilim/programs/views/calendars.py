"""Calendar files: one per session, the month view of the schedule and the schedule as a
spreadsheet. (The personal feed is answered by ``notices``; this app adds its sessions to it,
see ``calendars.register_feed``.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from movilim.core.calendars import ics_response
from movilim.core.exports import FORMATS, table_download
from movilim.core.formatting import choice_labels, name_chooser

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
