"""A wave's data as tables: aggregates (suppressed like the report) for every reader of the
report; respondent-level rows (CSV, XLSX, SPSS .sav with variable and value labels) for
evaluators only."""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from movilim.core.exports import neutralized
from movilim.surveys.models import Answer, Question, QuestionKind, Response, Wave

from .queries import wave_choices, wave_figures, wave_questions


def aggregate_table(wave: Wave, *, audience: str) -> tuple[list[str], list[list[Any]]]:
    figures = wave_figures(wave, audience=audience, breakdowns=False)
    headers = [
        _("Variable"),
        _("Question"),
        _("Outcome domain"),
        _("Respondents"),
        _("Mean"),
        _("Share agreeing (%)"),
        _("Lower bound, 95 percent interval"),
        _("Upper bound, 95 percent interval"),
        _("Distribution"),
    ]
    rows = []
    for f in figures.questions:
        parts = [
            f"{label}: {'—' if count is None else count}" for label, count, _p in f.distribution
        ]
        rows.append(
            [
                f.question.code,
                f.question.text,
                f.question.domain.name if f.question.domain else "",
                None if f.hidden else f.n,
                None if f.mean is None else round(f.mean, 2),
                None if f.share is None else round(f.share, 1),
                None if f.low is None else round(f.low, 1),
                None if f.high is None else round(f.high, 1),
                "; ".join(parts),
            ]
        )
    return [str(h) for h in headers], rows


def _columns(
    questions: list[Question], options: Mapping[int, Mapping[int, str]]
) -> list[tuple[str, Question, int | None]]:
    """One column per question; one 0/1 column per option of a multiple-choice question."""
    out: list[tuple[str, Question, int | None]] = []
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            out.extend((f"{q.code}_{value}", q, value) for value in options.get(q.pk, {}))
        else:
            out.append((q.code, q, None))
    return out


def respondent_rows(
    wave: Wave,
) -> tuple[list[str], list[list[Any]], list[tuple[str, Question, int | None]]]:
    questions = wave_questions(wave)
    columns = _columns(questions, wave_choices(wave))
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    kinds = {q.pk: q for q in questions}
    for response_id, question_id, number, text in (
        Answer.objects.filter(wave=wave)
        .values_list("response_id", "question_id", "number", "text")
        .iterator(chunk_size=5000)
    ):
        q = kinds[question_id]
        if q.kind == QuestionKind.MULTIPLE:
            values[response_id][f"{q.code}_{number}"] = 1
        elif q.kind == QuestionKind.TEXT:
            values[response_id][q.code] = text
        else:
            values[response_id][q.code] = number
    headers = ["response", "org_kind", "gender", *[name for name, _q, _v in columns]]
    rows = []
    for pk, org_kind, gender in (
        Response.objects.filter(wave=wave).order_by("pk").values_list("pk", "org_kind", "gender")
    ):
        answered = values.get(pk, {})
        row: list[Any] = [pk, org_kind, gender]
        for name, q, option in columns:
            if option is not None:
                row.append(
                    answered.get(name, 0)
                    if any(k.startswith(f"{q.code}_") for k in answered)
                    else None
                )
            else:
                row.append(answered.get(name))
        rows.append(row)
    return headers, rows, columns


def _sav_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "v" + cleaned
    return cleaned[:64]


def sav_response(wave: Wave) -> HttpResponse:
    """SPSS .sav: numeric answers with value labels, text as strings, every variable labelled
    with its question (and option) text."""
    import pandas as pd
    import pyreadstat

    headers, rows, columns = respondent_rows(wave)
    options = wave_choices(wave)
    names = [_sav_name(h) for h in headers]
    frame = pd.DataFrame(rows, columns=names)
    labels: dict[str, str] = {
        "response": _("Response"),
        "org_kind": _("Organization kind"),
        "gender": _("Gender"),
    }
    value_labels: dict[str, dict[float, str]] = {}
    for (_name, q, option), column in zip(columns, names[3:], strict=True):
        if option is not None:
            labels[column] = f"{q.text}: {options.get(q.pk, {}).get(option, option)}"
            value_labels[column] = {1.0: _("Chosen"), 0.0: _("Not chosen")}
            frame[column] = pd.to_numeric(frame[column])
        elif q.kind == QuestionKind.TEXT:
            labels[column] = q.text
            frame[column] = frame[column].fillna("").map(lambda v: neutralized(str(v)))
        else:
            labels[column] = q.text
            frame[column] = pd.to_numeric(frame[column])
            if q.kind != QuestionKind.NUMBER:
                value_labels[column] = {
                    float(value): label for value, label in options.get(q.pk, {}).items()
                }
    frame["org_kind"] = frame["org_kind"].fillna("")
    frame["gender"] = frame["gender"].fillna("")
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            column_labels=[labels.get(n, n) for n in names],
            variable_value_labels=value_labels,
        )
        with open(path, "rb") as file:  # noqa: PTH123
            body = file.read()
    finally:
        os.unlink(path)  # noqa: PTH108
    response = HttpResponse(body, content_type="application/x-spss-sav")
    response["Content-Disposition"] = f'attachment; filename="wave-{wave.pk}.sav"'
    return response


def rows_iter(rows: list[list[Any]]) -> Iterator[list[Any]]:
    yield from rows
