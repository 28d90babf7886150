"""Pages of the surveys app: the instrument builder, XLSForm exchange, waves and the
respondent form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from movilim.core.errors import InvalidInput
from movilim.core.forms import status_for, submit_once
from movilim.core.tabular import read_table
from movilim.programs.facts import request_facts
from movilim.programs.models import Cohort, Program

from . import conditions, imports, services, xlsform
from .access import (
    instrument_for_management,
    instruments_for_management,
    invitation_for_answering,
    question_for_management,
    section_for_management,
    wave_for,
)
from .forms import (
    DomainForm,
    InstrumentForm,
    QuestionForm,
    SectionForm,
    UploadForm,
    WaveForm,
    XLSFormUploadForm,
)
from .models import (
    Instrument,
    InvitationStatus,
    OutcomeDomain,
    QuestionKind,
    Section,
    WaveInvitation,
)
from .policies import EVALUATORS, InstrumentPolicy
from .queries import instrument_outline, rates_by_subgroup, wave_rate

NEW_VERSION = gettext_lazy(
    "This instrument already has responses, so the change was saved as a new version."
)
SKIPPED = gettext_lazy(
    "Imported; these questions are of types Movilim does not handle and were skipped: %(names)s."
)


def _evaluated_programs(request: HttpRequest) -> Any:
    facts = request_facts(request)
    programs = Program.objects.all()
    return (
        programs if facts.is_admin else programs.filter(pk__in=facts.staff_program_ids(EVALUATORS))
    )


def _require_evaluator(request: HttpRequest) -> None:
    if not InstrumentPolicy(request_facts(request)).user_has_permission("manage"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def instrument_list(request: HttpRequest) -> HttpResponse:
    _require_evaluator(request)
    programs = _evaluated_programs(request)
    form = InstrumentForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> str:
            instrument = services.instrument_create(
                program=data["program"], title_he=data["title_he"], title_en=data["title_en"]
            )
            return reverse("surveys:instrument", args=[instrument.pk])

        return redirect(
            submit_once(user=request.user, token=data["submission_token"], action=create)
        )  # type: ignore[arg-type]
    instruments = (
        instruments_for_management(request.user)  # type: ignore[arg-type]
        .filter(next_version__isnull=True)
        .select_related("program")
    )
    return render(
        request,
        "surveys/instrument_list.html",
        {"instruments": instruments, "form": form, "upload": XLSFormUploadForm(programs=programs)},
        status=status_for(form),
    )


def _parse_choices(text: str) -> list[services.ChoiceSpec]:
    specs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        he, _sep, en = line.partition("|")
        specs.append(services.ChoiceSpec(label_he=he.strip(), label_en=en.strip()))
    return specs


def _instrument_page(
    request: HttpRequest,
    instrument: Instrument,
    *,
    section_form: SectionForm | None = None,
    question_form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    questions, sections, outline = instrument_outline(instrument)
    context = {
        "instrument": instrument,
        "questions": questions,
        "sections": sections,
        "outline": outline,
        "section_form": section_form or SectionForm(prefix="section"),
        "question_form": question_form or QuestionForm(prefix="question", instrument=instrument),
        "frozen": services.instrument_is_frozen(instrument),
        "waves": instrument.waves.all(),
        "newer": Instrument.objects.filter(previous=instrument).first(),
    }
    return render(request, "surveys/instrument_detail.html", context, status=status)


def _saved(request: HttpRequest, instrument: Instrument, target_id: int) -> HttpResponse:
    """Back to the builder of the version changed, saying so when it is a new one."""
    if target_id != instrument.pk:
        messages.info(request, NEW_VERSION)
    return redirect("surveys:instrument", target_id)


@require_http_methods(["GET", "POST"])
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_for_management(request.user, pk)  # type: ignore[arg-type]
    section_form = SectionForm(prefix="section")
    question_form = QuestionForm(prefix="question", instrument=instrument)
    if request.method == "POST":
        try:
            if "section-title_he" in request.POST:
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    section = services.section_add(
                        instrument=instrument, **section_form.cleaned_data
                    )
                    return _saved(request, instrument, section.instrument_id)
            else:
                question_form = QuestionForm(request.POST, prefix="question", instrument=instrument)
                if question_form.is_valid():
                    data = question_form.cleaned_data
                    question = services.question_save(
                        instrument=instrument,
                        code=data["code"],
                        kind=data["kind"],
                        text_he=data["text_he"],
                        text_en=data["text_en"],
                        required=data["required"],
                        domain=data["domain"],
                        section=data["section"],
                        choices=_parse_choices(data["choices"]),
                        relevant=data["relevant"],
                    )
                    return _saved(request, instrument, question.instrument_id)
        except InvalidInput as error:
            question_form.add_error(None, str(error.message))
    return _instrument_page(
        request,
        instrument,
        section_form=section_form,
        question_form=question_form,
        status=status_for(section_form, question_form),
    )


@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    """One place up or down within its section, or to the end of another section."""
    question = question_for_management(request.user, pk)  # type: ignore[arg-type]
    instrument = question.instrument
    try:
        if "direction" in request.POST:
            target = services.question_move(question=question, direction=request.POST["direction"])
        else:
            wanted = request.POST.get("section", "")
            section = None
            if wanted:
                section = (
                    Section.objects.filter(instrument_id=instrument.pk, pk=int(wanted)).first()
                    if wanted.isdigit()
                    else None
                )
                if section is None:
                    raise InvalidInput(_("Choose a section of this form."))
            target = services.question_move_to_section(question=question, section=section)
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return _instrument_page(request, instrument, status=400)
    return _saved(request, instrument, target.pk)


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a section, or delete it once it holds no question."""
    section = section_for_management(request.user, pk)  # type: ignore[arg-type]
    instrument = section.instrument
    form = SectionForm(
        request.POST or None, initial={"title_he": section.title_he, "title_en": section.title_en}
    )
    error = ""
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                target = services.section_delete(section=section)
                messages.success(request, _("The section was deleted."))
                return _saved(request, instrument, target.pk)
            if form.is_valid():
                renamed = services.section_rename(section=section, **form.cleaned_data)
                return _saved(request, instrument, renamed.instrument_id)
        except InvalidInput as problem:
            error = str(problem.message)
    return render(
        request,
        "surveys/section_form.html",
        {
            "section": section,
            "instrument": instrument,
            "form": form,
            "error": error,
            "count": section.questions.count(),
        },
        status=400 if error else status_for(form),
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_for_management(request.user, pk)  # type: ignore[arg-type]
    instrument = question.instrument
    form = QuestionForm(
        request.POST or None, instrument=instrument, initial=QuestionForm.initial_for(question)
    )
    refused = ""
    if request.method == "POST" and "delete" in request.POST:
        try:
            target = services.question_delete(question=question)
        except InvalidInput as error:
            form = QuestionForm(instrument=instrument, initial=QuestionForm.initial_for(question))
            refused = str(error.message)
        else:
            return _saved(request, instrument, target.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.question_save(
                instrument=instrument,
                code=data["code"],
                kind=data["kind"],
                text_he=data["text_he"],
                text_en=data["text_en"],
                required=data["required"],
                domain=data["domain"],
                section=data["section"],
                choices=_parse_choices(data["choices"]),
                replacing=question,
                relevant=data["relevant"],
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
        else:
            return _saved(request, instrument, saved.instrument_id)
    return render(
        request,
        "surveys/question_form.html",
        {"question": question, "instrument": instrument, "form": form, "error": refused},
        status=400 if refused else status_for(form),
    )


@require_http_methods(["GET", "POST"])
def domain_list(request: HttpRequest) -> HttpResponse:
    _require_evaluator(request)
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.domain_save(**form.cleaned_data)
        return redirect("surveys:domains")
    return render(
        request,
        "surveys/domain_list.html",
        {"domains": OutcomeDomain.objects.all(), "form": form},
        status=status_for(form),
    )


#: What the XLSForm import report says of each kind of form logic it did not carry over.
NOT_CARRIED = {
    "relevant": gettext_lazy(
        "Display conditions (relevant) not carried over, so these questions are always shown: "
        "%(items)s. Movilim understands ${name} = 'value' and selected(${name}, 'value') on a "
        "choice question."
    ),
    "constraint": gettext_lazy(
        "Answer checks (constraint) not carried over, so any answer of the right kind is "
        "accepted: %(items)s."
    ),
    "calculate": gettext_lazy("Calculations (calculate) not carried over: %(items)s."),
    "required": gettext_lazy(
        "Conditional required answers not carried over, so these questions are optional: %(items)s."
    ),
    "choice_filter": gettext_lazy(
        "Choice filters (choice_filter) not carried over, so every choice is offered: %(items)s."
    ),
}


def _report_import(request: HttpRequest, outcome: xlsform.ImportOutcome) -> None:
    """The import report, in the reader's language: what was skipped or not carried over."""
    if outcome.skipped:
        messages.warning(request, SKIPPED % {"names": ", ".join(outcome.skipped)})
    for what, sentence in NOT_CARRIED.items():
        # Each item isolated, so that an expression keeps its order in a right-to-left sentence.
        items = [
            f"\u2068{d.name} ({d.expression})\u2069" for d in outcome.dropped if d.what == what
        ]
        if items:
            messages.warning(request, sentence % {"items": "; ".join(items)})
    if outcome.conditions:
        messages.info(
            request,
            ngettext(
                "%(count)s display condition was carried over.",
                "%(count)s display conditions were carried over.",
                outcome.conditions,
            )
            % {"count": outcome.conditions},
        )
    if not outcome.skipped and not outcome.dropped:
        messages.success(request, _("The form was imported."))


@require_POST
def xlsform_import(request: HttpRequest) -> HttpResponse:
    _require_evaluator(request)
    programs = _evaluated_programs(request)
    form = XLSFormUploadForm(request.POST, request.FILES, programs=programs)
    if form.is_valid():
        try:
            outcome = xlsform.import_instrument(
                program=form.cleaned_data["program"], upload=form.cleaned_data["file"]
            )
        except InvalidInput as error:
            form.add_error("file", str(error.message))
        else:
            _report_import(request, outcome)
            return redirect("surveys:instrument", outcome.instrument.pk)
    instruments = instruments_for_management(request.user).filter(next_version__isnull=True)  # type: ignore[arg-type]
    return render(
        request,
        "surveys/instrument_list.html",
        {"instruments": instruments, "form": InstrumentForm(programs=programs), "upload": form},
        status=400,
    )


def xlsform_export(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_for_management(request.user, pk)  # type: ignore[arg-type]
    response = HttpResponse(
        xlsform.export_instrument(instrument),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="instrument-{instrument.pk}-v{instrument.version}.xlsx"'
    )
    return response


@require_http_methods(["GET", "POST"])
def wave_create(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_for_management(request.user, pk)  # type: ignore[arg-type]
    cohorts = Cohort.objects.filter(program_id=instrument.program_id).order_by("-start_date")
    form = WaveForm(request.POST or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("submission_token")

        def create() -> str:
            wave = services.wave_create(instrument=instrument, **data)
            return reverse("surveys:wave", args=[wave.pk])

        try:
            return redirect(submit_once(user=request.user, token=token, action=create))  # type: ignore[arg-type]
        except InvalidInput as error:
            form.add_error(None, str(error.message))
    return render(
        request,
        "surveys/wave_form.html",
        {"instrument": instrument, "form": form},
        status=status_for(form),
    )


def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_for(request.user, pk, "view")  # type: ignore[arg-type]
    facts = request_facts(request)
    from .policies import WavePolicy, audience_for

    policy = WavePolicy(facts)
    evaluator = policy.user_has_permission_for_instance("view_respondents", wave)
    rate, statuses = wave_rate(wave)
    context: dict[str, Any] = {
        "wave": wave,
        "rate": rate,
        "statuses": [(label, statuses.get(value, 0)) for value, label in InvitationStatus.choices],
        "rates_by": rates_by_subgroup(wave, audience=audience_for(facts, wave.program_id)),
        "can_manage": evaluator,
        "upload": UploadForm(),
    }
    if evaluator:
        context["invitations"] = list(
            wave.invitations.select_related("person__user").order_by("person__user__last_name")[
                :500
            ]
        )
    return render(request, "surveys/wave_detail.html", context)


@require_POST
def wave_invite(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_for(request.user, pk, "manage")  # type: ignore[arg-type]
    action = request.POST.get("action")
    if action not in ("invite", "remind"):
        messages.error(request, _("Choose whether to invite or to remind."))
        return redirect("surveys:wave", wave.pk)
    if action == "remind":
        ids = services.wave_remind(wave=wave)
        messages.success(
            request, _("Reminders are being sent to %(count)s people.") % {"count": len(ids)}
        )
    else:
        ids = services.wave_invite(wave=wave)
        messages.success(
            request, _("Invitations are being sent to %(count)s people.") % {"count": len(ids)}
        )
    return redirect("surveys:wave", wave.pk)


@require_http_methods(["GET", "POST"])
def responses_import(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_for(request.user, pk, "manage")  # type: ignore[arg-type]
    form = UploadForm(request.POST or None, request.FILES or None)
    result: imports.ImportResult | None = None
    status = status_for(form)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        questions = services.instrument_questions(wave.instrument)
        try:
            table = read_table(upload, imports.columns_for(questions))
            digest = imports.file_digest(upload)
        except InvalidInput as error:
            form.add_error("file", str(error.message))
            status = 400
        else:
            result = imports.responses_import(
                wave=wave, rows=table.rows, digest=digest, file_name=upload.name or ""
            )
            if result.already_on is not None:
                form.add_error(
                    "file",
                    _("This file was already imported on %(date)s; nothing was stored again.")
                    % {"date": date_format(timezone.localtime(result.already_on), "j.n.Y")},
                )
                status = 400
            elif result.errors:
                form.add_error(
                    "file",
                    _("Nothing was imported: fix the rows below and upload the file again."),
                )
                status = 400
            elif not result.skipped:
                messages.success(
                    request, _("%(count)s responses were imported.") % {"count": result.created}
                )
                return redirect("surveys:wave", wave.pk)
            else:
                status = 200
    return render(
        request,
        "surveys/responses_import.html",
        {"wave": wave, "form": form, "result": result},
        status=status,
    )


def my_questionnaires(request: HttpRequest) -> HttpResponse:
    facts = request_facts(request)
    invitations = (
        WaveInvitation.objects.filter(person_id=facts.person_id)
        .select_related("wave")
        .order_by("-wave__opens_on")
        if facts.person_id
        else WaveInvitation.objects.none()
    )
    return render(
        request,
        "surveys/my_questionnaires.html",
        {"invitations": invitations, "today": timezone.localdate()},
    )


def _condition_hint(question: Any, by_code: dict[str, Any]) -> dict[str, str] | None:
    """What the form needs to show ``question`` only when its condition holds: the question
    and the choice it depends on (for the page's script and for its hint)."""
    condition = conditions.parse(question.relevant) if question.relevant else None
    source = by_code.get(condition.code) if condition is not None else None
    if condition is None or source is None:
        return None
    label = next(
        (c.label for c in source.choices.all() if str(c.value) == condition.value),
        condition.value,
    )
    return {"code": source.code, "value": condition.value, "label": label, "source": source.text}


def _respond(request: HttpRequest, invitation: WaveInvitation, action_url: str) -> HttpResponse:
    wave = invitation.wave
    questions = services.instrument_questions(wave.instrument)
    today = timezone.localdate()
    if invitation.status == InvitationStatus.SUBMITTED:
        return render(request, "surveys/respond_done.html", {"wave": wave})
    if not wave.opens_on <= today <= wave.closes_on:
        return render(
            request,
            "surveys/respond_closed.html",
            {"wave": wave},
            status=410 if today > wave.closes_on else 200,
        )
    answers: dict[str, Any] = dict(invitation.draft or {})
    missing: list[Any] = []
    error = ""
    status = 200
    if request.method == "POST":
        raw: dict[str, Any] = {}
        for q in questions:
            raw[q.code] = (
                request.POST.getlist(q.code)
                if q.kind == QuestionKind.MULTIPLE
                else request.POST.get(q.code, "")
            )
        try:
            if "save" in request.POST:
                answers = services.invitation_save_progress(invitation=invitation, raw=raw)
                messages.success(
                    request,
                    _("Your answers so far were saved. You can continue later from the same link."),
                )
                return redirect(action_url)
            result = services.invitation_submit(invitation=invitation, raw=raw)
        except InvalidInput as problem:
            error, status = str(problem.message), 400
            answers = {k: v for k, v in raw.items() if v not in ("", [])}
        else:
            if not result.missing:
                return render(request, "surveys/respond_done.html", {"wave": wave, "thanks": True})
            missing = result.missing
            status = 400
            answers = services.clean_answers(questions, raw)
            services.invitation_save_progress(invitation=invitation, raw=raw)
    else:
        services.invitation_opened(invitation=invitation)
    by_code = {q.code: q for q in questions}
    visible = conditions.shown(questions, answers)
    sections: list[tuple[Any, list[Any]]] = []
    for q in questions:
        if not sections or sections[-1][0] != q.section:
            sections.append((q.section, []))
        value = answers.get(q.code)
        chosen = (
            {str(v) for v in value}
            if isinstance(value, list)
            else ({str(value)} if value not in (None, "") else set())
        )
        sections[-1][1].append(
            (
                q,
                chosen,
                value if q.kind in (QuestionKind.TEXT, QuestionKind.NUMBER) else None,
                _condition_hint(q, by_code),
                q.code in visible,
            )
        )
    return render(
        request,
        "surveys/respond.html",
        {
            "wave": wave,
            "sections": sections,
            "missing": missing,
            "missing_codes": {q.code for q in missing},
            "error": error,
            "action_url": action_url,
        },
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation mail: the token is the key, no sign-in needed."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404
    return _respond(request, invitation, reverse("surveys:answer_token", args=[token]))


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_for_answering(request.user, pk)  # type: ignore[arg-type]
    return _respond(request, invitation, reverse("surveys:answer", args=[pk]))
