"""Program admins bring their participants in from a spreadsheet (clients.imports; the page's steps are
recovery.importing's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from clients import imports
from recovery.audit import serves
from recovery.importing import ImportKind, import_page, template_response
from recovery.middleware import membership_for
from recovery.models import Membership

PARTICIPANTS = ImportKind(
    slug="participants", title="participants", columns=imports.COLUMNS, example=imports.EXAMPLE,
    check=imports.participants_check, run=imports.participants_import, url_name="clients:import",
    done_url_name="clients:caseload", help_template="clients/import/help.html")


@login_required
@serves("GET")
def import_template(request, fmt: str):
    """The participants template, with one example row."""
    membership_for(request, Membership.Role.ADMIN)
    return template_response(PARTICIPANTS, fmt)


@login_required
@serves("GET", "POST")
def participants_import(request):
    """Upload → dry run (every row, nothing written) → import (all new rows or none)."""
    program = membership_for(request, Membership.Role.ADMIN).program
    return import_page(request, PARTICIPANTS, program)
