"""Uploading organizations and participants from CSV or XLSX."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.errors import InvalidInput
from movilim.core.exports import table_response
from movilim.core.forms import StyledFormMixin, status_for
from movilim.core.tabular import MAX_ROWS, MAX_UPLOAD_BYTES, ImportReport, upload_too_large_message
from movilim.people.imports import ORGANIZATION_COLUMNS, import_organizations

from ..access import managed_cohorts
from ..facts import request_facts
from ..forms import CohortChoiceField
from ..imports import PARTICIPANT_COLUMNS, import_participants
from ..policies import PersonPolicy

KINDS = {"participants": PARTICIPANT_COLUMNS, "organizations": ORGANIZATION_COLUMNS}


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=(
            ("participants", gettext_lazy("Participants")),
            ("organizations", gettext_lazy("Organizations")),
        ),
        widget=forms.RadioSelect,
        initial="participants",
    )
    cohort = CohortChoiceField(
        label=gettext_lazy("Enroll the participants in"),
        empty_label=gettext_lazy("No cohort: only create or update the people"),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel .xlsx; the first row holds the column headers."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].offer(cohorts)  # type: ignore[attr-defined]


#: Room for the form's other fields and the multipart framing around the file.
_REQUEST_OVERHEAD_BYTES = 64 * 1024


def _page_facts() -> dict[str, Any]:
    megabytes = MAX_UPLOAD_BYTES // (1024 * 1024)
    return {"columns": KINDS, "max_megabytes": megabytes, "max_rows": MAX_ROWS}


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_not_required  # checked by ``login_required`` below, once the size is known to be fine
@csrf_exempt  # checked by ``csrf_protect`` below: the CSRF check would read the whole body
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Refuse an oversized upload by its declared length, before any of its body is read.

    Django parses a multipart body (saving the file to disk) the first time anything reads
    ``request.POST``, and the CSRF middleware does that before the view runs; so this view opts
    out of the middleware's checks and applies the same checks itself after the size check.
    """
    if _declared_length(request) > MAX_UPLOAD_BYTES + _REQUEST_OVERHEAD_BYTES:
        if not PersonPolicy(request_facts(request)).user_has_permission("import"):
            raise Http404
        messages.error(request, upload_too_large_message())
        return render(
            request,
            "programs/import.html",
            {"form": None, "report": None, **_page_facts()},
            status=413,
        )
    return _import_upload(request)


@csrf_protect
@login_required
def _import_upload(request: HttpRequest) -> HttpResponse:
    if not PersonPolicy(request_facts(request)).user_has_permission("import"):
        raise Http404
    cohorts = managed_cohorts(request.user).order_by("-start_date")  # type: ignore[arg-type]
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        cohorts=cohorts,
        initial={"cohort": request.GET.get("cohort")},
    )
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if form.cleaned_data["kind"] == "organizations":
                report = import_organizations(upload, by=request.user)  # type: ignore[arg-type]
            else:
                cohort_id = form.cleaned_data["cohort"]
                report = import_participants(
                    upload,
                    cohort=cohorts.get(pk=cohort_id) if cohort_id else None,
                    by=request.user,  # type: ignore[arg-type]
                )
        except InvalidInput as error:
            form.add_error("file", str(error.message))
        else:
            if report.ok:
                messages.success(
                    request,
                    _(
                        "Import done: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged. Nothing else changed."
                    )
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.rows - report.created - report.updated,
                    },
                )
            else:
                messages.error(
                    request,
                    ngettext(
                        "Nothing was imported: %(count)s problem was found. "
                        "Correct it and upload the file again.",
                        "Nothing was imported: %(count)s problems were found. "
                        "Correct them and upload the file again.",
                        len(report.errors),
                    )
                    % {"count": len(report.errors)},
                )
    status = 400 if report is not None and not report.ok else status_for(form)
    return render(
        request,
        "programs/import.html",
        {"form": form, "report": report, **_page_facts()},
        status=status,
    )


@require_GET
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty sheet with the headers an import expects, in the page's language."""
    if not PersonPolicy(request_facts(request)).user_has_permission("import"):
        raise Http404
    columns = KINDS.get(kind)
    if columns is None or fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(
        filename=f"movilim-{kind}", fmt=fmt, headers=[str(c.label) for c in columns], rows=[]
    )
