"""Tables downloaded as CSV or XLSX, the two formats program staff open in a spreadsheet.

Two rules hold for every download:

- **No cell is ever a formula.** Participants write some of the text that staff export (their
  job title, their organization's name). A text cell that a spreadsheet would read as a formula
  (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading single
  quote, OWASP's rule against CSV injection, and XLSX text is always written as text. Numbers
  and dates stay numbers and dates.
- **Memory stays flat whatever the row count.** Rows are consumed one at a time from an
  iterator: CSV is streamed to the client as it is written, XLSX is written by openpyxl's
  write-only mode into a temporary file that is then sent.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: First characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: CSV rows written before the text is handed to the server: few, large chunks.
CSV_ROWS_PER_CHUNK = 500


def neutralized(value: Any) -> Any:
    """``value`` unchanged, unless it is text a spreadsheet would run: then quoted."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def table_download(
    *, filename: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponseBase:
    """A download of ``rows`` under ``headers``; ``fmt`` must be one of :data:`FORMATS`.

    ``rows`` may be a lazy iterator (a queryset's ``.iterator()``): CSV reads it while the
    response is sent, so it must not depend on anything that ends with the view (the active
    language included; build labels before returning it). XLSX reads it before returning.
    """
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_chunks(headers, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = FileResponse(_xlsx_file(headers, rows), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def table_response(
    *, filename: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The same table as :func:`table_download`, whole in memory: for small tables only (an
    import template), where a plain response is simpler for the caller."""
    if fmt == "csv":
        response = HttpResponse(
            "".join(_csv_chunks(headers, rows)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        with _xlsx_file(headers, rows) as file:
            response = HttpResponse(file.read(), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text in chunks of :data:`CSV_ROWS_PER_CHUNK` rows.

    It starts with a byte-order mark so that Excel reads Hebrew as UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralized(header) for header in headers])
    for count, row in enumerate(rows, 1):
        writer.writerow(["" if value is None else neutralized(value) for value in row])
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_file(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Any:
    """A workbook of one sheet in a temporary file, positioned at its start.

    The sheet is right-to-left when the page language is. The file disappears when closed,
    which the response does once it has been sent.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, _xlsx_text(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def _xlsx_text(value: str) -> str:
    # Control characters other than tab and line breaks are not allowed in a workbook at all.
    return ILLEGAL_CHARACTERS_RE.sub("", neutralized(value))


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _xlsx_value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """What to append for ``value``: numbers and dates as they are, text always as text."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = _xlsx_text(value)
    # openpyxl stores text that starts with "=" as a formula and "#N/A" and the like as error
    # values; neutralized() already ruled out the first, an explicit text cell rules out both.
    if text.startswith("=") or text in ERROR_CODES:
        return _text_cell(sheet, text)
    return text
