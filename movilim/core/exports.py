"""Tables downloaded as CSV or XLSX, the two formats program staff open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")


def table_response(
    *, filename: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of ``rows`` under ``headers``; ``fmt`` must be one of :data:`FORMATS`.

    CSV starts with a byte-order mark so that Excel reads Hebrew as UTF-8; XLSX sheets are
    right-to-left when the page language is.
    """
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    elif fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.sheet_view.rightToLeft = translation.get_language_bidi()
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
