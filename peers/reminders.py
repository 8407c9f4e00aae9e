"""Credential reminders (recovery/reminders.py explains how sweeps work)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import ngettext

from peers.models import Credential
from recovery.models import Program
from recovery.notify import Draft
from recovery.reminders import admin_ids, batched, days_text, drafts_for, supervisor_of, uuid_urls


def hours(value) -> str:
    """3 → "3", 1.50 → "1.5"."""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else f"{value:g}"


def hours_of(what: str, value) -> str:
    """"1 CE hour", "1.5 CE hours", "3 ethics hours"."""
    return ngettext("%(n)s %(what)s hour", "%(n)s %(what)s hours", 1 if value == 1 else 2) % {
        "n": hours(value), "what": what}


def threshold_for(days_left: int, thresholds: list[int]) -> int | None:
    """The reminder a credential ``days_left`` from expiry is due for: the smallest threshold not below
    ``days_left``. With 90/60/30/7/0, day 45 is due for the 60-day reminder (sent once), day 30 for
    the 30-day one; a sweep that missed a day still sends the reminder it missed, once."""
    eligible = [t for t in thresholds if t >= days_left]
    return min(eligible) if eligible else None


def _held(program: Program, today: date, horizon: int):
    return (
        Credential.objects.held()
        .filter(membership__program=program, membership__is_active=True, membership__user__is_active=True,
                expires_on__gte=today, expires_on__lte=today + timedelta(days=horizon))
        .select_related("type", "membership__user")
    )


def credential_expiry(program: Program, today: date) -> Iterator[list[Draft]]:
    """90, 60, 30, 7 days before and on the day (program setting): the holder, their supervisor, admins."""
    thresholds = sorted(program.credential_reminder_days)
    if not thresholds:
        return
    admins = admin_ids(program)
    supervisors = supervisor_of(program)
    staff_url = uuid_urls("peers:staff_detail")
    for credentials in batched(_held(program, today, max(thresholds))):
        drafts: list[Draft] = []
        for credential in credentials:
            days_left = (credential.expires_on - today).days
            threshold = threshold_for(days_left, thresholds)
            if threshold is None:
                continue
            holder = credential.membership.user
            url = staff_url(holder.uuid)
            drafts += drafts_for(
                [holder.pk, supervisors.get(holder.pk), *admins],
                kind="credential_expiry", program_id=program.pk, url=url,
                title=f"{holder.full_name}'s {credential.type.abbreviation or credential.type.name} "
                      f"expires {days_text(days_left)}",
                dedupe_key=f"credential_expiry:{credential.uuid}:{credential.expires_on}:{threshold}",
            )
        yield drafts


def ce_short(program: Program, today: date) -> Iterator[list[Draft]]:
    """CE short (``CredentialQuerySet.with_status`` defines it: within the program's CE short window and
    below the requirement): the holder and the admins, once per cycle."""
    admins = admin_ids(program)
    window = program.ce_short_window_days
    staff_url = uuid_urls("peers:staff_detail")
    for credentials in batched(_held(program, today, window).with_status(today).filter(is_ce_short=True)):
        drafts: list[Draft] = []
        for credential in credentials:
            holder = credential.membership.user
            needs = [hours_of("CE", credential.ce_needed)] if credential.ce_needed else []
            if credential.ethics_needed:
                needs.append(hours_of("ethics", credential.ethics_needed))
            credential_name = credential.type.abbreviation or credential.type.name
            drafts += drafts_for(
                [holder.pk, *admins],
                kind="ce_short", program_id=program.pk, url=staff_url(holder.uuid),
                title=f"{holder.full_name} needs {' and '.join(needs)} before "
                      f"{credential_name} renewal on {credential.expires_on:%b %-d}",
                dedupe_key=f"ce_short:{credential.uuid}:{credential.expires_on}",
            )
        yield drafts
