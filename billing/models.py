"""Billing: payers, participants' coverage, service authorizations, and the claim batches sent.

Billing data belongs to the program's billing clerks and admins (``recovery.scoping.billing_q``); a peer
sees an authorization only as the units it has left, in the note form. A claim batch and its lines are
final once written (triggers refuse UPDATE and DELETE, whatever the SQL); a billed note corrected by an
addendum afterwards gets a re-review flag, a new row.
"""

from __future__ import annotations

import datetime

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recovery.db import (
    CreatedAtModel,
    CreatedByModel,
    UuidModel,
    append_only,
    never_deleted,
    not_before,
    not_blank,
    unchanged_when,
)
from recovery.scoping import billing_q
from recovery.tracking import track


class BillingQuerySet(models.QuerySet):
    """Rows of a program's billing, seen by its billing clerks and admins (``program_path`` leads there)."""

    program_path = "client__"

    def visible_to(self, user) -> BillingQuerySet:
        return self.filter(billing_q(user, self.program_path))


class PayerQuerySet(BillingQuerySet):
    program_path = ""


@track()
class Payer(UuidModel, CreatedAtModel):
    """Who pays for services: program data (a Medicaid program, a managed-care plan, a grant...)."""

    class Kind(models.TextChoices):
        MEDICAID = "medicaid", _("Medicaid (fee for service)")
        MANAGED_CARE = "managed_care", _("Medicaid managed-care plan")
        GRANT = "grant", _("Grant")
        SELF_PAY = "self_pay", _("Self-pay")
        NONE = "none", _("None (services are not billed)")

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind)
    payer_code = models.CharField(_("payer ID"), max_length=40, blank=True,
                                  help_text=_("The payer's ID on claims (from the payer or the clearinghouse)."))
    requires_authorization = models.BooleanField(
        default=True, help_text=_("Services need a service authorization before they can be billed."))
    is_active = models.BooleanField(default=True)

    objects = PayerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="payer_name_unique_in_program"),
            not_blank("name", name="payer_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bills(self) -> bool:
        return self.kind not in (self.Kind.NONE, self.Kind.SELF_PAY)


class CoverageQuerySet(BillingQuerySet):
    def on(self, day: datetime.date) -> CoverageQuerySet:
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


@track()
class Coverage(UuidModel, CreatedByModel):
    """A period in which a payer covers a participant, with the member ID claims carry."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("participant"))
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="coverages")
    member_id = models.CharField(_("member ID"), max_length=60, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty: still covered."))

    objects = CoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverages")
        ordering = ["-starts_on", "-pk"]
        constraints = [not_before("ends_on", "starts_on", name="coverage_ends_after_start")]
        indexes = [models.Index(fields=["client", "starts_on"], name="coverage_client_idx")]
        triggers = [never_deleted("coverage_never_deleted")]

    def __str__(self) -> str:
        return gettext("Coverage from %(day)s") % {"day": f"{self.starts_on:%Y-%m-%d}"}

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ServiceAuthorizationQuerySet(BillingQuerySet):
    def on(self, day: datetime.date) -> ServiceAuthorizationQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)


@track()
class ServiceAuthorization(UuidModel, CreatedByModel):
    """A payer's authorization of units of one service for a participant, between two dates."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("participant"))
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="authorizations")
    service_code = models.ForeignKey("clients.ServiceCode", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("authorization number"), max_length=60)
    units_authorized = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    recommended_on = models.DateField(_("recommended on"), help_text=_("When the service was recommended."))

    objects = ServiceAuthorizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service authorization")
        verbose_name_plural = _("service authorizations")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            not_before("ends_on", "starts_on", name="authorization_ends_after_start"),
            models.CheckConstraint(condition=Q(units_authorized__gte=1), name="authorization_has_units"),
            not_blank("number", name="authorization_has_number"),
        ]
        indexes = [models.Index(fields=["client", "service_code", "starts_on"], name="authorization_client_idx")]
        triggers = [never_deleted("authorization_never_deleted")]

    def __str__(self) -> str:
        return gettext("Authorization %(number)s") % {"number": self.number}

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ClaimBatchQuerySet(BillingQuerySet):
    program_path = ""


@track(pghistory.InsertEvent())
class ClaimBatch(UuidModel):
    """Notes of one period marked billed together: final once written."""

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    billed_at = models.DateTimeField(auto_now_add=True)
    billed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ClaimBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-billed_at", "-pk"]
        verbose_name = _("claim batch")
        verbose_name_plural = _("claim batches")
        constraints = [not_before("period_end", "period_start", name="claim_batch_period_ordered")]
        triggers = [append_only("claim_batch_is_final")]

    def __str__(self) -> str:
        return gettext("Claims of %(month)s") % {"month": date_format(self.period_start, "M Y")}

    def get_absolute_url(self) -> str:
        return reverse("billing:batch_detail", args=[self.uuid])


class ClaimLineQuerySet(BillingQuerySet):
    program_path = "batch__"


@track(pghistory.InsertEvent())
class ClaimLine(models.Model):
    """One billed service: what the claim says, as it was when the batch was marked billed."""

    batch = models.ForeignKey(ClaimBatch, on_delete=models.PROTECT, related_name="lines")
    # A note is billed once.
    note = models.OneToOneField("clients.SessionNote", on_delete=models.PROTECT, related_name="claim_line")
    participant_name = models.CharField(max_length=200)
    birth_date = models.DateField(null=True)
    payer_name = models.CharField(max_length=120)
    payer_code = models.CharField(max_length=40, blank=True)
    member_id = models.CharField(max_length=60, blank=True)
    service_date = models.DateField()
    service_code = models.CharField(max_length=20)
    units = models.PositiveSmallIntegerField()
    minutes = models.PositiveSmallIntegerField()
    place = models.CharField(max_length=60, blank=True)
    rendering_provider = models.CharField(max_length=150)
    provider_registration = models.CharField(max_length=60, blank=True)
    supervisor = models.CharField(max_length=150, blank=True)
    authorization_number = models.CharField(max_length=60, blank=True)

    objects = ClaimLineQuerySet.as_manager()

    class Meta:
        ordering = ["service_date", "participant_name", "pk"]
        triggers = [append_only("claim_line_is_final")]

    def __str__(self) -> str:
        return gettext("Claim line of %(day)s") % {"day": f"{self.service_date:%Y-%m-%d}"}


class ReReviewQuerySet(BillingQuerySet):
    program_path = "line__batch__"

    def open(self) -> ReReviewQuerySet:
        return self.filter(cleared_at__isnull=True)


class ReReview(UuidModel):
    """A billed note got an addendum: billing looks at the claim again (cleared once looked at)."""

    line = models.ForeignKey(ClaimLine, on_delete=models.PROTECT, related_name="rereviews")
    addendum = models.OneToOneField("clients.NoteAddendum", on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    objects = ReReviewQuerySet.as_manager()

    class Meta:
        ordering = ["flagged_at", "pk"]
        verbose_name = _("re-review")
        triggers = [never_deleted("rereview_never_deleted"),
                    unchanged_when("rereview_cleared_is_final", pgtrigger.Q(old__cleared_at__isnull=False))]

    def __str__(self) -> str:
        return gettext("Re-review of a billed note (%(day)s)") % {"day": f"{self.flagged_at:%Y-%m-%d}"}
