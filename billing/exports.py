"""The claim-ready layout of a billed batch, as CSV and XLSX: one line per service (README: "Billing").

Columns, in order (``COLUMNS``): the participant (name, birth date, member ID), the payer (name, payer ID),
the service (date, code, units, minutes, place), the rendering provider and their registration number,
their supervisor, the authorization number, and the note's reference (its UUID, to find it again).
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from billing.models import ClaimBatch, ClaimLine

COLUMNS: list[tuple[str, str]] = [
    (gettext_lazy("Participant"), "participant_name"),
    (gettext_lazy("Birth date"), "birth_date"),
    (gettext_lazy("Member ID"), "member_id"),
    (gettext_lazy("Payer"), "payer_name"),
    (gettext_lazy("Payer ID"), "payer_code"),
    (gettext_lazy("Service date"), "service_date"),
    (gettext_lazy("Service code"), "service_code"),
    (gettext_lazy("Units"), "units"),
    (gettext_lazy("Minutes"), "minutes"),
    (gettext_lazy("Place of service"), "place"),
    (gettext_lazy("Rendering provider"), "rendering_provider"),
    (gettext_lazy("Provider registration"), "provider_registration"),
    (gettext_lazy("Supervisor"), "supervisor"),
    (gettext_lazy("Authorization number"), "authorization_number"),
    (gettext_lazy("Note reference"), "note__uuid"),
]
HEADERS = [header for header, _field in COLUMNS]
# A spreadsheet runs a cell that starts like a formula: such text is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def claim_rows(batch: ClaimBatch) -> list[list]:
    """The batch's lines in the claim-ready layout (one query)."""
    fields = [name for _header, name in COLUMNS]
    return [list(values) for values in
            ClaimLine.objects.filter(batch=batch).order_by("service_date", "participant_name", "pk")
            .values_list(*fields)]


def _text(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def batch_csv(batch: ClaimBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(header) for header in HEADERS])
    for row in claim_rows(batch):
        writer.writerow([_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def batch_xlsx(batch: ClaimBatch) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Claims")
    sheet.append([str(header) for header in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in claim_rows(batch):
        sheet.append([value if isinstance(value, int) or hasattr(value, "isoformat") else _text(value)
                      for value in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
