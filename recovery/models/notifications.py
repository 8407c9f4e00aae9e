"""In-app notifications (the bell in the navigation bar) and their email delivery.

A notification is created once per reminder threshold (``dedupe_key``, unique per recipient), so a
rerun or a redelivered sweep never notifies twice. Its email goes out through an outbox: the row's
``email_status`` is claimed by a conditional UPDATE before sending, so two workers never send the same
email. Titles and bodies never carry participant names: counts and a link only. A notification about
one participant keeps their ``client_uuid`` (never a name); the notifications page names them, at render
time, to a recipient who may still see them (``recovery.notify.subject_names``). Emails never do.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        return self.filter(read_at__isnull=True).update(read_at=timezone.now())

    def email_due(self, now=None) -> NotificationQuerySet:
        """Emails waiting to go out (new, retrying after a failure, or left half-sent by a dead worker)."""
        now = now or timezone.now()
        lease_expired = now - timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS)
        return self.filter(
            models.Q(email_status__in=[Notification.Email.PENDING, Notification.Email.FAILED],
                     email_next_attempt_at__lte=now)
            | models.Q(email_status=Notification.Email.SENDING, email_claimed_at__lt=lease_expired)
        )


class Notification(models.Model):
    class Email(models.TextChoices):
        NOT_SENT = "not_sent", _("No email (preference off, inactive user or no address)")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed; will be retried")

    # No index of its own: notification_unread_idx (recipient, read_at) serves every lookup by recipient,
    # and one index fewer to write is one less per notification a sweep creates by the thousand.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  db_index=False)
    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The participant it is about (an id, never a name), named on the page to whoever may see them.
    client_uuid = models.UUIDField(null=True, blank=True)
    # Set when a notification must exist once only (a reminder threshold, a crisis flag): the unique
    # constraint makes a rerun or a redelivered task a no-op.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    email_status = models.CharField(max_length=10, choices=Email, default=Email.NOT_SENT)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["email_status", "email_next_attempt_at"],
                condition=models.Q(email_status__in=["pending", "sending", "failed"]),
                name="notification_email_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice of email per kind of notification. In-app notifications are always on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=40)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} email={'on' if self.email else 'off'}"
