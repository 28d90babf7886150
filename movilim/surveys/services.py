"""Every write of the surveys app: keyword-only functions, one transaction each.

Editing an instrument goes through :func:`editable_instrument`: once any wave of it has a
response, its questions are frozen and the edit lands on a new version (copied with its
sections, questions and choices), which later waves use. Answers keep pointing to the
question they answered.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment, Program

from .models import (
    AGREEMENT_KINDS,
    CLOSED_KINDS,
    LIKERT_LABELS,
    YESNO_LABELS,
    Answer,
    Choice,
    Instrument,
    InvitationStatus,
    OutcomeDomain,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Section,
    TimePoint,
    Wave,
    WaveInvitation,
    WaveMode,
)

if TYPE_CHECKING:
    pass

__all__ = ["AGREEMENT_KINDS"]


# --- outcome domains ----------------------------------------------------------------------------

#: The outcome domains of the program's evaluation studies, which every installation starts with
#: (the migration ``0002_outcome_domains`` stores the same list).
DEFAULT_DOMAINS = (
    ("knowledge", "ידע", "Knowledge"),
    ("perceptions", "תפיסות", "Perceptions"),
    ("tools_skills", "כלים ומיומנויות", "Tools and skills"),
    ("empowerment", "העצמה", "Empowerment"),
    ("role_perception", "תפיסת תפקיד", "Role perception"),
    ("ties", "קשרים מקצועיים", "Professional ties"),
    ("satisfaction", "שביעות רצון", "Satisfaction"),
    ("projects", "פרויקטים", "Projects"),
)


def domains_ensure_defaults() -> None:
    """Add any default domain missing (by its short name); existing ones are left as edited."""
    for position, (key, name_he, name_en) in enumerate(DEFAULT_DOMAINS):
        OutcomeDomain.objects.get_or_create(
            key=key, defaults={"name_he": name_he, "name_en": name_en, "position": position}
        )


def domain_save(*, key: str, name_he: str, name_en: str = "", position: int = 0) -> OutcomeDomain:
    domain, _created = OutcomeDomain.objects.update_or_create(
        key=key, defaults={"name_he": name_he, "name_en": name_en, "position": position}
    )
    return domain


# --- instruments ----------------------------------------------------------------------------


def instrument_create(*, program: Program, title_he: str, title_en: str = "") -> Instrument:
    return Instrument.objects.create(program=program, title_he=title_he, title_en=title_en)


def instrument_is_frozen(instrument: Instrument) -> bool:
    return Response.objects.filter(wave__instrument=instrument).exists()


@transaction.atomic
def editable_instrument(*, instrument: Instrument) -> Instrument:
    """The version an edit should change: ``instrument`` itself, or — when a wave of it has
    responses — its next version, created here as a copy if there is none yet."""
    Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
    if not instrument_is_frozen(instrument):
        return instrument
    successor = Instrument.objects.filter(previous=instrument).first()
    if successor is not None:
        return editable_instrument(instrument=successor)
    copy = Instrument.objects.create(
        program_id=instrument.program_id,
        title_he=instrument.title_he,
        title_en=instrument.title_en,
        version=instrument.version + 1,
        previous=instrument,
    )
    sections = {}
    for section in instrument.sections.all():
        sections[section.pk] = Section.objects.create(
            instrument=copy,
            position=section.position,
            title_he=section.title_he,
            title_en=section.title_en,
        )
    for question in instrument.questions.prefetch_related("choices"):
        new = Question.objects.create(
            instrument=copy,
            section=sections.get(question.section_id) if question.section_id else None,
            position=question.position,
            code=question.code,
            kind=question.kind,
            text_he=question.text_he,
            text_en=question.text_en,
            required=question.required,
            domain_id=question.domain_id,
        )
        Choice.objects.bulk_create(
            Choice(
                question=new,
                value=c.value,
                name=c.name,
                label_he=c.label_he,
                label_en=c.label_en,
            )
            for c in question.choices.all()
        )
    return copy


def section_add(*, instrument: Instrument, title_he: str, title_en: str = "") -> Section:
    target = editable_instrument(instrument=instrument)
    position = target.sections.count()
    return Section.objects.create(
        instrument=target, position=position, title_he=title_he, title_en=title_en
    )


@dataclass(frozen=True)
class ChoiceSpec:
    label_he: str
    label_en: str = ""
    name: str = ""


def _fixed_choices(kind: str) -> list[tuple[int, str, str]]:
    from django.utils import translation

    labels = LIKERT_LABELS if kind == QuestionKind.LIKERT else YESNO_LABELS
    out = []
    for value, label in labels:
        with translation.override("he"):
            he = str(label)
        with translation.override("en"):
            en = str(label)
        out.append((value, he, en))
    return out


def _check_question(kind: str, domain: OutcomeDomain | None, choices: Sequence[ChoiceSpec]) -> None:
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        raise InvalidInput(_("A choice question needs at least two choices."))
    if kind not in CLOSED_KINDS and domain is not None:
        raise InvalidInput(_("Only closed questions are mapped to an outcome domain."))


@transaction.atomic
def question_save(
    *,
    instrument: Instrument,
    code: str,
    kind: str,
    text_he: str,
    text_en: str = "",
    required: bool = True,
    domain: OutcomeDomain | None = None,
    section: Section | None = None,
    choices: Sequence[ChoiceSpec] = (),
    replacing: Question | None = None,
) -> Question:
    """Add a question, or change ``replacing``; on a frozen instrument both go to the next
    version (the question of the same code there)."""
    _check_question(kind, domain, choices)
    target = editable_instrument(instrument=instrument)
    if section is not None and section.instrument_id != target.pk:
        section = target.sections.filter(position=section.position).first()
    existing = None
    if replacing is not None:
        existing = target.questions.filter(code=replacing.code).first()
    clash = target.questions.filter(code=code)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise InvalidInput(
            _("Another question of this instrument already has the variable name “%(code)s”.")
            % {"code": code}
        )
    values: dict[str, Any] = {
        "code": code,
        "kind": kind,
        "text_he": text_he,
        "text_en": text_en,
        "required": required,
        "domain": domain,
        "section": section,
    }
    if existing is None:
        question = Question(instrument=target, position=target.questions.count(), **values)
    else:
        question = existing
        for name, value in values.items():
            setattr(question, name, value)
    try:
        question.full_clean(exclude=["instrument"])
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    question.save()
    question.choices.all().delete()
    if kind in (QuestionKind.LIKERT, QuestionKind.YESNO):
        rows = [
            Choice(question=question, value=v, label_he=he, label_en=en)
            for v, he, en in _fixed_choices(kind)
        ]
    else:
        rows = [
            Choice(
                question=question,
                value=index,
                name=spec.name or str(index),
                label_he=spec.label_he,
                label_en=spec.label_en,
            )
            for index, spec in enumerate(choices, start=1)
        ]
    Choice.objects.bulk_create(rows)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> Instrument:
    target = editable_instrument(instrument=question.instrument)
    target.questions.filter(code=question.code).delete()
    return target


# --- waves and invitations -----------------------------------------------------------------


@transaction.atomic
def wave_create(
    *,
    instrument: Instrument,
    cohort: Cohort | None,
    name_he: str,
    name_en: str = "",
    time_point: str,
    months_after: int | None,
    opens_on: date,
    closes_on: date,
    mode: str,
    background: str = "",
) -> Wave:
    if cohort is not None and cohort.program_id != instrument.program_id:
        raise InvalidInput(_("The cohort must belong to the instrument's program."))
    wave = Wave(
        instrument=instrument,
        program_id=instrument.program_id,
        cohort=cohort,
        name_he=name_he,
        name_en=name_en,
        time_point=time_point,
        months_after=months_after if time_point == TimePoint.FOLLOW_UP else None,
        opens_on=opens_on,
        closes_on=closes_on,
        mode=mode,
        background=background,
    )
    try:
        wave.full_clean()
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    wave.save()
    return wave


def wave_population(wave: Wave) -> Iterable[int]:
    """The people a wave is for: the cohort's members, or every member of the program's
    cohorts (its alumni) when the wave names no cohort."""
    enrollments = Enrollment.objects.filter(status__in=MEMBER_STATUSES)
    if wave.cohort_id:
        enrollments = enrollments.filter(cohort_id=wave.cohort_id)
    else:
        enrollments = enrollments.filter(cohort__program_id=wave.program_id)
    return enrollments.values_list("person_id", flat=True).distinct()


def invitation_token(invitation: WaveInvitation) -> str:
    """The secret part of the invitation's link; only the nonce it is derived from is stored."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"movilim.surveys.invitation:{invitation.pk}:{invitation.nonce}".encode(),
        "sha256",
    ).hexdigest()[:32]
    return f"{invitation.pk}-{digest}"


def invitation_by_token(token: str) -> WaveInvitation | None:
    pk_text, _sep, _digest = token.partition("-")
    if not pk_text.isdigit():
        return None
    invitation = (
        WaveInvitation.objects.select_related("wave__instrument").filter(pk=int(pk_text)).first()
    )
    if invitation is None or not hmac.compare_digest(invitation_token(invitation), token):
        return None
    return invitation


@transaction.atomic
def wave_invite(*, wave: Wave, person_ids: Iterable[int] | None = None) -> list[int]:
    """Invite the wave's population (or ``person_ids`` of it) not yet invited; the mails go
    from a background task once the transaction commits. Returns the new invitations' ids."""
    population = set(wave_population(wave))
    wanted = population if person_ids is None else population & set(person_ids)
    already = set(wave.invitations.values_list("person_id", flat=True))
    new = [
        WaveInvitation(wave=wave, person_id=pid, nonce=secrets.token_hex(16))
        for pid in sorted(wanted - already)
    ]
    WaveInvitation.objects.bulk_create(new, ignore_conflicts=True)
    ids = list(
        wave.invitations.filter(person_id__in=[i.person_id for i in new]).values_list(
            "pk", flat=True
        )
    )
    if ids:
        from .tasks import send_wave_invitations

        transaction.on_commit(lambda: send_wave_invitations.enqueue(invitation_ids=ids))
    return ids


def wave_remind(*, wave: Wave) -> list[int]:
    """Queue a reminder to everyone invited who has not submitted."""
    ids = list(
        wave.invitations.exclude(status=InvitationStatus.SUBMITTED).values_list("pk", flat=True)
    )
    if ids:
        from .tasks import send_wave_invitations

        transaction.on_commit(
            lambda: send_wave_invitations.enqueue(invitation_ids=ids, reminder=True)
        )
    return ids


def invitation_opened(*, invitation: WaveInvitation) -> None:
    WaveInvitation.objects.filter(
        pk=invitation.pk,
        status__in=[InvitationStatus.QUEUED, InvitationStatus.SENT, InvitationStatus.FAILED],
    ).update(status=InvitationStatus.OPENED)


# --- answers ----------------------------------------------------------------------------------


def clean_answers(questions: Sequence[Question], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers among ``raw`` (by question code) that fit their question, normalized:
    an int, a sorted list of ints (multiple choice) or text. Unknown or empty ones are dropped;
    a value that does not fit raises ``InvalidInput`` naming the question."""
    out: dict[str, Any] = {}
    for question in questions:
        value = raw.get(question.code)
        if value in (None, "", []):
            continue
        allowed = {c.value for c in question.choices.all()}
        try:
            if question.kind == QuestionKind.TEXT:
                out[question.code] = str(value).strip()[:5000]
                continue
            if question.kind == QuestionKind.MULTIPLE:
                values = value if isinstance(value, list | tuple) else str(value).split()
                numbers = sorted({int(v) for v in values})
                if not set(numbers) <= allowed:
                    raise ValueError
                out[question.code] = numbers
                continue
            number = int(str(value).strip())
            if question.kind != QuestionKind.NUMBER and number not in allowed:
                raise ValueError
            out[question.code] = number
        except (TypeError, ValueError):
            raise InvalidInput(
                _("The answer to “%(question)s” is not one of its values.")
                % {"question": question.text}
            ) from None
    return out


def missing_required(questions: Sequence[Question], answers: Mapping[str, Any]) -> list[Question]:
    return [q for q in questions if q.required and q.code not in answers]


def instrument_questions(instrument: Instrument) -> list[Question]:
    return list(
        instrument.questions.select_related("section", "domain").prefetch_related("choices")
    )


def invitation_save_progress(
    *, invitation: WaveInvitation, raw: Mapping[str, Any]
) -> dict[str, Any]:
    """Keep the answers so far on the invitation (nothing is a response yet)."""
    answers = clean_answers(instrument_questions(invitation.wave.instrument), raw)
    WaveInvitation.objects.filter(pk=invitation.pk, submitted_at__isnull=True).update(
        draft=answers, status=InvitationStatus.STARTED
    )
    return answers


def _answer_rows(
    response: Response, questions: Sequence[Question], answers: Mapping[str, Any]
) -> list[Answer]:
    rows = []
    for question in questions:
        value = answers.get(question.code)
        if value is None:
            continue
        if question.kind == QuestionKind.TEXT:
            rows.append(
                Answer(response=response, wave_id=response.wave_id, question=question, text=value)
            )
        elif question.kind == QuestionKind.MULTIPLE:
            rows.extend(
                Answer(response=response, wave_id=response.wave_id, question=question, number=v)
                for v in value
            )
        else:
            rows.append(
                Answer(response=response, wave_id=response.wave_id, question=question, number=value)
            )
    return rows


def _respondent_profile(person: Person, wave: Wave) -> dict[str, Any]:
    cohort_id = wave.cohort_id
    if cohort_id is None:
        cohort_id = (
            Enrollment.objects.filter(person=person, cohort__program_id=wave.program_id)
            .order_by("-cohort__start_date")
            .values_list("cohort_id", flat=True)
            .first()
        )
    kind = person.organization.kind if person.organization is not None else ""
    return {"org_kind": kind, "gender": person.gender, "cohort_id": cohort_id}


@dataclass(frozen=True)
class Submitted:
    created: bool
    missing: list[Question]


def invitation_submit(*, invitation: WaveInvitation, raw: Mapping[str, Any]) -> Submitted:
    """Store the response, once. A second submission (double click, another tab) finds the
    invitation already used and stores nothing: the conditional update below lets exactly one
    transaction through, and in a confidential wave the response's unique invitation backs it.
    In an anonymous wave the response gets no invitation, person or draft."""
    wave = invitation.wave
    questions = instrument_questions(wave.instrument)
    answers = clean_answers(questions, raw)
    missing = missing_required(questions, answers)
    if missing:
        return Submitted(created=False, missing=missing)
    person = Person.objects.select_related("organization").get(pk=invitation.person_id)
    confidential = wave.mode == WaveMode.CONFIDENTIAL
    now = timezone.now()
    if not confidential:
        # Only the day is kept on both sides: exact times would pair an invitation with its
        # response.
        now = now.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        with transaction.atomic():
            claimed = WaveInvitation.objects.filter(
                pk=invitation.pk, submitted_at__isnull=True
            ).update(status=InvitationStatus.SUBMITTED, submitted_at=now, draft={})
            if not claimed:
                return Submitted(created=False, missing=[])
            response = Response.objects.create(
                wave=wave,
                invitation=invitation if confidential else None,
                person=person if confidential else None,
                submitted_at=now,
                source=ResponseSource.FORM,
                **_respondent_profile(person, wave),
            )
            Answer.objects.bulk_create(_answer_rows(response, questions, answers))
    except IntegrityError:
        return Submitted(created=False, missing=[])
    return Submitted(created=True, missing=[])


# --- responses collected elsewhere ---------------------------------------------------------


def _by_choice_name(question: Question, value: Any) -> Any:
    """KoboToolbox and ODK export a choice by its XLSForm name ("tour"), Movilim by its value:
    names are read as their values, anything else is left for ``clean_answers`` to judge."""
    names = {c.name: str(c.value) for c in question.choices.all() if c.name}
    if isinstance(value, list):
        return [names.get(v, v) for v in value]
    return names.get(value, value)


@dataclass
class ImportResult:
    created: int = 0
    errors: list[tuple[int, str]] | None = None


def responses_import(*, wave: Wave, rows: Sequence[tuple[int, Mapping[str, str]]]) -> ImportResult:
    """Rows keyed by question code (and optionally ``org_kind``/``gender``); every row is
    checked first and the rows are stored all or none, with a report of each row's errors."""
    questions = instrument_questions(wave.instrument)
    errors: list[tuple[int, str]] = []
    cleaned: list[tuple[dict[str, Any], Mapping[str, str]]] = []
    for number, values in rows:
        raw: dict[str, Any] = {}
        for q in questions:
            value = values.get(q.code, "")
            raw[q.code] = value.split() if q.kind == QuestionKind.MULTIPLE else value
            if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                raw[q.code] = _by_choice_name(q, raw[q.code])
        try:
            answers = clean_answers(questions, raw)
        except InvalidInput as error:
            errors.append((number, str(error.message)))
            continue
        missing = missing_required(questions, answers)
        if missing:
            errors.append(
                (
                    number,
                    _("Missing required answers: %(codes)s.")
                    % {"codes": ", ".join(q.code for q in missing)},
                )
            )
            continue
        cleaned.append((answers, values))
    if errors:
        return ImportResult(created=0, errors=errors)
    now = timezone.now()
    with transaction.atomic():
        for answers, values in cleaned:
            response = Response.objects.create(
                wave=wave,
                submitted_at=now,
                source=ResponseSource.IMPORT,
                org_kind=values.get("org_kind", "")[:20],
                gender=values.get("gender", "")[:10],
                cohort_id=wave.cohort_id,
            )
            Answer.objects.bulk_create(_answer_rows(response, questions, answers))
    return ImportResult(created=len(cleaned), errors=[])


def waves_of_people(person_id: int) -> Q:
    return Q(invitations__person_id=person_id)
