"""Lists taken out of Lantern: one table as CSV or XLSX (openpyxl), the same rows whichever format.

Cells a spreadsheet would run as formulas (= + - @, a leading tab or carriage return) are prefixed with an
apostrophe in both formats (CSV injection); numbers and dates stay typed in XLSX. The view that calls
``export_response`` scopes and filters the rows exactly as its page does and writes its access-log row.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from openpyxl import Workbook

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value a spreadsheet shows as typed: text that looks like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, datetime.date)):
        return value
    text = str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def export_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    return fmt


def export_response(*, fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """``rows`` as a downloaded ``filename.<fmt>`` (fmt: csv or xlsx)."""
    export_format(fmt)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
        body: bytes = out.getvalue().encode("utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=filename[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        out_bytes = io.BytesIO()
        book.save(out_bytes)
        body = out_bytes.getvalue()
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
