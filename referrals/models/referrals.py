"""Referrals: a participant sent to a directory entry (or a one-off organisation), followed until it is
known whether they connected. Each status change is a dated ``ReferralEvent`` (kept, never changed)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recovery.db import CreatedAtModel, UuidModel, append_only, never_deleted, not_blank, required_unless
from recovery.scoping import ParticipantRecordQuerySet
from recovery.tracking import track


class Status(models.TextChoices):
    MADE = "made", _("Made")
    CONNECTED = "connected", _("Connected")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class Reason(models.TextChoices):
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("No show")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    WAITLISTED = "waitlisted", _("Waitlisted")
    UNREACHABLE = "unreachable", _("Unreachable")


OPEN_STATUSES = (Status.MADE, Status.CONNECTED)

# Where a referral may go from each status. Waitlisted or unreachable people may still connect later.
NEXT = {
    Status.MADE: (Status.CONNECTED, Status.COMPLETED, Status.NOT_COMPLETED),
    Status.CONNECTED: (Status.COMPLETED, Status.NOT_COMPLETED),
    Status.NOT_COMPLETED: (Status.CONNECTED,),
    Status.COMPLETED: (),
}
REOPENABLE_REASONS = (Reason.WAITLISTED, Reason.UNREACHABLE)


class ReferralQuerySet(ParticipantRecordQuerySet):
    def open(self) -> ReferralQuerySet:
        """No outcome yet: made or connected."""
        return self.filter(status__in=OPEN_STATUSES)

    def quiet_since(self, day: datetime.date) -> ReferralQuerySet:
        """Open, with no update on ``day`` or after."""
        return self.open().filter(status_on__lt=day)

    def on_desk_of(self, user) -> ReferralQuerySet:
        return self.filter(Q(made_by=user) | Q(client__primary_peer=user))


@track(model_name="ReferralChange")  # "ReferralEvent" is the status history below
class Referral(UuidModel, CreatedAtModel):
    Status = Status
    Reason = Reason

    class Method(models.TextChoices):
        INFORMATION = "information", _("Gave the information")
        CALLED_TOGETHER = "called_together", _("Called together")
        WARM_HANDOFF = "warm_handoff", _("Warm hand-off in person")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("participant"))
    resource = models.ForeignKey("referrals.Resource", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="referrals", verbose_name=_("directory entry"))
    organisation = models.CharField(_("organisation"), max_length=200,
                                    help_text=_("A one-off organisation, or the directory entry's."))
    category = models.ForeignKey("referrals.Category", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="referrals", help_text=_("What kind of help (for reports)."))
    reason = models.TextField(_("what for"))
    goal = models.ForeignKey("clients.Goal", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="referrals", verbose_name=_("toward the goal"))
    method = models.CharField(_("how"), max_length=20, choices=Method, default=Method.INFORMATION)
    shares_information = models.BooleanField(
        _("shares the participant's information with them"), default=False,
        help_text=_("Calling together or a hand-off usually does: 42 CFR Part 2 needs a consent naming them."))
    consent = models.ForeignKey("clients.Consent", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="referrals", verbose_name=_("consent that covers it"))
    status = models.CharField(max_length=20, choices=Status, default=Status.MADE)
    not_completed_reason = models.CharField(_("why not"), max_length=20, choices=Reason, blank=True)
    made_on = models.DateField(_("made on"))
    status_on = models.DateField(_("status since"))
    from_note = models.ForeignKey("clients.SessionNote", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="referrals", verbose_name=_("made in the session of"))
    followup = models.OneToOneField("clients.FollowUp", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="referral")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-made_on", "-pk"]
        constraints = [
            not_blank("organisation", name="referral_has_organisation"),
            not_blank("reason", name="referral_has_reason"),
            models.CheckConstraint(condition=Q(shares_information=False) | Q(consent__isnull=False),
                                   name="referral_sharing_has_consent"),
            required_unless("not_completed_reason", ~Q(status="not_completed"), name="referral_not_completed_why"),
            models.CheckConstraint(condition=Q(status="not_completed") | Q(not_completed_reason=""),
                                   name="referral_why_only_when_not_completed"),
            models.CheckConstraint(condition=Q(status_on__gte=models.F("made_on")),
                                   name="referral_status_after_made"),
        ]
        indexes = [
            models.Index(fields=["client", "made_on"], name="referral_client_idx"),
            models.Index(fields=["status_on"], name="referral_open_idx", condition=Q(status__in=OPEN_STATUSES)),
        ]
        triggers = [never_deleted("referral_never_deleted")]

    def __str__(self) -> str:
        return gettext("Referral to %(organisation)s") % {"organisation": self.organisation}

    def get_absolute_url(self) -> str:
        return reverse("referrals:referral_detail", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def next_statuses(self) -> tuple[str, ...]:
        if self.status == Status.NOT_COMPLETED and self.not_completed_reason not in REOPENABLE_REASONS:
            return ()
        return NEXT[Status(self.status)]

    @property
    def status_text(self) -> str:
        if self.status == Status.NOT_COMPLETED:
            return gettext("Not completed: %(reason)s") % {"reason": self.get_not_completed_reason_display().lower()}
        return self.get_status_display()


class ReferralEvent(CreatedAtModel):
    """One status of a referral, from the day it took effect (the first one is "made")."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_events")
    status = models.CharField(max_length=20, choices=Status)
    not_completed_reason = models.CharField(_("why not"), max_length=20, choices=Reason, blank=True)
    on = models.DateField(_("on"))
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["referral", "on"], name="referral_event_idx")]
        triggers = [append_only("referral_event_append_only")]

    def __str__(self) -> str:
        return gettext("%(status)s on %(day)s") % {"status": self.get_status_display(), "day": f"{self.on:%Y-%m-%d}"}

    @property
    def status_text(self) -> str:
        if self.status == Status.NOT_COMPLETED:
            return gettext("Not completed: %(reason)s") % {"reason": self.get_not_completed_reason_display().lower()}
        return self.get_status_display()
