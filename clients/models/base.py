"""What the models holding a participant's records share (a module of its own: every clients model module
and the apps above import it, and it imports none of them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def participant_key(related_name: str) -> models.ForeignKey:
    """The record's participant: kept while the record exists (PROTECT), labelled "participant" on forms."""
    return models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name=related_name,
                             verbose_name=_("participant"))
