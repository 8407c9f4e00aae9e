"""Email delivery of notifications: every kind there is, the outbox claim, one email per recipient.

``recovery.notify`` creates the notifications and marks their emails pending; the Celery task
``recovery.tasks.deliver_due_emails`` calls ``emails_deliver_due`` here, which claims pending emails with
a conditional UPDATE and sends them, so a rerun, a redelivered task or two workers at once never send
the same email twice. This module imports neither ``recovery.notify`` nor ``recovery.tasks``:
notify → tasks → notify_email is the one direction (no import cycle).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from recovery.i18n import in_language_of, localized
from recovery.models import Notification, User

logger = logging.getLogger(__name__)

# Every kind of notification, with the label users see on their preferences page.
KINDS: dict[str, str | Promise] = {
    "credential_expiry": _("Credential renewals coming up"),
    "ce_short": _("Continuing-education hours short before renewal"),
    "followup_due": _("Follow-ups due and overdue"),
    "no_contact": _("Participants without contact"),
    "draft_notes": _("Session notes left unsigned"),
    "consent_expiring": _("Consents about to expire"),
    "plan_review": _("Recovery plan reviews due"),
    "supervision_overdue": _("Supervision overdue"),
    "weekly_digest": _("Weekly team digest (supervisors)"),
    "crisis_flag": _("Crisis flags on your team's notes"),
    "note_review": _("Note reviews (returned or awaiting)"),
    "account_security": _("Account security (two-factor resets)"),
    "staff_role": _("Changes to your role, supervisor or access"),
    "emergency_access": _("Emergency access to a participant's record (program admins)"),
}

MAX_QUICK_RETRIES = 5
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failures: 30 s, 1, 2, 4, 8 min … up to an hour."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_due_emails(limit: int = 50) -> list[Notification]:
    """Take the due emails of ONE recipient (the one who has waited longest), up to ``limit``, for this
    worker, just before they are sent: a recipient another worker is claiming is skipped.

    One recipient's emails go out as one email, so a claim covers exactly one send: the lease
    (``NOTIFICATION_EMAIL_LEASE_SECONDS``) only has to outlast one SMTP exchange (its timeout is 20 s), not
    a whole delivery run. A run that claimed many recipients at once and sent them one after the other
    could see its later claims expire, another worker take them, and the same email go out twice."""
    now = timezone.now()
    due = Notification.objects.email_due(now)
    with transaction.atomic():
        # The recipient is claimed as a whole (their user row, locked with SKIP LOCKED for this short
        # transaction): two workers never split one person's due emails into two emails.
        waiting_since = due.filter(recipient_id=OuterRef("pk")).order_by("email_next_attempt_at").values(
            "email_next_attempt_at")[:1]
        recipient_id = (
            User.objects.filter(pk__in=due.values("recipient_id")).annotate(waiting_since=Subquery(waiting_since))
            .order_by("waiting_since", "pk").select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True).first()
        )
        if recipient_id is None:
            return []
        ids = list(due.filter(recipient_id=recipient_id).order_by("email_next_attempt_at", "id")
                   .values_list("pk", flat=True)[:limit])
        Notification.objects.filter(pk__in=ids).update(email_status=Notification.Email.SENDING, email_claimed_at=now)
    return list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("id"))


def email_deliver(notifications: list[Notification]) -> bool:
    """Send one claimed email for ``notifications`` (all of one recipient, claimed together). True when sent.

    On failure every one of them is marked failed with the next try scheduled; the in-app rows stay. The
    outcome is written only to the rows this claim still holds (same ``email_claimed_at``).

    The send is recorded the moment the mail server accepts the message, before the connection is closed:
    what is left between "accepted" and "recorded" is one UPDATE (about a millisecond), the one window no
    SMTP client can close (the protocol has no two-phase commit). A worker killed anywhere else (while
    connecting, while the server reads the message, while it says goodbye) either sent nothing, and the
    claim's lease lets another worker send it, or has already recorded it."""
    ids = [n.pk for n in notifications]
    ours = Notification.objects.filter(pk__in=ids, email_status=Notification.Email.SENDING,
                                       email_claimed_at=notifications[0].email_claimed_at)
    connection = mailers.default
    try:
        connection.open()  # opened here, so sending does not close it: QUIT comes after the record
        if not connection.send_messages([_message(notifications)]):
            raise RuntimeError("the mail backend sent nothing")
    except Exception as exc:  # SMTP and network errors of every kind are retried
        _close_quietly(connection)
        attempts = max(n.email_attempts for n in notifications) + 1
        ours.update(
            email_status=Notification.Email.FAILED,
            email_attempts=attempts,
            email_next_attempt_at=timezone.now() + backoff(attempts),
            email_error=f"{type(exc).__name__}: {str(exc)[:150]}",
        )
        logger.warning("email to user %s failed (attempt %s): %s", notifications[0].recipient_id, attempts,
                       type(exc).__name__)
        return False
    ours.update(
        email_status=Notification.Email.SENT, email_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1,
        email_error="",
    )
    _close_quietly(connection)
    return True


def _close_quietly(connection) -> None:
    """Say goodbye to the mail server; a failure here changes nothing about what was sent."""
    try:
        connection.close()
    except Exception as exc:  # the message is already accepted (or already failed): only worth a log line
        logger.info("closing the mail connection failed: %s", type(exc).__name__)


def _message(notifications: list[Notification]) -> EmailMultiAlternatives:
    """One email per recipient and delivery run: what kinds of news, how many, and a link. The titles
    are included (they never name a participant); bodies and per-record links stay in the app. Written
    in the recipient's language."""
    first = notifications[0]
    with in_language_of(first.recipient):
        counts: dict[str, int] = {}
        for notification in notifications:
            label = str(KINDS.get(notification.kind, gettext("Other")))
            counts[label] = counts.get(label, 0) + 1
        count = len(notifications)
        subject = (localized(first.title) if count == 1 else
                   ngettext("%(count)d new notification", "%(count)d new notifications", count) % {"count": count})
        context = {
            "notifications": notifications,
            "counts": sorted(counts.items()),
            "link": f"{settings.SITE_URL}/notifications/?show=unread",
            "preferences": f"{settings.SITE_URL}/notifications/preferences/",
        }
        message = EmailMultiAlternatives(
            subject=f"[Lantern] {subject}",
            body=render_to_string("recovery/email/notification.txt", context),
            to=[first.recipient.email],
        )
        message.attach_alternative(render_to_string("recovery/email/notification.html", context), "text/html")
    return message


def emails_deliver_due(batch: int = 50, max_batches: int = 100) -> int:
    """Send the notification emails that are due, one email per recipient (up to ``batch`` notifications
    in it), at most ``max_batches`` emails per run; each recipient's notifications are claimed right
    before their email is sent, so each is emailed once. Returns the number of emails sent."""
    sent = 0
    for _batch in range(max_batches):
        claimed = claim_due_emails(batch)
        if not claimed:
            break
        sent += email_deliver(claimed)
    return sent
