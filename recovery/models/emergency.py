"""Emergency access ("break the glass", 45 CFR 170.315(d)(6)): who may use it, and each use.

A program admin names the staff who may open a participant outside their caseload in an emergency
(``EmergencyAccessMember``). Each use is an ``EmergencyAccessGrant``: one person, one participant of
their program, a reason, and an end a few hours later. ``recovery.scoping`` turns unexpired grants of
current members into read access; nothing else does. Grants are never changed or deleted.
"""

from __future__ import annotations

from datetime import timedelta

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.db import UuidModel, append_only, before_insert
from recovery.tracking import track

# A grant's length (the page says so) and the longest one the database accepts.
GRANT_DURATION = timedelta(hours=4)
GRANT_MAX_DURATION = timedelta(hours=12)
# A reason says what the emergency is: a few words at least ("crisis call" is not enough to audit).
REASON_MIN_LENGTH = 20
REASON_MAX_LENGTH = 300


@track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class EmergencyAccessMember(models.Model):
    """A staff member the program's admins allow to use emergency access in that program."""

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="emergency_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "user__full_name"]
        verbose_name = _("emergency access member")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="emergency_member_once_per_program"),
        ]

    def __str__(self) -> str:
        return f"{self.user} may use emergency access in {self.program}"


class EmergencyAccessGrantQuerySet(models.QuerySet):
    def unexpired(self, now=None) -> EmergencyAccessGrantQuerySet:
        return self.filter(expires_at__gt=now or timezone.now())


class EmergencyAccessGrant(UuidModel):
    """One use of emergency access: who opened which participant, why, from when until when.

    The database checks what the service checks (same program, a member of the program's list, a
    reason, a bounded length) and refuses updates and deletions, like the access log.
    """

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("participant"))
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = EmergencyAccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("emergency access grant")
        constraints = [
            models.CheckConstraint(condition=GreaterThanOrEqual(Length("reason"), REASON_MIN_LENGTH),
                                   name="emergency_grant_has_a_reason"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("granted_at"))
                & Q(expires_at__lte=F("granted_at") + GRANT_MAX_DURATION),
                name="emergency_grant_is_short",
            ),
        ]
        indexes = [
            # recovery.scoping.reach(): one user's unexpired grants in one program.
            models.Index(fields=["user", "program", "expires_at"], name="emergency_grant_reach_idx"),
            # The admins' page: the program's latest uses.
            models.Index(fields=["program", "granted_at"], name="emergency_grant_program_idx"),
        ]
        triggers = [
            append_only("emergency_grant_append_only"),
            before_insert(
                "emergency_grant_allowed",
                # Table names are fixed by the models' app labels (clients.Client, this module's member).
                func="""
                    IF NOT EXISTS (SELECT 1 FROM clients_client
                                   WHERE id = NEW.client_id AND program_id = NEW.program_id) THEN
                        RAISE EXCEPTION 'emergency access: the participant is not in the grant''s program';
                    END IF;
                    IF NOT EXISTS (SELECT 1 FROM recovery_emergencyaccessmember
                                   WHERE user_id = NEW.user_id AND program_id = NEW.program_id) THEN
                        RAISE EXCEPTION 'emergency access: the user may not use emergency access here';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"Emergency access {self.granted_at:%Y-%m-%d %H:%M} user={self.user_id} client={self.client_id}"

    def is_active(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())

