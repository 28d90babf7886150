"""Cancelling and deleting sessions, and the printable sign-in sheet."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.errors import InvalidInput
from movilim.core.forms import status_for
from movilim.core.pdf import pdf_response

from .. import queries, services
from ..access import session_for_management
from ..forms import SessionCancelForm
from ..models import Attendance, Session
from ..scheduling import session_warnings


def warn_about_dates(request: HttpRequest, session: Session) -> None:
    """Holidays, weekends and overlaps are shown, never refused."""
    for warning in session_warnings(session):
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a session (or, for a cancelled one, restore it)."""
    session = session_for_management(request.user, pk)  # type: ignore[arg-type]
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST":
        if session.is_cancelled and request.POST.get("restore"):
            services.session_restore(session=session)
            messages.success(request, _("The session is back on the schedule."))
            return redirect("programs:session", pk=session.pk)
        if form.is_valid():
            services.session_cancel(session=session, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _(
                    "The session was cancelled. It stays on the schedule, marked cancelled, "
                    "and earns no hours."
                ),
            )
            return redirect("programs:session", pk=session.pk)
    return render(
        request,
        "programs/manage/session_cancel.html",
        {"session": session, "cohort": session.cohort, "form": form},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a session created by mistake: only while no attendance was taken for it."""
    session = session_for_management(request.user, pk)  # type: ignore[arg-type]
    has_attendance = Attendance.objects.filter(session=session).exists()
    error = None
    if request.method == "POST" and not request.POST.get("confirm"):
        error = _("Confirm the deletion with the button below.")
    elif request.method == "POST":
        try:
            services.session_delete(session=session)
        except InvalidInput as refused:
            error = str(refused.message)
        else:
            messages.success(request, _("The session was deleted."))
            return redirect("programs:cohort", pk=session.cohort_id)
    return render(
        request,
        "programs/manage/session_delete.html",
        {
            "session": session,
            "cohort": session.cohort,
            "has_attendance": has_attendance,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet for the session's members to sign, as PDF."""
    session = session_for_management(request.user, pk)  # type: ignore[arg-type]
    people = [
        enrollment.person
        for enrollment in queries.cohort_enrollments(session.cohort, members_only=True)
    ]
    return pdf_response(
        "programs/pdf/signin_sheet.html",
        {"session": session, "cohort": session.cohort, "people": people},
        request,
        filename=f"sign-in-{session.pk}.pdf",
    )
