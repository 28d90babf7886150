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
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from movilim.core.errors import InvalidInput
from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment, Program

from . import conditions
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
from .queries import cohort_enrollments, network_wave

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
            relevant=question.relevant,
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


@transaction.atomic
def section_add(*, instrument: Instrument, title_he: str, title_en: str = "") -> Section:
    target = editable_instrument(instrument=instrument)
    # After the last one of this version and of the earlier ones: a section of an earlier
    # version is found in this one by its position, so a place a deleted section had must not
    # be given to a new one.
    versions = [target.pk]
    previous = target.previous_id
    while previous is not None:
        versions.append(previous)
        previous = Instrument.objects.filter(pk=previous).values_list("previous_id", flat=True)[0]
    last = Section.objects.filter(instrument_id__in=versions).aggregate(last=Max("position"))[
        "last"
    ]
    return Section.objects.create(
        instrument=target,
        position=0 if last is None else last + 1,
        title_he=title_he,
        title_en=title_en,
    )


def _same_section(target: Instrument, section: Section) -> Section:
    """``section``, or the section in its place in ``target`` (a later version)."""
    if section.instrument_id == target.pk:
        return section
    found = target.sections.filter(position=section.position).first()
    if found is None:
        raise InvalidInput(_("This section is no longer in the newest version of the form."))
    return found


def _same_question(target: Instrument, question: Question) -> Question:
    if question.instrument_id == target.pk:
        return question
    found = target.questions.filter(code=question.code).first()
    if found is None:
        raise InvalidInput(_("This question is no longer in the newest version of the form."))
    return found


@transaction.atomic
def section_rename(*, section: Section, title_he: str, title_en: str = "") -> Section:
    """Rename ``section`` (in the next version once the form has responses)."""
    target = editable_instrument(instrument=section.instrument)
    section = _same_section(target, section)
    section.title_he, section.title_en = title_he, title_en
    section.save(update_fields=["title_he", "title_en"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> Instrument:
    """Delete an empty section; a section that still holds questions is refused, so that no
    question loses its place by accident. Returns the version changed."""
    target = editable_instrument(instrument=section.instrument)
    section = _same_section(target, section)
    count = section.questions.count()
    if count:
        raise InvalidInput(
            ngettext(
                "The section “%(section)s” still has %(count)s question: move it to another "
                "section or delete it, then delete the section.",
                "The section “%(section)s” still has %(count)s questions: move them to another "
                "section or delete them, then delete the section.",
                count,
            )
            % {"section": section.title, "count": count}
        )
    section.delete()
    return target


def _save_order(ordered: list[Question], moved: Question) -> None:
    """Number the questions 0, 1, 2... in this order, writing only those that changed."""
    changed = []
    for index, question in enumerate(ordered):
        if question.position != index or question.pk == moved.pk:
            question.position = index
            changed.append(question)
    Question.objects.bulk_update(changed, ["position", "section"])


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Instrument:
    """Move ``question`` one place up or down among the questions of its section (the first
    stays first, the last stays last). Returns the version changed."""
    if direction not in ("up", "down"):
        raise InvalidInput(_("Choose whether to move the question up or down."))
    target = editable_instrument(instrument=question.instrument)
    question = _same_question(target, question)
    ordered = list(target.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    same = [i for i, q in enumerate(ordered) if q.section_id == question.section_id]
    neighbours = (
        [i for i in same if i < index] if direction == "up" else [i for i in same if i > index]
    )
    if not neighbours:
        return target
    # Up: into the place of the previous question of the section; down: past the next one.
    place = neighbours[-1] if direction == "up" else neighbours[0]
    ordered.insert(place, ordered.pop(index))
    _save_order(ordered, question)
    return target


@transaction.atomic
def question_move_to_section(*, question: Question, section: Section | None) -> Instrument:
    """Move ``question`` to the end of ``section`` (None: out of every section, to the end of
    the form). Into an empty
    section it goes where that section stands among the others: before the first question of
    a later section, or at the end. Returns the version changed."""
    original = question
    target = editable_instrument(instrument=question.instrument)
    question = _same_question(target, question)
    if section is not None:
        if section.instrument_id not in (original.instrument_id, target.pk):
            raise InvalidInput(_("Choose a section of this form."))
        section = _same_section(target, section)
    ordered = [q for q in target.questions.order_by("position", "pk") if q.pk != question.pk]
    question.section = section
    section_id = section.pk if section is not None else None
    mine = [i for i, q in enumerate(ordered) if q.section_id == section_id]
    if section is None:
        place = len(ordered)
    elif mine:
        place = mine[-1] + 1
    else:
        positions = dict(target.sections.values_list("pk", "position"))
        later = [
            i
            for i, q in enumerate(ordered)
            if q.section_id is not None and positions[q.section_id] > section.position
        ]
        place = later[0] if later else len(ordered)
    ordered.insert(place, question)
    _save_order(ordered, question)
    return target


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
    relevant: str | None = None,
) -> Question:
    """Add a question, or change ``replacing``; on a frozen instrument both go to the next
    version (the question of the same code there). ``relevant`` is its display condition
    (see ``conditions``; "" for none, None to keep the one it has)."""
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
    if relevant is not None:
        others = {q.code: q for q in target.questions.prefetch_related("choices")}
        values["relevant"] = conditions.resolve(relevant, others, own_code=code)
    new_labels = (
        {v: he for v, he, _en in _fixed_choices(kind)}
        if kind in (QuestionKind.LIKERT, QuestionKind.YESNO)
        else {i: spec.label_he for i, spec in enumerate(choices, start=1)}
    )
    if existing is not None:
        _check_dependents(target, existing, code=code, kind=kind, labels=new_labels)
    if existing is None:
        last = target.questions.aggregate(last=Max("position"))["last"]
        question = Question(instrument=target, position=0 if last is None else last + 1, **values)
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


def _check_dependents(
    target: Instrument,
    question: Question,
    *,
    code: str | None = None,
    kind: str | None = None,
    labels: Mapping[int, str] | None = None,
) -> None:
    """Refuse a change that would leave another question's display condition pointing at
    nothing: deleting ``question`` (no ``code``), renaming it, making it a question without
    choices, or taking away or relabelling a choice a condition names."""
    siblings = list(target.questions.exclude(pk=question.pk))
    for dependent in conditions.dependents(siblings, question.code):
        condition = conditions.parse(dependent.relevant)
        old_labels = {c.value: c.label_he for c in question.choices.all()}
        value = int(condition.value) if condition is not None else None
        broken = (
            code is None
            or code != question.code
            or kind not in CLOSED_KINDS
            or (kind == QuestionKind.MULTIPLE and condition is not None and not condition.selected)
            or labels is None
            or value not in labels
            or labels.get(value) != old_labels.get(value)  # type: ignore[arg-type]
        )
        if broken:
            raise InvalidInput(
                _(
                    "The display condition of “%(question)s” refers to this question and its "
                    "answer “%(value)s”: change or clear that condition first."
                )
                % {
                    "question": dependent.text,
                    "value": old_labels.get(value, condition.value if condition else ""),  # type: ignore[arg-type]
                }
            )


@transaction.atomic
def question_delete(*, question: Question) -> Instrument:
    target = editable_instrument(instrument=question.instrument)
    existing = target.questions.filter(code=question.code).first()
    if existing is not None:
        _check_dependents(target, existing)
        existing.delete()
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


#: Statuses of an invitation whose person has not yet reached the form: a mail to them that
#: fails or bounces makes it failed.
NOT_REACHED = (InvitationStatus.QUEUED, InvitationStatus.SENT, InvitationStatus.FAILED)
#: Statuses of an invitation whose person followed the link: they have it, so a later mail that
#: fails or bounces (a reminder) is recorded beside the status without undoing it.
REACHED = (InvitationStatus.OPENED, InvitationStatus.STARTED)


@transaction.atomic
def invitation_mail_failed(*, invitation_id: int, error: str) -> str | None:
    """Record that a mail of this invitation did not arrive: refused by the mail server when
    sent, or bounced by the recipient's server later (``bounces.py``), which may be after the
    person opened the form, started answering or was reminded.

    Not yet reached (queued, sent, reminded, failed): the invitation becomes failed, with the
    error. Reached (opened, started): the status stays, the error is kept beside it. Submitted:
    nothing changes. Each case is one conditional update, so a submission committed meanwhile
    is never overwritten. Returns the status written, or None when nothing changed."""
    error = error[:2000]
    if WaveInvitation.objects.filter(pk=invitation_id, status__in=NOT_REACHED).update(
        status=InvitationStatus.FAILED, last_error=error
    ):
        return InvitationStatus.FAILED
    reached = WaveInvitation.objects.filter(pk=invitation_id, status__in=REACHED)
    status = reached.values_list("status", flat=True).first()
    if status is not None and reached.update(last_error=error):
        return status
    return None


def invitation_opened(*, invitation: WaveInvitation) -> None:
    WaveInvitation.objects.filter(
        pk=invitation.pk,
        status__in=[InvitationStatus.QUEUED, InvitationStatus.SENT, InvitationStatus.FAILED],
    ).update(status=InvitationStatus.OPENED)


# --- answers ----------------------------------------------------------------------------------


def clean_answers(questions: Sequence[Question], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers among ``raw`` (by question code) that fit their question, normalized:
    an int, a sorted list of ints (multiple choice) or text. Unknown or empty ones are dropped,
    and so are answers to questions that their display condition hides; a value that does not
    fit raises ``InvalidInput`` naming the question."""
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
    if any(q.relevant for q in questions):
        visible = conditions.shown(questions, out)
        out = {code: value for code, value in out.items() if code in visible}
    return out


def missing_required(questions: Sequence[Question], answers: Mapping[str, Any]) -> list[Question]:
    """The required questions without an answer, among those shown: a question hidden by its
    display condition is not required."""
    visible = (
        conditions.shown(questions, answers)
        if any(q.relevant for q in questions)
        else {q.code for q in questions}
    )
    return [q for q in questions if q.required and q.code in visible and q.code not in answers]


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


def respondent_profiles(wave: Wave, people: Sequence[Person]) -> dict[int, dict[str, Any]]:
    """What a response keeps of each respondent for subgroup figures, by person: organization
    kind, gender and cohort — the wave's, or the latest they were a member of among
    ``queries.cohort_enrollments`` (one query for them all). ``people`` come with their
    organization."""
    cohorts: dict[int, int] = {}
    if wave.cohort_id is not None and not network_wave(wave):
        cohorts = {p.pk: wave.cohort_id for p in people}
    elif people:
        for person_id, cohort_id in (
            cohort_enrollments(wave)
            .filter(person_id__in=[p.pk for p in people])
            .order_by("person_id", "-cohort__start_date", "-cohort_id")
            .values_list("person_id", "cohort_id")
        ):
            cohorts.setdefault(person_id, cohort_id)
    return {
        p.pk: {
            "org_kind": p.organization.kind if p.organization is not None else "",
            "gender": p.gender,
            "cohort_id": cohorts.get(p.pk),
        }
        for p in people
    }


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
                **respondent_profiles(wave, [person])[person.pk],
            )
            Answer.objects.bulk_create(_answer_rows(response, questions, answers))
    except IntegrityError:
        return Submitted(created=False, missing=[])
    return Submitted(created=True, missing=[])


def waves_of_people(person_id: int) -> Q:
    return Q(invitations__person_id=person_id)
