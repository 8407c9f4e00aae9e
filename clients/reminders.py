"""Reminders about participants' consents and plans (recovery/reminders.py explains how sweeps work).

Titles never name the participant; the link leads to the record, where the reader's access is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from clients.models import Client, Consent, RecoveryPlan
from recovery.models import Program
from recovery.notify import Draft
from recovery.reminders import batched, days_text


def consent_expiring(program: Program, today: date) -> Iterator[list[Draft]]:
    """A consent in force that expires within ``program.consent_expiring_days``: the primary peer, once
    per consent and expiry date."""
    horizon = today + timedelta(days=program.consent_expiring_days)
    consents = (
        Consent.objects.in_force_on(today)
        .filter(client__program=program, client__status=Client.Status.ACTIVE, client__primary_peer__isnull=False,
                expires_on__isnull=False, expires_on__lte=horizon)
        .select_related("client")
    )
    for rows in batched(consents):
        yield [
            Draft(
                recipient_id=consent.client.primary_peer_id, kind="consent_expiring", program_id=program.pk,
                title=f"A participant's consent expires {days_text((consent.expires_on - today).days)}",
                url=consent.client.get_absolute_url(),
                dedupe_key=f"consent_expiring:{consent.uuid}:{consent.expires_on}",
            )
            for consent in rows
        ]


def plan_review(program: Program, today: date) -> Iterator[list[Draft]]:
    """An active plan whose review date is within ``program.plan_review_due_days`` (or passed): the
    primary peer, once per plan and review date."""
    horizon = today + timedelta(days=program.plan_review_due_days)
    plans = (
        RecoveryPlan.objects.filter(
            status=RecoveryPlan.Status.ACTIVE, review_on__isnull=False, review_on__lte=horizon,
            client__program=program, client__status=Client.Status.ACTIVE, client__primary_peer__isnull=False,
        ).select_related("client")
    )
    for rows in batched(plans):
        drafts = []
        for plan in rows:
            days = (plan.review_on - today).days
            when = days_text(days) if days >= 0 else f"{-days} days ago"
            drafts.append(Draft(
                recipient_id=plan.client.primary_peer_id, kind="plan_review", program_id=program.pk,
                title=f"A recovery plan review is due {when}", url=plan.client.get_absolute_url(),
                dedupe_key=f"plan_review:{plan.uuid}:{plan.review_on}",
            ))
        yield drafts
