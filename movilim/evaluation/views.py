"""Pages of the evaluation app: the studies list, a wave's report (web, PDF), exports,
comparisons, and qualitative coding."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from movilim.core.errors import InvalidInput
from movilim.core.exports import table_download
from movilim.core.forms import status_for
from movilim.core.pdf import pdf_response
from movilim.programs.facts import request_facts
from movilim.surveys.access import visible_waves, wave_for, wave_for_view
from movilim.surveys.models import Answer, QuestionKind, Wave

from . import comparisons, exports, services
from .forms import CodeForm, CompareForm, RecommendationForm, RecordForm
from .models import AnswerCode, Code
from .policies import StudyPolicy
from .queries import report_context


@require_GET
def studies(request: HttpRequest) -> HttpResponse:
    waves = visible_waves(request.user).select_related("program", "cohort", "instrument")  # type: ignore[arg-type]
    return render(request, "evaluation/studies.html", {"waves": waves})


def _report(request: HttpRequest, pk: int) -> tuple[Wave, StudyPolicy, dict[str, Any]]:
    wave = wave_for_view(request.user, pk)  # type: ignore[arg-type]
    policy = StudyPolicy(request_facts(request))
    context = report_context(wave, audience=policy.audience(wave))
    context["can_manage"] = policy.may("recommend", wave)
    return wave, policy, context


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    wave, _policy, context = _report(request, pk)
    if context["can_manage"]:
        context["recommendation_form"] = RecommendationForm()
    others = visible_waves(request.user).exclude(pk=wave.pk)  # type: ignore[arg-type]
    context["compare_form"] = CompareForm(waves=others)
    return render(request, "evaluation/report.html", context)


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    wave, _policy, context = _report(request, pk)
    return pdf_response(
        "evaluation/report_pdf.html", context, request, filename=f"wave-{wave.pk}.pdf"
    )


@require_GET
def export(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponseBase:
    wave = wave_for_view(request.user, pk)  # type: ignore[arg-type]
    policy = StudyPolicy(request_facts(request))
    if kind == "aggregates" and fmt in ("csv", "xlsx"):
        headers, rows = exports.aggregate_table(wave, audience=policy.audience(wave))
        return table_download(
            filename=f"wave-{wave.pk}-figures", fmt=fmt, headers=headers, rows=rows
        )
    if kind != "responses" or fmt not in ("csv", "xlsx", "sav"):
        raise Http404
    if not policy.may("export_respondents", wave):
        raise PermissionDenied
    if fmt == "sav":
        return exports.sav_response(wave)
    headers, rows, _columns = exports.respondent_rows(wave)
    return table_download(filename=f"wave-{wave.pk}-responses", fmt=fmt, headers=headers, rows=rows)


@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_for_view(request.user, pk)  # type: ignore[arg-type]
    policy = StudyPolicy(request_facts(request))
    others = visible_waves(request.user).exclude(pk=wave.pk)  # type: ignore[arg-type]
    form = CompareForm(request.GET or None, waves=others)
    context: dict[str, Any] = {"wave": wave, "form": form}
    if form.is_valid():
        other = form.cleaned_data["other"]
        audience = policy.audience(wave)
        if policy.audience(other) != audience:
            audience = max(
                audience,
                policy.audience(other),
                key=lambda a: ["evaluator", "staff", "steering", "participant", "public"].index(a),
            )
        context.update(
            other=other,
            rows=comparisons.compare_waves(wave, other, audience=audience),
            panel=comparisons.compare_panel(wave, other, audience=audience),
            panel_possible=comparisons.panel_available(wave, other),
        )
    return render(request, "evaluation/compare.html", context, status=status_for(form))


@require_POST
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_for(request.user, pk, "manage")  # type: ignore[arg-type]
    if request.POST.get("delete"):
        services.recommendation_delete(
            wave=wave, pk=int(request.POST["delete"]) if request.POST["delete"].isdigit() else 0
        )
        return redirect("evaluation:report", wave.pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        services.recommendation_add(wave=wave, **form.cleaned_data)
        return redirect("evaluation:report", wave.pk)
    messages.error(
        request, _("The recommendation was not saved: choose a phase and write the text.")
    )
    return redirect("evaluation:report", wave.pk)


@require_http_methods(["GET", "POST"])
def qualitative(request: HttpRequest, pk: int) -> HttpResponse:
    """Free-text answers with their codes, the codes themselves, and qualitative records."""
    wave = wave_for(request.user, pk, "manage")  # type: ignore[arg-type]
    codes = Code.objects.filter(program_id=wave.program_id)
    code_form = CodeForm(prefix="code")
    record_form = RecordForm(prefix="record", codes=codes)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "code":
                code_form = CodeForm(request.POST, prefix="code")
                if code_form.is_valid():
                    services.code_create(wave=wave, **code_form.cleaned_data)
                    return redirect("evaluation:qualitative", wave.pk)
            elif action == "tag":
                answer_id = request.POST.get("answer", "")
                services.answer_set_codes(
                    wave=wave,
                    answer_id=int(answer_id) if answer_id.isdigit() else 0,
                    code_ids=[int(c) for c in request.POST.getlist("codes") if c.isdigit()],
                )
                return redirect("evaluation:qualitative", wave.pk)
            else:
                record_form = RecordForm(request.POST, prefix="record", codes=codes)
                if record_form.is_valid():
                    data = record_form.cleaned_data
                    excerpts = (
                        [(data["excerpt"], [c.pk for c in data["codes"]])]
                        if data["excerpt"]
                        else []
                    )
                    services.record_add(
                        wave=wave,
                        kind=data["kind"],
                        held_on=data["held_on"],
                        participants=data["participants"],
                        summary=data["summary"],
                        excerpts=excerpts,
                    )
                    return redirect("evaluation:qualitative", wave.pk)
        except InvalidInput as error:
            messages.error(request, str(error.message))
            return redirect("evaluation:qualitative", wave.pk)
    answers = list(
        Answer.objects.filter(wave=wave, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("question")
        .order_by("question__position", "pk")[:1000]
    )
    tagged: dict[int, set[int]] = {}
    for answer_id, code_id in AnswerCode.objects.filter(answer__in=answers).values_list(
        "answer_id", "code_id"
    ):
        tagged.setdefault(answer_id, set()).add(code_id)
    context = {
        "wave": wave,
        "codes": list(codes),
        "answers": [(a, tagged.get(a.pk, set())) for a in answers],
        "code_form": code_form,
        "record_form": record_form,
        "records": wave.qualitative_records.prefetch_related("excerpts__codes"),
    }
    return render(
        request, "evaluation/qualitative.html", context, status=status_for(code_form, record_form)
    )
