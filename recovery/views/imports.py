"""The import pages of every kind of record (recovery.importing): each app's urls.py passes its
``ImportKind`` to these two views, so the steps and the role check are the same for staff and participants."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from recovery.audit import serves
from recovery.importing import ImportKind, import_page, template_response
from recovery.middleware import membership_for
from recovery.models import Membership


@login_required
@serves("GET")
def import_template(request, kind: ImportKind, fmt: str):
    """The kind's template, with one example row."""
    membership_for(request, Membership.Role.ADMIN)
    return template_response(kind, fmt)


@login_required
@serves("GET", "POST")
def import_file(request, kind: ImportKind):
    """Program admins: upload → dry run (every row, nothing written) → import (all new rows or none)."""
    program = membership_for(request, Membership.Role.ADMIN).program
    return import_page(request, kind, program)
