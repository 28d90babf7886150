"""Writes of the evaluation app: codes, coding, qualitative records, recommendations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.surveys.models import Answer, Wave

from .models import AnswerCode, Code, Excerpt, QualitativeRecord, Recommendation


def code_create(*, wave: Wave, name_he: str, name_en: str = "") -> Code:
    code, _created = Code.objects.get_or_create(
        program_id=wave.program_id, name_he=name_he, defaults={"name_en": name_en}
    )
    return code


@transaction.atomic
def answer_set_codes(*, wave: Wave, answer_id: int, code_ids: Iterable[int]) -> None:
    """Replace the codes of one free-text answer of ``wave`` with those given."""
    answer = Answer.objects.filter(pk=answer_id, wave=wave, number__isnull=True).first()
    if answer is None:
        raise InvalidInput(_("That answer is not a free-text answer of this wave."))
    codes = list(Code.objects.filter(pk__in=list(code_ids), program_id=wave.program_id))
    AnswerCode.objects.filter(answer=answer).delete()
    AnswerCode.objects.bulk_create(AnswerCode(answer=answer, code=c) for c in codes)


@transaction.atomic
def record_add(
    *,
    wave: Wave,
    kind: str,
    held_on: date,
    participants: int,
    summary: str,
    excerpts: Iterable[tuple[str, Iterable[int]]] = (),
) -> QualitativeRecord:
    record = QualitativeRecord.objects.create(
        wave=wave, kind=kind, held_on=held_on, participants=participants, summary=summary
    )
    for text, code_ids in excerpts:
        excerpt_add(record=record, text=text, code_ids=code_ids)
    return record


def excerpt_add(*, record: QualitativeRecord, text: str, code_ids: Iterable[int]) -> Excerpt:
    excerpt = Excerpt.objects.create(record=record, text=text)
    excerpt.codes.set(Code.objects.filter(pk__in=list(code_ids), program_id=record.wave.program_id))
    return excerpt


def recommendation_add(*, wave: Wave, phase: str, text: str) -> Recommendation:
    return Recommendation.objects.create(wave=wave, phase=phase, text=text)


def recommendation_delete(*, wave: Wave, pk: int) -> None:
    Recommendation.objects.filter(wave=wave, pk=pk).delete()
