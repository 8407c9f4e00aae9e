"""Staff records and certification: credential types (as data), credentials, CE log, trainee hours.

Status, days to expiry and hours still needed are computed in ONE place, the annotations of
``CredentialQuerySet.with_status()`` (peers/querysets.py), so the board, the staff record, the CSV
export and the reminders all agree.
"""

from __future__ import annotations

import calendar
from datetime import date

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from peers.querysets import (
    ContinuingEducationQuerySet,
    CredentialQuerySet,
    CredentialTypeQuerySet,
    TraineeHoursQuerySet,
)
from recovery.db import CreatedAtModel, UuidModel, set_together
from recovery.fields import EARLIEST_STAFF_DATE, LATEST_RECORD_DATE
from recovery.tracking import track
from recovery.uploads import RandomName

HOURS = {"max_digits": 6, "decimal_places": 2}
MAX_HOURS_IN_A_DAY = 24


class LivedExperience(models.TextChoices):
    PERSONAL = "personal", _("Personal recovery")
    FAMILY = "family", _("Family member in recovery")


class Status(models.TextChoices):
    """A credential's status, in order of precedence (see ``CredentialQuerySet.with_status``)."""

    CURRENT = "current", _("Current")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    CE_SHORT = "ce_short", _("CE short")
    IN_TRAINING = "in_training", _("In training")
    ENDED = "ended", _("Ended")


def add_months(day: date, months: int) -> date:
    """``day`` plus (or minus) whole months, clamped to the month's end like PostgreSQL's intervals."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


BOARD_STATUSES = [Status.CURRENT, Status.EXPIRING, Status.EXPIRED, Status.CE_SHORT, Status.IN_TRAINING]


@track()
class CredentialType(UuidModel):
    """A credential a peer can hold or train toward, with its renewal rules (DOMAIN.md).

    ``program`` empty: a default shared by every program (loaded by a data migration). A program admin
    who edits a default gets the program's own version (``replaces`` points at the default), which takes
    its place in that program only.
    """

    program = models.ForeignKey(
        "recovery.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="credential_types"
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="program_versions",
        help_text=_("The shared default this program's version takes the place of."),
    )
    name = models.CharField(max_length=150)
    abbreviation = models.CharField(max_length=20, blank=True)
    issuing_body = models.CharField(max_length=150)
    cycle_months = models.PositiveSmallIntegerField(
        _("renewal cycle (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    ce_hours = models.DecimalField(
        _("CE hours per cycle"), **HOURS, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    ethics_hours = models.DecimalField(
        _("of which ethics hours"), **HOURS, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    makes_billable = models.BooleanField(
        _("makes the holder billable"), default=False,
        help_text=_("Holding this credential lets a peer deliver billable (e.g. Medicaid) services."),
    )
    training_hours_required = models.DecimalField(
        **HOURS, default=0, validators=[MinValueValidator(0), MaxValueValidator(5000)]
    )
    experience_hours_required = models.DecimalField(
        **HOURS, default=0, validators=[MinValueValidator(0), MaxValueValidator(5000)]
    )
    supervision_hours_required = models.DecimalField(
        **HOURS, default=0, validators=[MinValueValidator(0), MaxValueValidator(5000)]
    )
    is_active = models.BooleanField(default=True, help_text=_("Inactive types cannot be given to anyone new."))

    objects = CredentialTypeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "program", name="credential_type_name_per_program",
                nulls_distinct=False,
            ),
            models.UniqueConstraint(
                fields=["program", "replaces"], condition=Q(replaces__isnull=False),
                name="credential_type_one_version_per_program",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | Q(program__isnull=False),
                name="credential_type_only_programs_replace",
            ),
            models.CheckConstraint(condition=Q(cycle_months__gte=1), name="credential_type_cycle_positive"),
            models.CheckConstraint(
                condition=Q(ethics_hours__gte=0) & Q(ethics_hours__lte=F("ce_hours")),
                name="credential_type_ethics_within_ce",
            ),
            models.CheckConstraint(
                condition=Q(training_hours_required__gte=0) & Q(experience_hours_required__gte=0)
                & Q(supervision_hours_required__gte=0),
                name="credential_type_requirements_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.program_id is None


@track()
class StaffProfile(models.Model):
    """What the program records about a staff member beyond their membership (one per membership)."""

    membership = models.OneToOneField("recovery.Membership", on_delete=models.CASCADE, related_name="profile")
    hire_date = models.DateField(null=True, blank=True)
    lived_experience = models.CharField(
        _("lived-experience basis"), max_length=20, choices=LivedExperience, blank=True
    )
    supervisor_training_on = models.DateField(
        _("PRS supervisor training completed"), null=True, blank=True,
        help_text=_("DBHDS peer recovery specialist supervisor training (required of a peer's direct supervisor)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.membership.user}"


@track()
class Credential(UuidModel, CreatedAtModel):
    """A credential a staff member holds, or works toward (no issue date yet: "in training")."""

    class EndReason(models.TextChoices):
        LAPSED = "lapsed", _("Lapsed (not renewed)")
        REPLACED = "replaced", _("Replaced by another credential")
        REVOKED = "revoked", _("Revoked or surrendered")
        LEFT = "left", _("Left the program")
        TRAINING_STOPPED = "training_stopped", _("Training stopped")
        ENTERED_IN_ERROR = "error", _("Entered in error")

    membership = models.ForeignKey("recovery.Membership", on_delete=models.CASCADE, related_name="credentials")
    type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="credentials")
    number = models.CharField(_("credential number"), max_length=60, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(issued_on__isnull=True) | Q(issued_on__range=(EARLIEST_STAFF_DATE, LATEST_RECORD_DATE)))
                & (Q(expires_on__isnull=True) | Q(expires_on__range=(EARLIEST_STAFF_DATE, LATEST_RECORD_DATE))),
                name="credential_dates_plausible",
            ),
            models.UniqueConstraint(
                fields=["membership", "type"], condition=Q(ended_on__isnull=True),
                name="credential_one_open_per_type",
            ),
            set_together("issued_on", "expires_on", name="credential_issued_and_expiry_together"),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="credential_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(issued_on__isnull=True) | Q(ended_on__gte=F("issued_on")),
                name="credential_ends_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="credential_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["expires_on"], name="credential_expires_idx"),
            models.Index(fields=["type", "expires_on"], name="credential_type_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} — {self.membership.user}"


class CEDomain(models.TextChoices):
    # The IC&RC Peer Recovery performance domains, plus "other" for anything else a board accepts.
    ADVOCACY = "advocacy", _("Advocacy")
    MENTORING = "mentoring", _("Mentoring and education")
    WELLNESS = "wellness", _("Recovery and wellness support")
    ETHICS = "ethics", _("Ethical responsibility")
    OTHER = "other", _("Other")


@track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ContinuingEducation(UuidModel, CreatedAtModel):
    """One continuing-education activity; its hours count toward every credential's current cycle."""

    membership = models.ForeignKey(
        "recovery.Membership", on_delete=models.CASCADE, related_name="continuing_education"
    )
    completed_on = models.DateField()
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=150)
    hours = models.DecimalField(**HOURS)
    ethics_hours = models.DecimalField(_("of which ethics hours"), **HOURS, default=0)
    domain = models.CharField(max_length=20, choices=CEDomain, default=CEDomain.OTHER)
    certificate = models.FileField(upload_to=RandomName("ce_certificates"), blank=True)

    objects = ContinuingEducationQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_IN_A_DAY), name="ce_hours_within_a_day"
            ),
            models.CheckConstraint(
                condition=Q(ethics_hours__gte=0) & Q(ethics_hours__lte=F("hours")), name="ce_ethics_within_hours"
            ),
        ]
        indexes = [models.Index(fields=["membership", "completed_on"], name="ce_membership_date_idx")]

    def __str__(self) -> str:
        return self.title


class HoursKind(models.TextChoices):
    TRAINING = "training", _("Training")
    EXPERIENCE = "experience", _("Experience")
    SUPERVISION = "supervision", _("Supervision")


@track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class TraineeHours(UuidModel, CreatedAtModel):
    """Hours a staff member in training logs toward certification (training, experience, supervision)."""

    membership = models.ForeignKey("recovery.Membership", on_delete=models.CASCADE, related_name="trainee_hours")
    kind = models.CharField(max_length=20, choices=HoursKind)
    worked_on = models.DateField(_("date"))
    hours = models.DecimalField(**HOURS)
    note = models.CharField(max_length=300, blank=True)

    objects = TraineeHoursQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("trainee hours")
        ordering = ["-worked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_IN_A_DAY), name="trainee_hours_within_a_day"
            ),
        ]
        indexes = [models.Index(fields=["membership", "kind"], name="trainee_hours_member_kind_idx")]

    def __str__(self) -> str:
        return f"{self.hours} h {self.get_kind_display().lower()}"
