"""The program's outcome rules: how often check-ins are due, the GPRA windows and the follow-up target.

One row per program, made on first use with the defaults below (DOMAIN.md, "Outcomes and funders");
program admins edit it under /program/outcomes/.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CHECKIN_INTERVAL_DAYS = 90
FOLLOWUP_OPENS_MONTHS = 5
FOLLOWUP_CLOSES_MONTHS = 8
FOLLOWUP_TARGET_PERCENT = 80
DEFAULT_INSTRUMENT_CODE = "barc-10"


class OutcomeSettings(models.Model):
    program = models.OneToOneField("recovery.Program", on_delete=models.CASCADE, related_name="outcome_settings")
    instrument = models.ForeignKey(
        "outcomes.Instrument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("scheduled instrument"),
        help_text=_("The one check-ins are scheduled for (empty: the BARC-10)."))
    checkin_interval_days = models.PositiveSmallIntegerField(
        _("days between check-ins"), default=CHECKIN_INTERVAL_DAYS, validators=[MinValueValidator(7),
                                                                             MaxValueValidator(365)],
        help_text=_("After the intake check-in, one is due this many days after the last; one more at discharge."))
    gpra_enabled = models.BooleanField(
        _("track GPRA interviews"), default=False, help_text=_("Intake, follow-up window and discharge interviews."))
    followup_opens_months = models.PositiveSmallIntegerField(
        _("follow-up window opens (months after intake)"), default=FOLLOWUP_OPENS_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(36)])
    followup_closes_months = models.PositiveSmallIntegerField(
        _("follow-up window closes (months after intake)"), default=FOLLOWUP_CLOSES_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(48)])
    followup_target_percent = models.PositiveSmallIntegerField(
        _("follow-up rate target (%)"), default=FOLLOWUP_TARGET_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("outcome settings")
        verbose_name_plural = _("outcome settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(followup_closes_months__gt=models.F("followup_opens_months")),
                                   name="outcome_window_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return "Outcome settings"

    @classmethod
    def of(cls, program) -> OutcomeSettings:
        """The program's settings (defaults until an admin saves them; nothing is written on a read)."""
        found = cls.objects.filter(program=program).select_related("instrument").first()
        return found or cls(program=program)
