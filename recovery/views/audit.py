"""/audit/: the audit report of the admin's current program, and its CSV export (itself logged)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from recovery.audit import log_access, serves
from recovery.audit_report import ACCESS, CHANGES, TABS, Tab, csv_safe, participants_named
from recovery.forms import ParticipantFindForm
from recovery.middleware import membership_for
from recovery.models import AccessLog, Membership, Program

PAGE_SIZE = 50
# Counting every matching row of a big access log costs a scan of all of them on each page view: the
# count stops here (200 pages); narrowing the filters shows the exact number again.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count reads at most ``COUNT_CAP + 1`` rows (``capped`` says it stopped there)."""

    capped = False

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, list):
            return len(self.object_list)
        # counted unordered: the program's index alone answers, not a sorted walk of the log's rows
        n = self.object_list.order_by()[:COUNT_CAP + 1].count()
        self.capped = n > COUNT_CAP
        return min(n, COUNT_CAP)


def _tab_and_form(request) -> tuple[Program, Tab, forms.Form]:
    """The admin's program (403 for any other role), the report's tab and its filter form, bound to the query."""
    program = membership_for(request, Membership.Role.ADMIN).program
    tab = TABS.get(request.GET.get("tab", ""), ACCESS)
    return program, tab, tab.form_class(request.GET, program=program)


def _query(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if k not in changes and v != ""}
    params.update({k: v for k, v in changes.items() if v})
    return urlencode(params)


def _headers(request, tab: Tab, sort: str) -> list[dict]:
    headers = []
    for column in tab.columns:
        current = sort.lstrip("-") == column.key
        descending = current and sort.startswith("-")
        if current:
            next_sort = column.key if descending else f"-{column.key}"
        else:
            next_sort = f"-{column.key}" if column.key == "at" else column.key  # newest first by default
        headers.append({
            "label": column.label,
            "url": f"?{_query(request, sort=next_sort, page='')}",
            "aria_sort": ("descending" if descending else "ascending") if current else None,
        })
    return headers


def _find_participant(request, program: Program, tab: Tab) -> dict:
    """The access tab's "find a participant by name" (a POST: the name stays out of addresses and logs)."""
    find = ParticipantFindForm(request.POST if request.method == "POST" else None)
    if tab is not ACCESS or not find.is_valid():
        return {"find_form": find}
    found = participants_named(request.user, program.pk, find.cleaned_data["name"])
    log_access(request, "audit.participant_search", action=AccessLog.Action.SEARCH, program_id=program.pk,
               reason="Audit report: find a participant by name")
    return {"find_form": find, "found": found}


@serves("GET", "POST")
@login_required
def report(request):
    program, tab, form = _tab_and_form(request)
    sort = tab.sort_key(request.GET.get("sort"))
    rows = tab.ordered(tab.rows(form), sort) if form.is_valid() else None
    if rows is not None and tab is CHANGES:
        # Change details show what participant records held: reading them is logged like any read.
        log_access(request, "audit.changes", action=AccessLog.Action.LIST, program_id=program.pk,
                   reason="Audit report: changes")
    page = CappedPaginator(rows if rows is not None else [], PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "program": program, "tab": tab, "tabs": TABS.values(), "form": form, "page": page,
        "headers": _headers(request, tab, sort),
        "export_url": f"{reverse('audit:export')}?{_query(request, tab=tab.key, page='')}",
        **_find_participant(request, program, tab),
    }
    with timezone.override(program.zone):
        return render(request, f"audit/{tab.key}.html", context)


def _csv_lines(tab: Tab, rows, program: Program) -> Iterator[str]:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(tab.csv_header)
    for row in rows.iterator(chunk_size=2000):
        yield writer.writerow(csv_safe(tab.csv_row(row, program)))


@serves("GET")
@login_required
def export(request):
    """The rows the report shows for the same filters and sort, all pages, as CSV. The export is logged."""
    program, tab, form = _tab_and_form(request)
    if not form.is_valid():
        return redirect(f"{reverse('audit:report')}?{_query(request)}")
    rows = tab.ordered(tab.rows(form), tab.sort_key(request.GET.get("sort")))
    entry = log_access(request, f"audit.{tab.key}", action=AccessLog.Action.EXPORT, program_id=program.pk,
                       reason=f"Audit report export: {tab.label}")
    if tab is ACCESS:
        rows = rows.exclude(pk=entry.pk)  # the file holds what the report showed, not its own export
    stamp = timezone.localtime(timezone.now(), program.zone).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_lines(tab, rows, program), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lantern-audit-{tab.key}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
