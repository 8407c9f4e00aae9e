"""The report page, the drill-down behind every number, the CSV/XLSX exports and the funder PDF.

Every view: signed in, any role of the program the user works in now (``membership_for``); the numbers
are scoped by ``reports.scope`` (visible_to and the supervision scoping). The page and the drill-downs
write one LIST row to the access log, each export one EXPORT row.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from recovery.audit import log_access, serves
from recovery.middleware import membership_for
from recovery.models import AccessLog
from recovery.pdf import pdf_response
from reports import report as reporting
from reports.drilldown import table_of
from reports.forms import ReportForm
from reports.measures import by_key
from reports.scope import Base

PER_PAGE = 100


def _context(request):
    membership = membership_for(request)
    program = membership.program
    today = program.today()
    form = ReportForm(request.GET or {"preset": "this_month"}, user=request.user, membership=membership, today=today)
    if not form.is_valid():
        return membership, form, None, None
    base = Base(request.user, program, form.period(), today, form.filters())
    return membership, form, base, reporting.query_of(base, form.cleaned_data.get("preset") or "this_month")


@login_required
@serves("GET")
def report(request):
    membership, form, base, query = _context(request)
    context = {"form": form, "membership": membership, "program": membership.program}
    if base is not None:
        sections = reporting.build(base, query)
        context.update(base=base, sections=sections, charts=reporting.charts(base), query=query,
                       export_query=_encoded(query))
    log_access(request, "reports.report", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return render(request, "reports/report.html", context)


def _encoded(query: dict) -> str:
    return urlencode(query)


@login_required
@serves("GET")
def drilldown(request, measure: str):
    m = by_key().get(measure)
    if m is None:
        raise Http404("No such measure.")
    membership, _form, base, query = _context(request)
    if base is None:
        raise Http404("The filters are not valid.")
    group = request.GET.get("group")
    records = m.records_in_group(base, group)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    headers, rows = table_of(m, page.object_list)
    group_label = next((label for g, label, _n in m.breakdown(base) if g == group), group) if group is not None else ""
    log_access(request, f"reports.drilldown.{m.key}", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return render(request, "reports/drilldown.html", {
        "measure": m, "base": base, "page": page, "headers": headers, "rows": rows, "group": group_label,
        "value": m.display(m.value_of(records)), "count": page.paginator.count,
        "back": f"?{_encoded(query)}", "query": _encoded({**query, **({'group': group} if group is not None else {})}),
    })


def _table_rows(sections, charts) -> list[tuple[str, list[list]]]:
    """Every table of the page as (sheet name, rows): the measures of each section, then each chart's table."""
    tables = []
    for section in sections:
        rows = [[_("Measure"), _("Breakdown"), _("Value"), _("Share"), _("What is counted")]]
        for row in section.rows:
            rows.append([str(row.measure.label), "", row.text, row.share, row.measure.doc])
            rows += [[str(row.measure.label), label, text, "", ""] for label, text, _url in row.groups]
        tables.append((str(section.label), rows))
    for chart in charts:
        rows = [[chart["label_header"], *chart["headers"]]]
        rows += [[r["label"], *r["cells"]] for r in chart["rows"]]
        tables.append((str(chart["title"]), rows))
    return tables


def _filename(base: Base, extension: str) -> str:
    return f"lantern-report-{base.period.start:%Y%m%d}-{base.period.end:%Y%m%d}.{extension}"


@login_required
@serves("GET")
def export(request, fmt: str):
    membership, _form, base, query = _context(request)
    if base is None:
        raise Http404("The filters are not valid.")
    tables = _table_rows(reporting.build(base, query), reporting.charts(base))
    title = [f"{membership.program.name}: {base.period.label}"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(title)
        for name, rows in tables:
            writer.writerow([])
            writer.writerow([name])
            writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(title[0], tables),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404("No such format.")
    response["Content-Disposition"] = f'attachment; filename="{_filename(base, fmt)}"'
    log_access(request, f"reports.export.{fmt}", action=AccessLog.Action.EXPORT, program_id=membership.program_id)
    return response


def _xlsx(title: str, tables) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used = set()
    for name, rows in tables:
        sheet_name = slugify(name)[:28] or "table"
        while sheet_name in used:
            sheet_name = sheet_name[:26] + "-2"
        used.add(sheet_name)
        sheet = book.create_sheet(sheet_name)
        sheet.append([title])
        sheet.append([name])
        for row in rows:
            sheet.append(row)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
@serves("GET")
def summary_pdf(request):
    """The one-page funder summary: program, period, the headline measures and the charts."""
    membership, form, base, query = _context(request)
    if base is None:
        raise Http404("The filters are not valid.")
    sections = reporting.build(base, query)
    response = pdf_response("reports/summary_pdf.html", {
        "program": membership.program, "base": base, "headlines": reporting.headlines(sections),
        "charts": reporting.charts(base), "filters": form.cleaned_data, "today": base.today},
        filename=_filename(base, "pdf"), request=request)
    log_access(request, "reports.summary.pdf", action=AccessLog.Action.EXPORT, program_id=membership.program_id)
    return response
