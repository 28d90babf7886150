"""Printable documents and exports of hours: statements, certificates and their public check,
the hours ledger and attendance by session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from movilim.core.errors import InvalidInput
from movilim.core.exports import FORMATS, table_download
from movilim.core.pdf import pdf_response

from .. import documents
from ..access import cohort_for_view, cohort_policy, enrollment_for_statement
from ..models import Cohort


@require_GET
def hours_statement(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = enrollment_for_statement(request.user, pk)  # type: ignore[arg-type]
    statement = documents.hours_statement(enrollment, today=timezone.localdate())
    return pdf_response(
        "programs/pdf/hours_statement.html",
        {"statement": statement, "person": enrollment.person, "cohort": enrollment.cohort},
        request,
        filename=f"hours-{enrollment.pk}.pdf",
    )


@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion certificate of a graduate who reached the target; issued on first use."""
    enrollment = enrollment_for_statement(request.user, pk)  # type: ignore[arg-type]
    try:
        issued = documents.certificate_issue(enrollment=enrollment, today=timezone.localdate())
    except InvalidInput as error:
        messages.error(request, str(error.message))
        if request.user.pk == enrollment.person.user_id:
            return redirect("programs:my_dashboard")
        return redirect("programs:cohort", pk=enrollment.cohort_id)
    return pdf_response(
        "programs/pdf/certificate.html",
        {"certificate": issued, "person": enrollment.person, "cohort": enrollment.cohort},
        request,
        filename=f"certificate-{issued.code}.pdf",
    )


@login_not_required  # anyone holding a certificate may have it checked
@require_GET
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Checks a code and shows only the name, program, cohort and date of issue."""
    code = request.GET.get("code", "")[:100]
    found = documents.certificate_by_code(code) if code.strip() else None
    return render(
        request,
        "programs/certificate_verify.html",
        {"code": code, "checked": bool(code.strip()), "certificate": found},
    )


def _cohort_for_exports(request: HttpRequest, pk: int, fmt: str) -> Cohort:
    if fmt not in FORMATS:
        raise Http404
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    if not cohort_policy(request.user).user_has_permission_for_instance(  # type: ignore[arg-type]
        "view_attendance", cohort
    ):
        raise Http404
    return cohort


@require_GET
def hours_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    cohort = _cohort_for_exports(request, pk, fmt)
    headers, rows = documents.hours_ledger(cohort, today=timezone.localdate())
    return table_download(filename=f"cohort-{cohort.pk}-hours", fmt=fmt, headers=headers, rows=rows)


@require_GET
def attendance_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    cohort = _cohort_for_exports(request, pk, fmt)
    headers, rows = documents.attendance_by_session(cohort)
    return table_download(
        filename=f"cohort-{cohort.pk}-attendance", fmt=fmt, headers=headers, rows=rows
    )
