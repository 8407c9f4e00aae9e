"""Program admins bring their participants in from a spreadsheet: a template to fill, a dry run that shows
every row as new / matches an existing participant / error (why) and writes nothing, then one import of
all the new rows, or none (clients.imports).

Between the dry run and the import the file waits in the server's cache under a random token for
IMPORT_KEPT_SECONDS (never in a URL, a log line or the session); the import reads it from there, checks
every row again and deletes it.
"""

from __future__ import annotations

import hashlib
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from clients import imports
from recovery.audit import log_access, serves
from recovery.exports import FORMATS, export_format
from recovery.middleware import membership_for
from recovery.models import AccessLog, Membership
from recovery.once import create_once, earlier_submission
from recovery.tables import TableError, read_table, template_csv, template_xlsx

IMPORT_KEPT_SECONDS = 30 * 60
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Spreadsheet (.csv or .xlsx)",
                           help_text="One participant a row, with the template's column names in the first row.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is over 10 MB: split it.")
        content = upload.read()
        try:
            self.table = read_table(upload.name, content)
        except TableError as error:
            raise forms.ValidationError(str(error)) from error
        self.content, self.name = content, upload.name
        return upload


def _cache_key(request, token: str) -> str:
    return f"lantern:import:participants:{request.user.pk}:{token}"


@login_required
@serves("GET")
def import_template(request, fmt: str):
    """The participants template, with one example row."""
    membership_for(request, Membership.Role.ADMIN)
    export_format(fmt)
    body = (template_csv if fmt == "csv" else template_xlsx)(imports.COLUMNS, imports.EXAMPLE)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="lantern-participants-template.{fmt}"'
    return response


@login_required
@serves("GET", "POST")
def participants_import(request):
    """Upload → dry run (every row, nothing written) → import (all new rows or none)."""
    program = membership_for(request, Membership.Role.ADMIN).program
    if request.method == "POST" and "form_token" in request.POST:
        if done := earlier_submission(request):
            return done
        return _commit(request, program)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        rows = imports.participants_check(program=program, table=form.table)
        token = str(uuid.uuid4())
        cache.set(_cache_key(request, token), (form.name, form.content), IMPORT_KEPT_SECONDS)
        log_access(request, "clients.import", action=AccessLog.Action.LIST, program_id=program.pk,
                   reason="Participant import: dry run")
        counts = {outcome: sum(row.outcome == outcome for row in rows)
                  for outcome in (imports.NEW, imports.EXISTING, imports.ERROR)}
        return render(request, "clients/import/result.html", {
            "rows": rows, "counts": counts, "token": token, "file_name": form.name})
    return render(request, "clients/import/upload.html", {"form": form, "columns": imports.COLUMNS})


def _commit(request, program):
    token = request.POST.get("form_token", "")
    kept = cache.get(_cache_key(request, token)) if token else None
    if kept is None:
        messages.error(request, "That dry run has expired: upload the file again.")
        return redirect("clients:import")
    name, content = kept
    source = f"import:{hashlib.sha256(content).hexdigest()[:16]}"

    def create() -> str:
        rows = imports.participants_import(program=program, by=request.user, table=read_table(name, content),
                                           source=source)
        created = sum(row.outcome == imports.NEW for row in rows)
        messages.success(request, f"{created} participant(s) imported; "
                                  f"{sum(row.outcome == imports.EXISTING for row in rows)} already here.")
        return reverse("clients:caseload")

    try:
        response = create_once(request, uuid.UUID(token), create)
    except (ValidationError, ValueError):
        messages.error(request, "Some rows have errors now (the program changed since the dry run): nothing "
                                "was imported. Upload the file again to see them.")
        return redirect("clients:import")
    cache.delete(_cache_key(request, token))
    return response
