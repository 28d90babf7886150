"""Reading uploaded CSV and XLSX tables for imports, with every failure told in a sentence.

An import is validated row by row with a Django form per row (so messages come translated and
field-specific), all in memory; then the rows are saved together, set-based, in one transaction,
and only if every row passed: see :func:`run_import`.

Uploads are bounded before they cost anything: by size (:data:`MAX_UPLOAD_BYTES`), by the
uncompressed size of a workbook (:data:`MAX_XLSX_UNCOMPRESSED_BYTES`, so a zip bomb is refused
before it is inflated), and by rows (:data:`MAX_ROWS`, reading stops at the first row too many).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import InvalidInput

MAX_ROWS = 5000
#: Largest file an import accepts. A full file of MAX_ROWS rows is far smaller.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Largest sum of the uncompressed sizes of a workbook's parts.
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: How much of each XML part is searched for a document type declaration, which may only come
#: before the root element.
_XML_PROLOG_BYTES = 4096


def upload_too_large_message() -> str:
    return _("The file is larger than %(size)s MB; split it into smaller files.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


@dataclass(frozen=True)
class Column:
    """A column an import understands: its key, and the headers people may give it."""

    key: str
    label: str | Promise
    aliases: Sequence[str] = ()
    required: bool = False
    #: The header may carry a group path before the name (KoboToolbox and ODK export a
    #: question asked inside a group as ``group/question`` when groups are kept in headers).
    grouped: bool = False

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


def _formula_without_value(row: int, position: int, formula: str) -> InvalidInput:
    from openpyxl.utils import get_column_letter

    return InvalidInput(
        _(
            "Cell %(cell)s holds a formula (%(formula)s) whose value was not saved in the file. "
            "Open the file in Excel and save it again, or replace the formula by its value."
        )
        % {"cell": f"{get_column_letter(position + 1)}{row}", "formula": formula[:60]}
    )


def _unreadable_xlsx() -> InvalidInput:
    return InvalidInput(_("The file could not be read as an Excel (.xlsx) workbook."))


def _forbidden_xml() -> InvalidInput:
    return InvalidInput(
        _(
            "The Excel file contains XML declarations (a document type or entities) that "
            "spreadsheets do not need and imports do not accept. Save it again as a normal "
            ".xlsx workbook."
        )
    )


def _caused_by_forbidden_xml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML; openpyxl wraps its errors in a ``ValueError``."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that would inflate too far, or whose XML declares a document type.

    The sizes are the ones the archive declares; :mod:`zipfile` never inflates a member past
    its declared size, so openpyxl cannot be made to read more than this sum.
    """
    members = archive.infolist()
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise InvalidInput(
            _("The Excel file unpacks to more than %(size)s MB; split it into smaller files.")
            % {"size": MAX_XLSX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as part:
                if b"<!DOCTYPE" in part.read(_XML_PROLOG_BYTES):
                    raise _forbidden_xml()


def _xlsx_rows(upload: UploadedFile) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive)
        upload.seek(0)
        # Read-only mode parses the sheet as it is iterated, so rows past the limit are never
        # read; defusedxml (installed, so openpyxl uses it) refuses entities while parsing.
        workbook = load_workbook(upload, read_only=True, data_only=True)
        # The same sheet as written, to tell a formula whose value was never saved (a file made
        # by a program, not by Excel) from an empty cell. Each workbook reads its own copy.
        upload.seek(0)
        formulas = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=False)
        try:
            if not workbook.worksheets or not formulas.worksheets:
                raise _unreadable_xlsx()
            written = formulas.worksheets[0].iter_rows(values_only=True)
            for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
                as_written = next(written, ())
                for position, cell in enumerate(row):
                    source = as_written[position] if position < len(as_written) else None
                    if cell is None and isinstance(source, str) and source.startswith("="):
                        raise _formula_without_value(number, position, source)
                yield [_cell_text(cell) for cell in row]
        finally:
            workbook.close()
            formulas.close()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        KeyError,
        OSError,
        ValueError,
        ParseError,
        TypeError,
    ) as exc:
        if _caused_by_forbidden_xml(exc):
            raise _forbidden_xml() from exc
        raise _unreadable_xlsx() from exc


def _csv_rows(upload: UploadedFile) -> Iterator[list[str]]:
    upload.seek(0)
    data = upload.read()  # at most MAX_UPLOAD_BYTES: checked before
    for encoding in ("utf-8-sig", "cp1255"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The file's text encoding is not recognized; save it as UTF-8 CSV."))
    del data
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield [cell.strip() for cell in row]
    except csv.Error as exc:
        raise InvalidInput(
            _("The file could not be read as CSV: %(problem)s.") % {"problem": exc}
        ) from exc


def _read_rows(upload: UploadedFile) -> Iterator[list[str]]:
    """The upload's rows, read lazily so that the caller can stop at the row limit."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(upload_too_large_message())
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(upload)
    if name.endswith(".csv"):
        return _csv_rows(upload)
    raise InvalidInput(_("Upload a .csv or .xlsx file."))


def read_table(upload: UploadedFile, columns: Sequence[Column]) -> Table:
    """The upload's rows by column key; unknown columns are ignored, missing required ones fail.

    Reading stops at the first data row past :data:`MAX_ROWS`, so an oversized file costs no
    more than a full one.
    """
    raw = _read_rows(upload)
    header: list[str] | None = None
    for row in raw:  # Skip blank lines before the header.
        if any(row):
            header = row
            break
    if header is None:
        raise InvalidInput(_("The file is empty."))
    by_header: dict[str, Column] = {}
    for column in columns:
        for name in column.headers():
            by_header[name] = column
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        found = by_header.get(_normalize_header(name))
        if found is None and "/" in name:
            found = by_header.get(_normalize_header(name.rsplit("/", 1)[1]))
            found = found if found and found.grouped else None
        if found and found.key not in positions:
            positions[found.key] = index
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
    for offset, row in enumerate(raw, start=2):
        if not any(cell for cell in row):
            continue
        if len(rows) == MAX_ROWS:
            raise InvalidInput(
                _(
                    "The file has more than %(max)s rows; "
                    "split it into files of at most %(max)s rows."
                )
                % {"max": MAX_ROWS}
            )
        values = {key: (row[index] if index < len(row) else "") for key, index in positions.items()}
        rows.append((offset, values))
    if not rows:
        raise InvalidInput(_("The file has headers but no rows to import."))
    return Table(rows=rows, present=set(positions))


class _SharedFields(dict[str, forms.Field]):
    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


_F = TypeVar("_F", bound=type[forms.BaseForm])


def row_form(form_class: _F) -> _F:
    """Mark a form checked once per row of a file: its instances share the class's fields.

    A Django form deep-copies its fields for every instance so that one instance may change
    them; a row form never does, and copying ten fields for each of thousands of rows cost more
    than checking them.
    """
    form_class.base_fields = _SharedFields(form_class.base_fields)  # type: ignore[attr-defined]
    return form_class


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
    #: Accounts the import created, for the caller to invite once the transaction has committed.
    created_user_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, row: int, column: str | Promise, message: str) -> None:
        self.errors.append(RowError(row, str(column), message))


@dataclass(frozen=True)
class ValidRow:
    """A row that passed its form: its number as the user sees it, and the cleaned values."""

    number: int
    data: dict[str, Any]


def import_lock(name: str) -> None:
    """Make concurrent imports of one kind take turns for the rest of the transaction.

    Each import reads what exists and then writes what is missing; taking turns means the second
    of two identical imports finds the first one's rows and changes nothing. Other writers are
    not held up: the writes themselves are upserts that tolerate them. On SQLite the
    transaction's write lock (``BEGIN IMMEDIATE``) already serializes writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"movilim.import.{name}"])


def run_import(
    *,
    table: Table,
    form_class: type[forms.Form],
    form_kwargs: Mapping[str, Any] | None = None,
    cross_check: Callable[[int, dict[str, Any]], Iterator[tuple[str, str]]] | None = None,
    save_rows: Callable[[list[ValidRow], set[str], ImportReport], None],
) -> ImportReport:
    """Validate every row in memory, then save them all in one transaction, or none.

    ``cross_check(row_number, cleaned)`` yields ``(column, message)`` for rules across rows, such as
    the same e-mail twice. ``save_rows(rows, present, report)`` runs inside the transaction: it
    reads what it needs in a fixed number of queries, may refuse rows with ``report.refuse``
    (then nothing is saved), and otherwise writes them set-based and fills the report's counts.
    ``present`` holds the file's column keys, so a missing column leaves stored values alone.
    """
    report = ImportReport(rows=len(table.rows))
    valid: list[ValidRow] = []
    for number, values in table.rows:
        form = form_class(data=values, **(form_kwargs or {}))
        if not form.is_valid():
            for key, messages in form.errors.items():
                label = str(form.fields[key].label) if key in form.fields else ""
                for message in messages:
                    report.refuse(number, label, str(message))
            continue
        if cross_check is not None:
            problems = list(cross_check(number, form.cleaned_data))
            for column, message in problems:
                report.refuse(number, column, message)
            if problems:
                continue
        valid.append(ValidRow(number, form.cleaned_data))
    if report.errors:
        return report
    with transaction.atomic():
        save_rows(valid, table.present, report)
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = 0
            report.created_user_ids = []
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

    def __deepcopy__(self, memo: dict[int, Any]) -> ChoiceByLabelField:
        # Every row's form copies its fields; the choices and the lookup never change after
        # construction, so the copies share them (a deep copy of the lazy labels is what made
        # validating a long file slow).
        return forms.Field.__deepcopy__(self, memo)  # type: ignore[attr-defined,no-any-return]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        if not text:
            return ""
        found = self.lookup.get(text.casefold())
        if found is None:
            choices: Iterable[tuple[Any, Any]] = self.choices  # type: ignore[assignment]
            allowed = ", ".join(str(label) for value, label in choices if value)
            raise forms.ValidationError(
                _("“%(value)s” is not one of the allowed values: %(allowed)s."),
                params={"value": text, "allowed": allowed},
                code="invalid_choice",
            )
        return found

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
