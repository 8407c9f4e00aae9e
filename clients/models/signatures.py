"""Signatures on a recovery plan version or a consent: drawn on the screen, or recorded as signed on paper.

A signature is final the moment it is written (a trigger refuses UPDATE and DELETE). It holds a SHA-256
hash of the text the signer saw (``clients.signing``): a plan changed in place after it was signed no
longer matches, and re-signing after a revision is a new signature on the new version.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import UuidModel, append_only, not_blank
from recovery.scoping import ParticipantRecordQuerySet
from recovery.uploads import RandomName

# A finger's signature on a phone canvas is a few kilobytes as PNG; anything far larger is not one.
MAX_SIGNATURE_BYTES = 300 * 1024


class Signature(UuidModel):
    """One person's signature on one plan version or one consent."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        PEER = "peer", _("Peer specialist")
        GUARDIAN = "guardian", _("Guardian or legal representative")

    class Method(models.TextChoices):
        SCREEN = "screen", _("Signed on the screen")
        PAPER = "paper", _("Signed on paper")

    client = participant_key("signatures")
    plan = models.ForeignKey("clients.RecoveryPlan", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="signatures")
    consent = models.ForeignKey("clients.Consent", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="signatures")
    role = models.CharField(_("signing as"), max_length=20, choices=Role)
    signer_name = models.CharField(_("name of the person signing"), max_length=200)
    method = models.CharField(max_length=20, choices=Method)
    # The PNG drawn on the screen, kept in the row itself so the trigger that makes the row final covers it.
    image = models.BinaryField(null=True, blank=True, editable=False)
    scan = models.FileField(_("scanned signed page"), upload_to=RandomName("signatures"), blank=True)
    content_sha256 = models.CharField(_("hash of the signed text"), max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(plan__isnull=False, consent__isnull=True)
                                   | Q(plan__isnull=True, consent__isnull=False), name="signature_signs_one_document"),
            models.CheckConstraint(condition=Q(method="screen", image__isnull=False)
                                   | Q(method="paper", image__isnull=True), name="signature_image_when_on_screen"),
            models.CheckConstraint(condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                                   name="signature_hash_is_sha256"),
            not_blank("signer_name", name="signature_has_name"),
            # One person in a role signs a given text once; a changed plan can be signed again.
            models.UniqueConstraint(fields=["plan", "role", "content_sha256"], condition=Q(plan__isnull=False),
                                    name="signature_once_per_plan_text"),
            models.UniqueConstraint(fields=["consent", "role"], condition=Q(consent__isnull=False),
                                    name="signature_once_per_consent"),
        ]
        triggers = [append_only("signature_is_final", merge_movable=True)]

    def __str__(self) -> str:
        return f"Signature ({self.role}) {self.signed_at:%Y-%m-%d}"

    @property
    def image_data_url(self) -> str:
        """The drawn signature as a ``data:`` URL (the CSP allows data: images; the PDF reads it too)."""
        if not self.image:
            return ""
        return "data:image/png;base64," + base64.b64encode(bytes(self.image)).decode("ascii")
