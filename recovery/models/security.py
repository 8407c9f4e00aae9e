"""Account-security events (sign-in failures, lockouts, password-reset requests, two-factor set-ups and
resets), kept append-only by PostgreSQL."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recovery.db import append_only


class SecurityEvent(models.Model):
    """Something that happened to how someone signs in: who it concerned, who did it, when and from where.

    Like the access log, rows are never updated or deleted: a database trigger refuses it. A typed password
    or code is never stored. ``email`` is the address typed at the login or reset form, normalised (trimmed,
    lower case): for an unknown account it is all there is (``user`` is empty); such rows belong to no
    program and are shown to superusers only, in the Django admin (recovery/signin.py says why).
    """

    class Kind(models.TextChoices):
        TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Set up two-factor authentication")
        BACKUP_CODES_CREATED = "backup_codes", _("Created new backup codes")
        TWO_FACTOR_RESET = "2fa_reset", _("Two-factor authentication reset by an admin")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Sign-in locked after failures")
        TWO_FACTOR_FAILED = "2fa_failed", _("Wrong two-factor code")
        PASSWORD_RESET_REQUESTED = "reset_requested", _("Password reset requested")
        PASSWORD_RESET_THROTTLED = "reset_throttled", _("Password reset refused: too many requests")

    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind)
    # The person whose sign-in it concerns (empty: the typed email matches no account), and the person who
    # did it: the same for self-service, an admin for resets, empty when unknown (a failed sign-in may be
    # anyone's).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    email = models.CharField(max_length=254, blank=True)
    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, null=True, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["program", "at"], name="securityevent_program_at_idx"),
            models.Index(fields=["user", "at"], name="securityevent_user_at_idx"),
            # Password-reset throttling counts recent requests per typed email and per address.
            models.Index(fields=["kind", "email", "at"], name="securityevent_kind_email_idx"),
            models.Index(fields=["kind", "ip", "at"], name="securityevent_kind_ip_idx"),
        ]
        triggers = [
            append_only("securityevent_append_only"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} user={self.user_id} by={self.actor_id}"
