"""The access log: every read of a participant's record, kept append-only by PostgreSQL itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recovery.db import append_only


class AccessLog(models.Model):
    """Who read what, when and from where (HIPAA §164.312(b) audit controls).

    Rows are never updated or deleted: a database trigger refuses it, whatever the application does.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        SEARCH = "search", _("Searched")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded a file")
        EMERGENCY = "emergency", _("Emergency access")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    # What was read: an app label and model ("clients.client") and that record's public id.
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    # The participant whose information was read, when there is one (a UUID, so the log outlives
    # any refactoring of the clients app and needs no join to be searched).
    client_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["user", "at"], name="accesslog_user_at_idx"),
            # The audit report: one program's rows, newest first.
            models.Index(fields=["program", "at"], name="accesslog_program_at_idx"),
        ]
        triggers = [
            append_only("accesslog_append_only"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}:{self.object_id}"
