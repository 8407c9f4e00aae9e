"""The import pages' shared steps (a kind of record each app imports: clients.imports, peers.imports).

Upload → dry run (every row shown as new / matches existing / error with the reasons; nothing written) →
import (every new row, or none). Between the dry run and the import the file waits in the server's cache
under a random token for KEPT_SECONDS (never in a URL, a log line or the session); the import reads it
from there, checks every row again inside its transaction and then deletes it. The import's token is a
``recovery.once`` form token: a double submit imports once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recovery.audit import log_access
from recovery.exports import FORMATS, export_format
from recovery.models import AccessLog
from recovery.once import create_once, earlier_submission
from recovery.tables import Table, TableError, read_table, template_csv, template_xlsx

KEPT_SECONDS = 30 * 60
MAX_IMPORT_BYTES = 10 * 1024 * 1024
NEW, EXISTING, ERROR = "new", "existing", "error"
OUTCOME_LABELS = {NEW: _("New"), EXISTING: _("Matches an existing record"), ERROR: _("Error")}


@dataclass
class ImportRow:
    """One row of a file and what it would become."""

    line: int
    values: dict[str, str]
    outcome: str = NEW
    reasons: list[str] | None = None

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def name(self) -> str:
        return self.values.get("full_name", "")

    def error(self, reason: str) -> None:
        self.outcome = ERROR
        self.reasons = [*(self.reasons or []), reason]


def table_rows(table: Table, row_class: type[ImportRow], required: Iterable[str]) -> tuple[list, bool]:
    """The file's rows as ``row_class``, and whether every ``required`` column is there (when one is missing,
    every row already carries the error that says which)."""
    rows = [row_class(line=line, values=values) for line, values in table.rows]
    missing = [column for column in required if column not in table.columns]
    if missing:
        for row in rows:
            row.error(f"The file has no {', '.join(missing)} column.")
    return rows, not missing


@dataclass(frozen=True)
class ImportKind:
    slug: str  # in the cache key and the template's file name
    title: str  # "participants", "staff"
    columns: list[str]
    example: list[str]
    check: Callable[..., list]  # (program=, table=) -> rows
    run: Callable[..., list]  # (program=, by=, table=, source=) -> rows; raises ValidationError
    url_name: str  # the import page, to come back to
    done_url_name: str  # where a finished import leads
    help_template: str  # the upload page's instructions


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"),
                           help_text=_("One record a row, with the template's column names in the first row."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is over 10 MB: split it."))
        content = upload.read()
        try:
            self.table: Table = read_table(upload.name, content)
        except TableError as error:
            raise forms.ValidationError(str(error)) from error
        self.content, self.name = content, upload.name
        return upload


def _cache_key(kind: ImportKind, request, token: str) -> str:
    return f"lantern:import:{kind.slug}:{request.user.pk}:{token}"


def template_response(kind: ImportKind, fmt: str) -> HttpResponse:
    export_format(fmt)
    body = (template_csv if fmt == "csv" else template_xlsx)(kind.columns, kind.example)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="lantern-{kind.slug}-template.{fmt}"'
    return response


def import_page(request, kind: ImportKind, program):
    """The whole import page for ``kind`` in ``program`` (the view has checked the role)."""
    if request.method == "POST" and "form_token" in request.POST:
        if done := earlier_submission(request):
            return done
        return _commit(request, kind, program)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        rows = kind.check(program=program, table=form.table)
        token = str(uuid.uuid4())
        cache.set(_cache_key(kind, request, token), (form.name, form.content), KEPT_SECONDS)
        log_access(request, f"import.{kind.slug}", action=AccessLog.Action.LIST, program_id=program.pk,
                   reason=f"Import of {kind.title}: dry run")
        counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in (NEW, EXISTING, ERROR)}
        return render(request, "recovery/import/result.html", {
            "kind": kind, "rows": rows, "counts": counts, "token": token, "file_name": form.name})
    return render(request, "recovery/import/upload.html", {"kind": kind, "form": form})


def _commit(request, kind: ImportKind, program):
    token = request.POST.get("form_token", "")
    kept = cache.get(_cache_key(kind, request, token)) if token else None
    if kept is None:
        messages.error(request, _("That dry run has expired: upload the file again."))
        return redirect(kind.url_name)
    name, content = kept
    source = f"import:{hashlib.sha256(content).hexdigest()[:16]}"

    def create() -> str:
        rows = kind.run(program=program, by=request.user, table=read_table(name, content), source=source)
        messages.success(request, gettext("%(new)s new %(what)s imported; %(existing)s already here.") % {
            "new": sum(r.outcome == NEW for r in rows), "what": kind.title,
            "existing": sum(r.outcome == EXISTING for r in rows)})
        return reverse(kind.done_url_name)

    try:
        response = create_once(request, uuid.UUID(token), create)
    except (ValidationError, ValueError):
        messages.error(request, gettext("Some rows have errors now (the program changed since the dry run): "
                                        "nothing was imported. Upload the file again to see them."))
        return redirect(kind.url_name)
    cache.delete(_cache_key(kind, request, token))
    return response
