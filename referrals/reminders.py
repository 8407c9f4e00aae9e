"""Reminders about referrals (recovery/reminders.py explains sweeps): an open referral with no update for
the program's ``referral_no_update_days`` reminds the participant's primary peer (else whoever made it),
once per quiet spell: a new status starts a new one. Titles never name the participant."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils.translation import gettext as _

from recovery.models import Program
from recovery.notify import Draft
from recovery.reminders import batched
from referrals.models import Referral


def no_update_cutoff(program: Program, today: datetime.date) -> datetime.date:
    """Referrals last updated on this day or before have waited ``referral_no_update_days``."""
    return today - datetime.timedelta(days=program.referral_no_update_days)


def referral_no_update(program: Program, today: datetime.date) -> Iterator[list[Draft]]:
    cutoff = no_update_cutoff(program, today)
    quiet = (Referral.objects.in_use().filter(client__program=program).quiet_since(cutoff + datetime.timedelta(days=1))
             .select_related("client"))
    for rows in batched(quiet):
        yield [
            Draft(recipient_id=r.client.primary_peer_id or r.made_by_id, kind="referral_no_update",
                  program_id=program.pk, url=r.get_absolute_url(),
                  title=_("A referral has had no update for %(days)s days: did they connect?")
                  % {"days": (today - r.status_on).days},
                  dedupe_key=f"referral_no_update:{r.uuid}:{r.status_on}")
            for r in rows
        ]
