"""Program admins bring their participants in from a spreadsheet (clients.imports; the page's steps and
views are recovery.importing's and recovery.views.imports', given this kind in clients/urls.py)."""

from __future__ import annotations

from clients import imports
from recovery.importing import ImportKind

PARTICIPANTS = ImportKind(
    slug="participants", title="participants", columns=imports.COLUMNS, example=imports.EXAMPLE,
    check=imports.participants_check, run=imports.participants_import, url_name="clients:import",
    done_url_name="clients:caseload", help_template="clients/import/help.html")
