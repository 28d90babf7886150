"""Responses collected elsewhere (KoboToolbox, LimeSurvey) imported into a wave.

The file has one row per response and one column per variable name (choices by value or by
their XLSForm name; a name may follow its group's path, ``group/name``, as KoboToolbox writes
it when headers keep the groups; a multiple choice may come as LimeSurvey writes it, a column
per option, ``name[option]``, marked ``Y`` when chosen), and may carry:

- the response's identifier in the system that collected it: KoboToolbox's ``_uuid`` or
  ``meta/instanceID``, LimeSurvey's ``id`` (kept as ``Response.external_id``);
- the respondent's e-mail address (``email``), which names their invitation to the wave;
- ``org_kind`` and ``gender`` for the subgroup figures of rows that name nobody.

Every row is checked first: a row with a wrong or missing answer, or an address no one invited
to the wave has, refuses the whole file and nothing is stored. A row that repeats a response
already stored (the same identifier, or an invitation already answered, in Movilim or by an
earlier import) or an earlier row of the same file is **skipped**, and reported by its number:
KoboToolbox and LimeSurvey export every response collected so far, so importing the newer
export adds only the new rows. The same file uploaded again (by its SHA-256, for files whose
rows have no identifier) is refused as a whole. The rest is stored in one transaction, under a
lock on the wave, so two imports of the same file at once store it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core.errors import InvalidInput
from movilim.core.tabular import MAX_UPLOAD_BYTES, Column, upload_too_large_message
from movilim.people.models import Person

from .models import (
    Answer,
    InvitationStatus,
    Question,
    QuestionKind,
    Response,
    ResponseImport,
    ResponseSource,
    Wave,
    WaveInvitation,
    WaveMode,
)
from .services import _answer_rows, clean_answers, missing_required, respondent_profiles

#: Columns besides the questions'. Headers are matched without case, spaces or underscores,
#: so ``_uuid`` is read as ``uuid`` and LimeSurvey's ``id`` as ``id``.
EXTRA_COLUMNS = (
    Column("uuid", gettext_lazy("Submission identifier (KoboToolbox)"), ("meta/instanceID",)),
    Column("id", gettext_lazy("Response identifier (LimeSurvey)"), ("response id",)),
    Column("email", gettext_lazy("E-mail"), ("e-mail", "email address")),
    Column("org_kind", gettext_lazy("Organization kind")),
    Column("gender", gettext_lazy("Gender")),
)


#: What LimeSurvey writes in a multiple choice's option column when the option was chosen.
CHOSEN = frozenset({"y", "yes", "1", "true"})


def _option_column(code: str, option: object) -> str:
    """LimeSurvey's column of one option of a multiple choice: ``code[option]``."""
    return f"{code}[{option}]"


def columns_for(questions: Sequence[Question]) -> list[Column]:
    """A column per question, by its variable name, under a group path or not; and for a
    multiple choice, a column per option too, by its value or its XLSForm name (LimeSurvey)."""
    columns = []
    for q in questions:
        columns.append(Column(q.code, q.code, grouped=True))
        if q.kind == QuestionKind.MULTIPLE:
            for choice in q.choices.all():
                key = _option_column(q.code, choice.value)
                names = (_option_column(q.code, choice.name),) if choice.name else ()
                columns.append(Column(key, key, aliases=names))
    return columns + list(EXTRA_COLUMNS)


def _chosen_options(question: Question, values: Mapping[str, str]) -> str:
    """A multiple choice's answer from its option columns, as the values it would be written
    with in the question's own column."""
    return " ".join(
        str(choice.value)
        for choice in question.choices.all()
        if values.get(_option_column(question.code, choice.value), "").strip().casefold() in CHOSEN
    )


def file_digest(upload: UploadedFile) -> str:
    """The SHA-256 of an upload already checked by size (``read_table`` does)."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(upload_too_large_message())
    upload.seek(0)
    digest = hashlib.sha256(upload.read(MAX_UPLOAD_BYTES + 1)).hexdigest()
    upload.seek(0)
    return digest


def external_id(values: Mapping[str, str]) -> str:
    """The row's identifier in the system that collected it, prefixed by its kind, or ""."""
    uuid = values.get("uuid", "").strip()
    if uuid:
        return "kobo:" + uuid.removeprefix("uuid:")[:100]
    number = values.get("id", "").strip()
    if number:
        return "id:" + number[:100]
    return ""


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
    errors: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: When the same file was imported before: nothing was stored this time.
    already_on: datetime | None = None


@dataclass
class _Row:
    number: int
    answers: dict[str, Any]
    values: Mapping[str, str]
    key: str
    email: str


def _checked_rows(
    questions: Sequence[Question],
    rows: Sequence[tuple[int, Mapping[str, str]]],
    result: ImportResult,
) -> list[_Row]:
    """Each row's answers, cleaned; errors and repeats within the file go to ``result``."""
    out: list[_Row] = []
    keys: dict[str, int] = {}
    emails: dict[str, int] = {}
    for number, values in rows:
        raw: dict[str, Any] = {}
        for q in questions:
            value = values.get(q.code, "")
            if q.kind == QuestionKind.MULTIPLE and not value.strip():
                value = _chosen_options(q, values)
            raw[q.code] = value.split() if q.kind == QuestionKind.MULTIPLE else value
            if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                raw[q.code] = _by_choice_name(q, raw[q.code])
        try:
            answers = clean_answers(questions, raw)
        except InvalidInput as error:
            result.errors.append((number, str(error.message)))
            continue
        missing = missing_required(questions, answers)
        if missing:
            result.errors.append(
                (
                    number,
                    _("Missing required answers: %(codes)s.")
                    % {"codes": ", ".join(q.code for q in missing)},
                )
            )
            continue
        key = external_id(values)
        email = values.get("email", "").strip().lower()
        if key and key in keys:
            result.skipped.append(
                (number, _("The same response as row %(row)s.") % {"row": keys[key]})
            )
            continue
        if email and email in emails:
            result.skipped.append(
                (number, _("The same respondent as row %(row)s.") % {"row": emails[email]})
            )
            continue
        if key:
            keys[key] = number
        if email:
            emails[email] = number
        out.append(_Row(number, answers, values, key, email))
    return out


def responses_import(
    *,
    wave: Wave,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    digest: str = "",
    file_name: str = "",
) -> ImportResult:
    """Check ``rows`` (keyed by column, see ``columns_for``) and store the new responses, all
    or none; see the module's description for what is refused and what is skipped. The caller
    must have checked that the user may manage the wave."""
    questions = list(
        Question.objects.filter(instrument_id=wave.instrument_id).prefetch_related("choices")
    )
    result = ImportResult()
    checked = _checked_rows(questions, rows, result)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _store(
                wave,
                questions,
                checked,
                result,
                total=len(rows),
                digest=digest,
                file_name=file_name,
            )
            if result.errors or result.already_on is not None:
                transaction.set_rollback(True)
                result.created = 0
    except IntegrityError:
        # Another import or a respondent stored the same response between our checks and our
        # writes (the database's unique rules caught it): nothing of this file was kept.
        result.created = 0
        result.errors.append(
            (0, _("Some of these responses were stored meanwhile; upload the file again."))
        )
    return result


def _store(
    wave: Wave,
    questions: Sequence[Question],
    checked: list[_Row],
    result: ImportResult,
    *,
    total: int,
    digest: str,
    file_name: str,
) -> None:
    # Imports of one wave take turns: the second of two at once sees the first one's rows.
    Wave.objects.select_for_update().filter(pk=wave.pk).first()
    if digest:
        earlier = ResponseImport.objects.filter(wave=wave, digest=digest).first()
        if earlier is not None:
            result.already_on = earlier.imported_at
            return
    stored_keys = set(
        Response.objects.filter(
            wave=wave, external_id__in=[row.key for row in checked if row.key]
        ).values_list("external_id", flat=True)
    )
    # Addresses are stored in lower case (core.models.User).
    wanted = [row.email for row in checked if row.email]
    invitations: dict[str, WaveInvitation] = {}
    if wanted:
        for invitation in (
            WaveInvitation.objects.select_for_update(of=("self",))
            .filter(wave=wave, person__user__email__in=wanted)
            .select_related("person__user")
        ):
            invitations[invitation.person.user.email] = invitation
    new: list[_Row] = []
    for row in checked:
        if row.key and row.key in stored_keys:
            result.skipped.append((row.number, _("Already imported (the same identifier).")))
            continue
        if row.email:
            invitation = invitations.get(row.email)
            if invitation is None:
                result.errors.append(
                    (
                        row.number,
                        _("No one invited to this wave has the address %(email)s.")
                        % {"email": row.email},
                    )
                )
                continue
            if invitation.status == InvitationStatus.SUBMITTED:
                result.skipped.append(
                    (row.number, _("This respondent's response is already stored."))
                )
                continue
        new.append(row)
    if result.errors:
        return
    result.created = len(new)
    _write(wave, questions, new, invitations)
    if digest:
        ResponseImport.objects.create(
            wave=wave,
            digest=digest,
            file_name=file_name[:200],
            rows=total,
            created=len(new),
            skipped=len(result.skipped),
        )


def _write(
    wave: Wave,
    questions: Sequence[Question],
    rows: list[_Row],
    invitations: Mapping[str, WaveInvitation],
) -> None:
    """Store ``rows`` set-based: the responses, their answers, and their invitations marked
    submitted. In an anonymous wave the response names no invitation or person and keeps the
    day only, as when answered in Movilim."""
    confidential = wave.mode == WaveMode.CONFIDENTIAL
    now = timezone.now()
    if not confidential:
        now = now.replace(hour=0, minute=0, second=0, microsecond=0)
    profiles = respondent_profiles(
        wave,
        list(
            Person.objects.filter(
                pk__in=[invitations[r.email].person_id for r in rows if r.email]
            ).select_related("organization")
        ),
    )
    responses: list[Response] = []
    for row in rows:
        invitation = invitations.get(row.email) if row.email else None
        if invitation is not None:
            person = invitation.person
            profile = profiles[invitation.person_id]
        else:
            person = None
            profile = {
                "org_kind": row.values.get("org_kind", "")[:20],
                "gender": row.values.get("gender", "")[:10],
                "cohort_id": wave.cohort_id,
            }
        responses.append(
            Response(
                wave=wave,
                invitation=invitation if confidential else None,
                person=person if confidential else None,
                submitted_at=now,
                source=ResponseSource.IMPORT,
                external_id=row.key,
                **profile,
            )
        )
    Response.objects.bulk_create(responses)
    answers: list[Answer] = []
    for response, row in zip(responses, rows, strict=True):
        answers.extend(_answer_rows(response, questions, row.answers))
    Answer.objects.bulk_create(answers, batch_size=5000)
    claimed = [invitations[r.email].pk for r in rows if r.email]
    if claimed:
        WaveInvitation.objects.filter(pk__in=claimed, submitted_at__isnull=True).update(
            status=InvitationStatus.SUBMITTED, submitted_at=now, draft={}
        )
