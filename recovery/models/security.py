"""Account-security events (two-factor enrolment and resets), kept append-only by PostgreSQL."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models


class SecurityEvent(models.Model):
    """A change to how someone signs in: who it concerned, who did it, when and from where.

    Like the access log, rows are never updated or deleted: a database trigger refuses it.
    """

    class Kind(models.TextChoices):
        TWO_FACTOR_ENROLLED = "2fa_enrolled", "Set up two-factor authentication"
        BACKUP_CODES_CREATED = "backup_codes", "Created new backup codes"
        TWO_FACTOR_RESET = "2fa_reset", "Two-factor authentication reset by an admin"

    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind)
    # The person whose sign-in changed, and the person who changed it (the same for self-service).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, null=True, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["program", "at"], name="securityevent_program_at_idx"),
            models.Index(fields=["user", "at"], name="securityevent_user_at_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="securityevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} user={self.user_id} by={self.actor_id}"
