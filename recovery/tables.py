"""Reading an uploaded table (CSV or XLSX) into rows of text keyed by column, for the imports.

Headers are matched loosely ("Birth date", "birth_date" and "BIRTH DATE" are one column); empty rows are
skipped; every value comes back as stripped text (XLSX dates as ISO dates). Nothing here knows a model.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 20_000
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y")


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, values by column)


def column_key(header) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _records(lines) -> Table:
    header = None
    rows = []
    for number, values in enumerate(lines, start=1):
        values = [_text(v) for v in values]
        if header is None:
            if any(values):
                header = [column_key(v) for v in values]
            continue
        if not any(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise TableError(f"The file has more than {MAX_ROWS:,} rows: split it.")
        rows.append((number, {key: value for key, value in zip(header, values, strict=False) if key}))
    if header is None:
        raise TableError("The file is empty: the first row must name the columns.")
    return Table(columns=[key for key in header if key], rows=rows)


def read_table(name: str, content: bytes) -> Table:
    """The rows of an uploaded ``.csv`` (UTF-8, with or without BOM) or ``.xlsx`` (first sheet)."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as error:
            raise TableError("This is not an Excel (.xlsx) file Lantern can read.") from error
        return _records(book.worksheets[0].iter_rows(values_only=True))
    if lowered.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError("Save the CSV file as UTF-8 (Excel: CSV UTF-8).") from error
        return _records(csv.reader(io.StringIO(text)))
    raise TableError("Upload a .csv or .xlsx file.")


def parse_date(text: str) -> datetime.date | None:
    """A date as people type it (2024-03-01, 03/01/2024); None when it is not one."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def template_xlsx(columns: list[str], example: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    sheet.append(example)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(columns: list[str], example: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow(example)
    return out.getvalue().encode("utf-8")
