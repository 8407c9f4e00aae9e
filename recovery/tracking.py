"""``track``: django-pghistory's ``pghistory.track`` with the index every event table needs.

The audit report's changes tab reads a program's events newest first, across every event table: each
table's part is sorted and cut to the page's end on ``(pgh_created_at, pgh_id)``. Without that index a
table's part sorts all its rows for every page (recovery/audit_report.py ``ChangeRows``).
"""

from __future__ import annotations

import pghistory
from django.db import models

EVENT_TIME = ["pgh_created_at", "pgh_id"]


def track(*trackers, meta: dict | None = None, **options):
    """``pghistory.track(*trackers, **options)``, its event model indexed on the event time (unless its
    ``meta`` already names such an index). The index is named by Django from the event table."""
    meta = dict(meta or {})
    indexes = list(meta.get("indexes", []))
    if not any(list(index.fields) == EVENT_TIME for index in indexes):
        indexes.append(models.Index(fields=EVENT_TIME))
    meta["indexes"] = indexes
    return pghistory.track(*trackers, meta=meta, **options)
