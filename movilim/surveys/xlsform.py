"""XLSForm exchange (the ODK / KoboToolbox standard), parsed and checked with ``pyxform``.

Import reads the ``survey`` and ``choices`` sheets: groups become sections; ``select_one`` /
``select_multiple`` with their lists, ``integer``, ``decimal``, ``text`` and the Likert and
yes/no lists Movilim writes; ``required``; labels in ``label::Hebrew (he)`` and
``label::English (en)`` columns; the outcome domain in a ``domain`` column; ``relevant`` in
the two forms ``conditions`` understands. The whole form is first checked by pyxform, whose
reason for refusing it is shown to the user. Question types Movilim does not handle (geopoint,
image, audio...) are skipped and listed; so is every piece of form logic not carried over
(another ``relevant``, ``constraint``, ``calculate``, ``choice_filter``, a ``required`` that is
an expression), so that nothing is dropped silently.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import xlsx_to_dict
from pyxform.xls2xform import convert

from movilim.core.errors import InvalidInput
from movilim.core.exports import neutralized
from movilim.core.tabular import MAX_UPLOAD_BYTES, _check_archive, upload_too_large_message
from movilim.programs.models import Program

from . import conditions, services
from .models import Instrument, OutcomeDomain, Question, QuestionKind

LIKERT_LIST = "agree5"
YESNO_LIST = "yesno"
HE, EN = "label::Hebrew (he)", "label::English (en)"
STRUCTURE = {"begin_group", "end_group", "begin group", "end group", "note"}
META = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "audit",
    "simserial",
    "subscriberid",
}


#: The XLSForm columns of form logic that Movilim does not carry over (display conditions are,
#: in the forms ``conditions`` understands), by the name the import report gives them.
LOGIC_COLUMNS = (
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("calculation", "calculate"),
    ("choice_filter", "choice_filter"),
)


@dataclass(frozen=True)
class Dropped:
    """A piece of form logic not carried over: the row's name, what it was (``relevant``,
    ``constraint``, ``calculate``, ``required``, ``choice_filter``) and its expression."""

    name: str
    what: str
    expression: str


@dataclass
class ImportOutcome:
    instrument: Instrument
    skipped: list[str] = field(default_factory=list)  # "name (type)"
    dropped: list[Dropped] = field(default_factory=list)
    conditions: int = 0  # display conditions carried over


def _label(row: dict[str, Any], language: str) -> str:
    if language == "he":
        return str(row.get(HE) or row.get("label::he") or row.get("label") or "").strip()
    return str(row.get(EN) or row.get("label::en") or "").strip()


_YES = {"yes", "true", "true()", "1"}
_NO = {"", "no", "false", "false()", "0"}


def _required(row: dict[str, Any]) -> bool:
    return str(row.get("required", "")).strip().lower() in _YES


def _text(row: dict[str, Any], column: str) -> str:
    return " ".join(str(row.get(column) or "").split())


def _fits(name: str, text: str, limit: int) -> str:
    """``text``, or a refusal naming the row when it is longer than Movilim keeps."""
    if len(text) > limit:
        raise InvalidInput(
            _("“%(name)s”: “%(start)s…” is longer than %(limit)s characters.")
            % {"name": name, "start": text[:40], "limit": limit}
        )
    return text


def read_upload(upload: UploadedFile) -> dict[str, Any]:
    """The workbook's sheets as pyxform reads them, after the size checks every upload gets."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(upload_too_large_message())
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise InvalidInput(_("Upload the form as an .xlsx file."))
    body = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            _check_archive(archive)
        workbook = xlsx_to_dict(io.BytesIO(body))
    except (zipfile.BadZipFile, PyXFormError, KeyError, ValueError, OSError) as error:
        raise InvalidInput(
            _("The file could not be read as an XLSForm: %(reason)s") % {"reason": error}
        ) from error
    return workbook


def _kind_of(type_text: str, lists: dict[str, list[dict[str, Any]]]) -> tuple[str | None, str]:
    parts = type_text.split()
    base = parts[0] if parts else ""
    if base in ("select_one", "select_multiple") and len(parts) > 1:
        list_name = parts[1]
        if base == "select_one" and list_name == LIKERT_LIST:
            return QuestionKind.LIKERT, list_name
        if base == "select_one" and list_name == YESNO_LIST:
            return QuestionKind.YESNO, list_name
        return (QuestionKind.SINGLE if base == "select_one" else QuestionKind.MULTIPLE), list_name
    return {
        "integer": QuestionKind.NUMBER,
        "decimal": QuestionKind.NUMBER,
        "text": QuestionKind.TEXT,
    }.get(base), ""


def import_instrument(*, program: Program, upload: UploadedFile) -> ImportOutcome:
    workbook = read_upload(upload)
    try:
        convert(xlsform=workbook, form_name="data", warnings=[])
    except PyXFormError as error:
        raise InvalidInput(
            _("The form is not a valid XLSForm: %(reason)s") % {"reason": error}
        ) from error
    except Exception as error:  # pyxform may fail in other ways on malformed input
        raise InvalidInput(
            _("The form is not a valid XLSForm: %(reason)s") % {"reason": error}
        ) from error
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in workbook.get("choices", []):
        lists.setdefault(str(row.get("list_name", "")).strip(), []).append(row)
    settings_rows = workbook.get("settings", [])
    title = str(settings_rows[0].get("form_title", "")).strip() if settings_rows else ""
    domains = {d.key: d for d in OutcomeDomain.objects.all()}
    relevant: list[tuple[str, str]] = []  # (question, condition) to resolve once all exist
    with transaction.atomic():
        instrument = services.instrument_create(
            program=program,
            title_he=_fits("form_title", title, 200) or (upload.name or "XLSForm")[:200],
            title_en="",
        )
        outcome = ImportOutcome(instrument=instrument)
        section = None
        for row in workbook.get("survey", []):
            type_text = str(row.get("type", "")).strip()
            base = type_text.split()[0] if type_text else ""
            name = str(row.get("name", "")).strip()
            if base in ("begin_group", "begin") and (base == "begin_group" or "group" in type_text):
                # A group's own logic would apply to every question in it: not carried over.
                outcome.dropped.extend(_logic_of(name, row))
                section = services.section_add(
                    instrument=instrument,
                    title_he=_fits(name, _label(row, "he") or name, 200),
                    title_en=_fits(name, _label(row, "en"), 200),
                )
                continue
            if base in ("end_group", "end"):
                section = None
                continue
            if base == "calculate":
                outcome.dropped.append(Dropped(name, "calculate", _text(row, "calculation")))
                continue
            if base in STRUCTURE or base in META or not base:
                continue
            kind, list_name = _kind_of(type_text, lists)
            if kind is None:
                outcome.skipped.append(f"{name} ({base})")
                continue
            domain_key = str(row.get("domain", "")).strip()
            domain = (
                domains.get(domain_key)
                if kind in {"likert", "single", "multiple", "yesno"}
                else None
            )
            choices = [
                services.ChoiceSpec(
                    label_he=_fits(name, _label(c, "he") or str(c.get("name")), 200),
                    label_en=_fits(name, _label(c, "en"), 200),
                    name=_fits(name, str(c.get("name")), 60),
                )
                for c in lists.get(list_name, [])
            ]
            try:
                services.question_save(
                    instrument=instrument,
                    code=_fits(name, name, 60),
                    kind=kind,
                    text_he=_fits(name, _label(row, "he") or name, 500),
                    text_en=_fits(name, _label(row, "en"), 500),
                    required=_required(row),
                    domain=domain,
                    section=section,
                    choices=choices,
                )
            except InvalidInput as error:
                raise InvalidInput(
                    _("The question “%(name)s” could not be imported: %(problem)s")
                    % {"name": name, "problem": error.message}
                ) from error
            logic = _logic_of(name, row)
            condition = _text(row, "relevant")
            if condition:
                relevant.append((name, condition))
                logic = [d for d in logic if d.what != "relevant"]
            outcome.dropped.extend(logic)
        outcome.conditions, unresolved = _carry_conditions(instrument, relevant)
        outcome.dropped.extend(unresolved)
    order = {name: index for index, name in enumerate(_row_names(workbook))}
    outcome.dropped.sort(key=lambda d: order.get(d.name, len(order)))
    return outcome


def _row_names(workbook: dict[str, Any]) -> list[str]:
    return [str(row.get("name", "")).strip() for row in workbook.get("survey", [])]


def _logic_of(name: str, row: dict[str, Any]) -> list[Dropped]:
    """The logic of a survey row Movilim does not keep: every logic column that is filled, and
    a ``required`` that is an expression rather than yes or no (imported as optional)."""
    out = [
        Dropped(name, what, _text(row, column))
        for column, what in LOGIC_COLUMNS
        if _text(row, column)
    ]
    required = _text(row, "required")
    if required.lower() not in _YES | _NO:
        out.append(Dropped(name, "required", required))
    return out


def _carry_conditions(
    instrument: Instrument, relevant: list[tuple[str, str]]
) -> tuple[int, list[Dropped]]:
    """Keep each question's display condition that ``conditions`` understands; the others are
    returned to be named in the report."""
    if not relevant:
        return 0, []
    questions = {q.code: q for q in instrument.questions.prefetch_related("choices")}
    carried: list[Question] = []
    dropped: list[Dropped] = []
    for name, text in relevant:
        try:
            resolved = conditions.resolve(text, questions, own_code=name)
        except InvalidInput:
            dropped.append(Dropped(name, "relevant", text))
            continue
        question = questions[name]
        question.relevant = resolved
        carried.append(question)
    Question.objects.bulk_update(carried, ["relevant"])
    return len(carried), dropped


def export_instrument(instrument: Instrument) -> bytes:
    """The instrument as an XLSForm workbook that :func:`import_instrument` reads back."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", HE, EN, "required", "domain", "relevant"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", HE, EN])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append([neutralized(instrument.title_he), f"movilim_{instrument.pk}", "Hebrew (he)"])
    questions = list(
        instrument.questions.select_related("section", "domain").prefetch_related("choices")
    )
    wrote_fixed: set[str] = set()
    current = None
    for question in questions:
        if question.section_id != current:
            if current is not None:
                survey.append(["end_group"])
            current = question.section_id
            if question.section is not None:
                survey.append(
                    [
                        "begin_group",
                        f"section_{question.section.position + 1}",
                        neutralized(question.section.title_he),
                        neutralized(question.section.title_en),
                    ]
                )
        if question.kind == QuestionKind.LIKERT:
            type_text, list_name = f"select_one {LIKERT_LIST}", LIKERT_LIST
        elif question.kind == QuestionKind.YESNO:
            type_text, list_name = f"select_one {YESNO_LIST}", YESNO_LIST
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            list_name = f"{question.code}_list"
            base = "select_one" if question.kind == QuestionKind.SINGLE else "select_multiple"
            type_text = f"{base} {list_name}"
        else:
            type_text, list_name = (
                ("integer" if question.kind == QuestionKind.NUMBER else "text"),
                "",
            )
        survey.append(
            [
                type_text,
                question.code,
                neutralized(question.text_he),
                neutralized(question.text_en),
                "yes" if question.required else "",
                question.domain.key if question.domain else "",
                neutralized(question.relevant),
            ]
        )
        if list_name and list_name not in wrote_fixed:
            wrote_fixed.add(list_name)
            for choice in question.choices.all():
                choices.append(
                    [
                        list_name,
                        str(choice.value),
                        neutralized(choice.label_he),
                        neutralized(choice.label_en),
                    ]
                )
    if current is not None:
        survey.append(["end_group"])
    buffer = io.BytesIO()
    with translation.override("he"):
        workbook.save(buffer)
    return buffer.getvalue()
