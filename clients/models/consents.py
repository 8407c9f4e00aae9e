"""42 CFR Part 2 consents (§2.31): the structured elements of a written consent to disclose."""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import (
    CreatedByModel,
    UuidModel,
    any_changed,
    changed,
    never_deleted,
    not_before,
    required_unless,
    unchanged_when,
)
from recovery.scoping import ParticipantRecordQuerySet
from recovery.tracking import track
from recovery.uploads import RandomName

# What a signed consent says never changes: a mistake is corrected by revoking it and recording a new one.
CONSENT_CONTENT_FIELDS = [
    "client", "discloser", "information", "recipients", "purpose", "is_tpo", "redisclosure_notice",
    "right_to_revoke_explained", "expiry_event", "expiry_event_detail", "signed_on", "signature_method",
]
REVOCATION_FIELDS = ["revoked_on", "revocation_method", "revocation_note", "revoked_by"]


class ConsentQuerySet(ParticipantRecordQuerySet):
    def in_force_on(self, day: datetime.date) -> ConsentQuerySet:
        """Not revoked and not past their expiry date on ``day``."""
        return self.filter(revoked_on__isnull=True).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))

    def lasting_beyond(self, day: datetime.date) -> ConsentQuerySet:
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day))


@track()
class Consent(UuidModel, CreatedByModel):
    """A participant's written consent to disclose their information (42 CFR §2.31).

    Status is computed: revoked (a revocation was recorded), expired (the expiry date has passed in
    the program's time zone), else active. Revocation is a new state, never a deletion.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class ExpiryEvent(models.TextChoices):
        DATE = "date", _("On a date")
        END_OF_TREATMENT = "end_of_treatment", _("At the end of treatment (discharge)")
        NONE = "none", _("None (treatment, payment and health care operations only)")
        OTHER = "other", _("Another event")

    class SignatureMethod(models.TextChoices):
        PAPER = "paper", _("Signed on paper")
        ELECTRONIC = "electronic", _("Signed electronically")

    class RevocationMethod(models.TextChoices):
        WRITING = "writing", _("In writing")
        ORALLY = "orally", _("Orally")
        ELECTRONIC = "electronic", _("Electronically")

    client = participant_key("consents")
    discloser = models.CharField(_("who may disclose"), max_length=200,
                                 help_text=_("The program or people allowed to share the information."))
    information = models.TextField(_("what information"), help_text=_("How much and what kind of information."))
    recipients = models.TextField(help_text=_("By name, or a class of participating providers for "
                                            "treatment, payment and health care operations."))
    purpose = models.TextField(_("purpose of the disclosure"))
    is_tpo = models.BooleanField(_("for treatment, payment and health care operations"), default=False)
    redisclosure_notice = models.BooleanField(
        _("told that recipients may redisclose under HIPAA"), default=False,
        help_text=_("Required for a consent covering treatment, payment and health care operations."),
    )
    right_to_revoke_explained = models.BooleanField(
        _("told of the right to revoke and how"), default=False,
        help_text=_("The consent must state the participant's right to revoke it and how to do so."),
    )
    expiry_event = models.CharField("expires", max_length=20, choices=ExpiryEvent, default=ExpiryEvent.DATE)
    expiry_event_detail = models.CharField(_("expiry event"), max_length=200, blank=True)
    # Set on the form for a date; set by discharge for "end of treatment"; only ever set once.
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    signed_on = models.DateField(_("date signed"))
    signature_method = models.CharField(max_length=20, choices=SignatureMethod, default=SignatureMethod.PAPER)
    scan = models.FileField(_("scanned signed copy"), upload_to=RandomName("consents"), blank=True)

    revoked_on = models.DateField(_("revocation date"), null=True, blank=True)
    revocation_method = models.CharField(_("how it was revoked"), max_length=20, choices=RevocationMethod,
                                         blank=True)
    revocation_note = models.TextField(blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("revocation recorded by"))

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-signed_on", "-pk"]
        indexes = [
            # The consent-expiring reminder sweep reads unrevoked consents by expiry date.
            models.Index(fields=["expires_on"], name="consent_expiring_idx",
                         condition=Q(revoked_on__isnull=True, expires_on__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(right_to_revoke_explained=True), name="consent_states_right_to_revoke"),
            models.CheckConstraint(condition=Q(is_tpo=False) | Q(redisclosure_notice=True),
                                   name="consent_tpo_has_redisclosure_notice"),
            models.CheckConstraint(condition=~Q(expiry_event="date") | Q(expires_on__isnull=False),
                                   name="consent_date_expiry_has_date"),
            models.CheckConstraint(condition=~Q(expiry_event="none") | Q(is_tpo=True),
                                   name="consent_no_expiry_only_for_tpo"),
            required_unless("expiry_event_detail", ~Q(expiry_event="other"), name="consent_other_expiry_is_described"),
            not_before("expires_on", "signed_on", name="consent_expires_after_signature"),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revocation_method="")
                | (Q(revoked_on__gte=models.F("signed_on")) & ~Q(revocation_method="")),
                name="consent_revocation_complete",
            ),
        ]
        triggers = [
            never_deleted("consent_never_deleted"),
            unchanged_when("consent_content_is_final", pgtrigger.AnyChange(*CONSENT_CONTENT_FIELDS),
                           merge_movable=True),
            unchanged_when("consent_expiry_set_once",
                           pgtrigger.Q(old__expires_on__isnull=False) & changed("expires_on")),
            unchanged_when("consent_revocation_is_final",
                           pgtrigger.Q(old__revoked_on__isnull=False) & any_changed(REVOCATION_FIELDS)),
            unchanged_when("consent_scan_is_final", ~pgtrigger.Q(old__scan="") & changed("scan")),
        ]

    def __str__(self) -> str:
        return f"Consent signed {self.signed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("clients:consent_detail", args=[self.uuid])

    def status_on(self, day: datetime.date) -> str:
        if self.revoked_on is not None:
            return self.Status.REVOKED
        if self.expires_on is not None and self.expires_on < day:
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def expires_within(self, day: datetime.date, days: int) -> bool:
        """In force on ``day`` and expiring within ``days`` of it."""
        return (self.status_on(day) == self.Status.ACTIVE and self.expires_on is not None
                and self.expires_on <= day + datetime.timedelta(days=days))

    @property
    def expiry_text(self) -> str:
        if self.expires_on is not None:
            return f"{self.expires_on:%b} {self.expires_on.day}, {self.expires_on.year}"
        if self.expiry_event == self.ExpiryEvent.OTHER:
            return self.expiry_event_detail
        return self.get_expiry_event_display()
