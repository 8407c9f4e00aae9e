"""Staff invitations: a one-time link that lets a person join a program with a role.

The link carries a random token; only its SHA-256 hash is stored, so the table cannot be used to accept
an invitation. A link works once, until it expires (``Program.invitation_valid_hours`` after it was sent),
and not after it is revoked or replaced by a resend.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.db import UuidModel
from recovery.models.accounts import Membership
from recovery.tracking import track


@track(exclude=["token_hash"])
class Invitation(UuidModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Membership.Role)
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The language the invitation's emails are written in (the admin chooses; blank: the site's), which the
    # account created from it starts with.
    language = models.CharField(_("email language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            # One open invitation per person and program: a second one is a resend of the first.
            models.UniqueConstraint(
                "program", Lower("email"), name="invitation_one_open_per_email",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.program_id} as {self.role}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def status(self, now=None) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if (now or timezone.now()) >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status()).label
