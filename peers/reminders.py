"""Credential reminders (recovery/reminders.py explains how sweeps work)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache, partial

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext

from peers.models import Credential
from recovery.models import Program
from recovery.notify import Draft
from recovery.reminders import admin_ids, batched, days_text, drafts_for, supervisor_of, uuid_urls


def hours(value) -> str:
    """3 → "3", 1.50 → "1.5"."""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else f"{value:g}"


def ce_hours_of(value) -> str:
    """"1 CE hour", "1.5 CE hours"."""
    return ngettext("%(n)s CE hour", "%(n)s CE hours", 1 if value == 1 else 2) % {"n": hours(value)}


def ethics_hours_of(value) -> str:
    """"1 ethics hour", "3 ethics hours"."""
    return ngettext("%(n)s ethics hour", "%(n)s ethics hours", 1 if value == 1 else 2) % {"n": hours(value)}


# Titles are deferred (``partial``: a function of no arguments, far cheaper per row than ``lazy``): each is
# written in its recipient's language when it is stored (recovery.notify).
def _expiry_title(name: str, credential: str, days_left: int) -> str:
    return gettext("%(name)s's %(credential)s expires %(when)s") % {
        "name": name, "credential": credential, "when": days_text(days_left)}


def _ce_short_title(name: str, ce_needed, ethics_needed, credential: str, expires_on: date) -> str:
    needs = [ce_hours_of(ce_needed)] if ce_needed else []
    if ethics_needed:
        needs.append(ethics_hours_of(ethics_needed))
    return gettext("%(name)s needs %(hours)s before %(credential)s renewal on %(date)s") % {
        "name": name, "hours": gettext(" and ").join(needs), "credential": credential,
        "date": _month_day(get_language(), expires_on)}


@lru_cache(maxsize=1024)
def _month_day(language: str, day: date) -> str:
    """``date_format(day, "M j")`` in ``language`` (the active one): a sweep writes the same few dates
    thousands of times."""
    return date_format(day, "M j")


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
    )


# What a reminder says and where it leads, as tuples (thousands of rows: no model instances).
_FIELDS = ("uuid", "expires_on", "membership__user_id", "membership__user__uuid", "membership__user__full_name",
           "type__abbreviation", "type__name")


def credential_expiry(program: Program, today: date) -> Iterator[list[Draft]]:
    """90, 60, 30, 7 days before and on the day (program setting): the holder, their supervisor, admins."""
    thresholds = sorted(program.credential_reminder_days)
    if not thresholds:
        return
    admins = admin_ids(program)
    supervisors = supervisor_of(program)
    staff_url = uuid_urls("peers:staff_detail")
    for credentials in batched(_held(program, today, max(thresholds)).values_list(*_FIELDS, named=True)):
        drafts: list[Draft] = []
        for credential in credentials:
            days_left = (credential.expires_on - today).days
            threshold = threshold_for(days_left, thresholds)
            if threshold is None:
                continue
            holder_id = credential.membership__user_id
            drafts += drafts_for(
                [holder_id, supervisors.get(holder_id), *admins],
                kind="credential_expiry", program_id=program.pk, url=staff_url(credential.membership__user__uuid),
                title=partial(_expiry_title, credential.membership__user__full_name,
                              credential.type__abbreviation or credential.type__name, days_left),
                dedupe_key=f"credential_expiry:{credential.uuid}:{credential.expires_on}:{threshold}",
            )
        yield drafts


def ce_short(program: Program, today: date) -> Iterator[list[Draft]]:
    """CE short (``CredentialQuerySet.with_status`` defines it: within the program's CE short window and
    below the requirement): the holder and the admins, once per cycle."""
    admins = admin_ids(program)
    window = program.ce_short_window_days
    staff_url = uuid_urls("peers:staff_detail")
    short = (_held(program, today, window).with_status(today).filter(is_ce_short=True)
             .values_list(*_FIELDS, "ce_needed", "ethics_needed", named=True))
    for credentials in batched(short):
        drafts: list[Draft] = []
        for credential in credentials:
            drafts += drafts_for(
                [credential.membership__user_id, *admins],
                kind="ce_short", program_id=program.pk, url=staff_url(credential.membership__user__uuid),
                title=partial(_ce_short_title, credential.membership__user__full_name, credential.ce_needed,
                              credential.ethics_needed, credential.type__abbreviation or credential.type__name,
                              credential.expires_on),
                dedupe_key=f"ce_short:{credential.uuid}:{credential.expires_on}",
            )
        yield drafts
