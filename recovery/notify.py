"""Sending notifications: in-app always, email by the recipient's preference, each exactly once.

Sweeps and views call ``notification_send`` (one) or ``notifications_send`` (a batch, a fixed number
of queries whatever its size). Both create the in-app rows at most once per (recipient, dedupe_key) and
mark the email "pending"; ``deliver_due_emails`` (a Celery task run after each commit and every minute by
beat) claims pending emails with a conditional UPDATE and sends them, so a rerun, a redelivered task or
two workers at once never send the same email twice.

Texts must never name a participant: say what and how many, and link to the page that shows who.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from recovery.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Every kind of notification, with the label users see on their preferences page.
KINDS: dict[str, str] = {
    "credential_expiry": "Credential renewals coming up",
    "ce_short": "Continuing-education hours short before renewal",
    "followup_due": "Follow-ups due and overdue",
    "no_contact": "Participants without contact",
    "draft_notes": "Session notes left unsigned",
    "consent_expiring": "Consents about to expire",
    "plan_review": "Recovery plan reviews due",
    "supervision_overdue": "Supervision overdue",
    "weekly_digest": "Weekly team digest (supervisors)",
    "crisis_flag": "Crisis flags on your team's notes",
    "note_review": "Note reviews (returned or awaiting)",
    "account_security": "Account security (two-factor resets)",
    "emergency_access": "Emergency access to a participant's record (program admins)",
}

MAX_QUICK_RETRIES = 5
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Draft:
    """A notification to send: what the sweeps produce."""

    recipient_id: int
    kind: str
    title: str
    dedupe_key: str = ""
    body: str = ""
    url: str = ""
    program_id: int | None = None


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failures: 30 s, 1, 2, 4, 8 min … up to an hour."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _email_statuses(drafts: list[Draft]) -> dict[tuple[int, str], str]:
    """Per (recipient, kind): PENDING when an email should go out, NOT_SENT otherwise. Two queries."""
    from recovery.models import User

    recipient_ids = {d.recipient_id for d in drafts}
    reachable = set(
        User.objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="").values_list("pk", flat=True)
    )
    opted_out = set(
        NotificationPreference.objects.filter(user_id__in=recipient_ids, email=False).values_list("user_id", "kind")
    )
    return {
        (d.recipient_id, d.kind): Notification.Email.PENDING
        if d.recipient_id in reachable and (d.recipient_id, d.kind) not in opted_out
        else Notification.Email.NOT_SENT
        for d in drafts
    }


@transaction.atomic
def notifications_send(drafts: list[Draft]) -> int:
    """Create the in-app notifications of ``drafts`` that do not exist yet; queue their emails.

    Returns how many were new. Existing (recipient, dedupe_key) pairs are skipped by the database's
    unique constraint, so concurrent sweeps cannot both create one.
    """
    if not drafts:
        return 0
    now = timezone.now()
    keyed = [d for d in drafts if d.dedupe_key]
    existing = set(
        Notification.objects.filter(
            recipient_id__in={d.recipient_id for d in keyed}, dedupe_key__in={d.dedupe_key for d in keyed}
        ).values_list("recipient_id", "dedupe_key")
    ) if keyed else set()
    fresh = [d for d in drafts if (d.recipient_id, d.dedupe_key) not in existing]
    if not fresh:
        return 0
    statuses = _email_statuses(fresh)
    rows = [
        Notification(
            recipient_id=d.recipient_id, program_id=d.program_id, kind=d.kind, title=d.title[:200], body=d.body,
            url=d.url, dedupe_key=d.dedupe_key, created_at=now,
            email_status=statuses[(d.recipient_id, d.kind)], email_next_attempt_at=now,
        )
        for d in fresh
    ]
    # A concurrent sweep may have inserted some of these since the check above: the unique constraint
    # turns those inserts into no-ops instead of duplicates.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if any(s == Notification.Email.PENDING for s in statuses.values()):
        from recovery.tasks import deliver_due_emails

        deliver_due_emails.delay_on_commit()
    return len(fresh)


def notification_send(
    *, recipient, kind: str, title: str, body: str = "", url: str = "", program=None, dedupe_key: str = ""
) -> Notification:
    """Send one notification now (for example a crisis flag); returns it, new or already sent."""
    draft = Draft(recipient_id=recipient.pk, kind=kind, title=title, body=body, url=url,
                  program_id=getattr(program, "pk", program), dedupe_key=dedupe_key)
    notifications_send([draft])
    qs = Notification.objects.filter(recipient_id=recipient.pk)
    return qs.get(dedupe_key=dedupe_key) if dedupe_key else qs.latest("created_at", "id")


def claim_due_emails(limit: int = 50) -> list[Notification]:
    """Take up to ``limit`` due emails for this worker: rows locked by another worker are skipped."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.email_due(now)
            .select_for_update(skip_locked=True)
            .order_by("email_next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(email_status=Notification.Email.SENDING, email_claimed_at=now)
    return list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("id"))


def email_deliver(notifications: list[Notification]) -> bool:
    """Send one claimed email for ``notifications`` (all of one recipient). True when sent.

    On failure every one of them is marked failed with the next try scheduled; the in-app rows stay.
    """
    ids = [n.pk for n in notifications]
    try:
        _message(notifications).send()
    except Exception as exc:  # SMTP and network errors of every kind are retried
        attempts = max(n.email_attempts for n in notifications) + 1
        Notification.objects.filter(pk__in=ids, email_status=Notification.Email.SENDING).update(
            email_status=Notification.Email.FAILED,
            email_attempts=attempts,
            email_next_attempt_at=timezone.now() + backoff(attempts),
            email_error=f"{type(exc).__name__}: {str(exc)[:150]}",
        )
        logger.warning("email to user %s failed (attempt %s): %s", notifications[0].recipient_id, attempts,
                       type(exc).__name__)
        return False
    Notification.objects.filter(pk__in=ids).update(
        email_status=Notification.Email.SENT, email_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1,
        email_error="",
    )
    return True


def by_recipient(notifications: list[Notification]) -> list[list[Notification]]:
    groups: dict[int, list[Notification]] = {}
    for notification in notifications:
        groups.setdefault(notification.recipient_id, []).append(notification)
    return list(groups.values())


def _message(notifications: list[Notification]) -> EmailMultiAlternatives:
    """One email per recipient and delivery run: what kinds of news, how many, and a link. The titles
    are included (they never name a participant); bodies and per-record links stay in the app."""
    counts: dict[str, int] = {}
    for notification in notifications:
        label = KINDS.get(notification.kind, "Other")
        counts[label] = counts.get(label, 0) + 1
    first = notifications[0]
    subject = first.title if len(notifications) == 1 else f"{len(notifications)} new notifications"
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


def failed_emails(program_ids) -> Q:
    """Filter for the emails that keep failing, for the admins' delivery-problems list."""
    return Q(email_status=Notification.Email.FAILED, email_attempts__gte=MAX_QUICK_RETRIES, program_id__in=program_ids)


def email_preferences(user) -> dict[str, bool]:
    """Email on/off per kind for ``user`` (on unless they turned it off)."""
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in KINDS}


def notification_preferences_save(*, user, email_by_kind: dict[str, bool]) -> None:
    rows = [NotificationPreference(user=user, kind=kind, email=bool(email_by_kind.get(kind)))
            for kind in KINDS]
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["email"]
    )
