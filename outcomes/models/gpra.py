"""GPRA interviews: their dates and outcomes (the questionnaire itself lives in the funder's system).

A participant is in the GPRA schedule from their intake interview; the follow-up window is counted
from its date (the program's ``followup_opens_months`` / ``followup_closes_months``), and the discharge
interview is recorded at discharge. Records are kept (pghistory), corrected in place by their peer.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import CreatedAtModel, UuidModel, required_unless
from recovery.scoping import ParticipantRecordQuerySet
from recovery.tracking import track


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day when it has fewer."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@track()
class Interview(UuidModel, CreatedAtModel):
    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake interview")
        FOLLOWUP = "followup", _("Follow-up interview")
        DISCHARGE = "discharge", _("Discharge interview")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        REFUSED = "refused", _("Refused")
        NOT_LOCATED = "not_located", _("Not located")
        DECEASED = "deceased", _("Deceased")
        INCARCERATED = "incarcerated", _("Incarcerated")
        OTHER = "other", _("Other")

    client = participant_key("gpra_interviews")
    kind = models.CharField(max_length=20, choices=Kind)
    held_on = models.DateField(_("date"))
    outcome = models.CharField(max_length=20, choices=Outcome, default=Outcome.COMPLETED)
    outcome_detail = models.CharField(_("details"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("GPRA interview")
        verbose_name_plural = _("GPRA interviews")
        ordering = ["held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "kind"], name="gpra_one_interview_per_kind"),
            required_unless("outcome_detail", ~Q(outcome="other"), name="gpra_other_outcome_has_detail"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.held_on:%Y-%m-%d}"
