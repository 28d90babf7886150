"""Reading uploaded CSV and XLSX tables for imports, with every failure told in a sentence.

An import is validated row by row with a Django form per row (so messages come translated and
field-specific), then saved in one transaction only if every row passed: see :func:`run_import`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import InvalidInput

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    """A column an import understands: its key, and the headers people may give it."""

    key: str
    label: str | Promise
    aliases: Sequence[str] = ()
    required: bool = False

    def headers(self) -> set[str]:
        names = {self.key, *self.aliases}
        for language in ("he", "en"):
            with translation.override(language):
                names.add(str(self.label))
        return {_normalize_header(name) for name in names}


def _normalize_header(name: str) -> str:
    return " ".join(str(name).replace("_", " ").replace("\u200f", "").split()).casefold()


@dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, values by key)
    present: set[str]  # keys of the columns the file has


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(upload: UploadedFile) -> list[list[str]]:
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise InvalidInput(
                _("The file could not be read as an Excel (.xlsx) workbook.")
            ) from exc
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1255"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput(
                _("The file's text encoding is not recognized; save it as UTF-8 CSV.")
            )
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel  # type: ignore[assignment]
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise InvalidInput(_("Upload a .csv or .xlsx file."))


def read_table(upload: UploadedFile, columns: Sequence[Column]) -> Table:
    """The upload's rows by column key; unknown columns are ignored, missing required ones fail."""
    raw = _read_rows(upload)
    # Skip blank lines before the header.
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise InvalidInput(_("The file is empty."))
    header, body = raw[0], raw[1:]
    by_header: dict[str, Column] = {}
    for column in columns:
        for name in column.headers():
            by_header[name] = column
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = by_header.get(_normalize_header(name))
        if column and column.key not in positions:
            positions[column.key] = index
    missing = [str(c.label) for c in columns if c.required and c.key not in positions]
    if missing:
        raise InvalidInput(
            _(
                "The file is missing required columns: %(columns)s. "
                "The first row must hold the column headers."
            )
            % {"columns": ", ".join(missing)}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for offset, row in enumerate(body, start=2):
        if not any(cell for cell in row):
            continue
        values = {key: (row[index] if index < len(row) else "") for key, index in positions.items()}
        rows.append((offset, values))
    if not rows:
        raise InvalidInput(_("The file has headers but no rows to import."))
    if len(rows) > MAX_ROWS:
        raise InvalidInput(
            _("The file has %(count)s rows; split it into files of at most %(max)s rows.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
    return Table(rows=rows, present=set(positions))


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def run_import(
    *,
    table: Table,
    form_class: type[forms.Form],
    form_kwargs: Mapping[str, Any] | None = None,
    cross_check: Callable[[int, dict[str, Any]], Iterable[tuple[str, str]]] | None = None,
    save_row: Callable[[dict[str, Any], set[str]], bool],
) -> ImportReport:
    """Validate every row, then save them all in one transaction, or none if any row failed.

    ``cross_check(row_number, cleaned)`` yields ``(column, message)`` for rules across rows, such as
    the same e-mail twice. ``save_row(cleaned, present)`` saves one valid row and returns whether
    it created a record (``False``: updated one); ``present`` holds the file's column keys so a
    missing column leaves stored values alone.
    """
    report = ImportReport(rows=len(table.rows))
    valid: list[dict[str, Any]] = []
    for number, values in table.rows:
        form = form_class(data=values, **(form_kwargs or {}))
        if not form.is_valid():
            for key, messages in form.errors.items():
                label = str(form.fields[key].label) if key in form.fields else ""
                for message in messages:
                    report.errors.append(RowError(number, label, message))
            continue
        if cross_check is not None:
            problems = list(cross_check(number, form.cleaned_data))
            for column, message in problems:
                report.errors.append(RowError(number, column, message))
            if problems:
                continue
        valid.append(form.cleaned_data)
    if report.errors:
        return report
    with transaction.atomic():
        for cleaned in valid:
            if save_row(cleaned, table.present):
                report.created += 1
            else:
                report.updated += 1
    return report


class ChoiceByLabelField(forms.ChoiceField):
    """Accepts a choice's code or its label in Hebrew or English, as people type them in sheets."""

    def __init__(self, *, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(choices=[("", ""), *choices], **kwargs)
        self.lookup: dict[str, str] = {}
        for value, label in choices:
            self.lookup[str(value).casefold()] = value
            for language in ("he", "en"):
                with translation.override(language):
                    self.lookup[str(label).strip().casefold()] = value

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        if not text:
            return ""
        found = self.lookup.get(text.casefold())
        if found is None:
            allowed = ", ".join(str(label) for value, label in self.choices if value)
            raise forms.ValidationError(
                _("“%(value)s” is not one of the allowed values: %(allowed)s."),
                params={"value": text, "allowed": allowed},
                code="invalid_choice",
            )
        return found

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
