"""Workflows of the peers app, and the billing-eligibility answer other apps rely on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from peers.models import Credential, CredentialType, StaffProfile
from recovery.models import Membership, Program, User


def is_billable(user, program: Program, on_date: date) -> bool:
    """Whether ``user`` may deliver billable services in ``program`` on ``on_date``.

    True when the user's membership in the program holds a credential whose type makes its holder
    billable (e.g. the Virginia Board of Counseling registration, DOMAIN.md) and which is valid on that
    date: issued on or before it, expiring on or after it (valid through the expiry day), and not ended
    on or before it. A CE shortfall does not change this: the credential stays valid until it expires.
    The membership's current active flag is not consulted, so notes dated while the person still
    worked in the program are judged by the credential alone.
    """
    return Credential.objects.billable_on(on_date).filter(
        membership__user=user, membership__program=program
    ).exists()


@transaction.atomic
def credential_end(*, credential: Credential, ended_on: date, reason: str) -> Credential:
    """End a credential (lapsed, replaced, left…). It stays on the staff record, off the board."""
    credential.ended_on = ended_on
    credential.end_reason = reason
    credential.save(update_fields=["ended_on", "end_reason"])
    return credential


@transaction.atomic
def credential_type_adapt(*, program: Program, source: CredentialType, values: dict) -> CredentialType:
    """Give ``program`` its own version of a shared default type, and move its credentials onto it.

    Other programs keep the default unchanged; the program's version takes the default's place in
    this program's lists from now on.
    """
    version = CredentialType.objects.create(program=program, replaces=source, **values)
    Credential.objects.filter(membership__program=program, type=source).update(type=version)
    return version


# What keeps someone from being made former staff by the profile form (a message, or None), filled from the
# ``AppConfig.ready()`` of the apps above: clients refuses while they carry participants, who are handed on
# by its own "Mark as former staff" step instead.
DEACTIVATION_BLOCKERS: list[Callable[[Membership], str | None]] = []


def deactivation_blocker(membership: Membership) -> str | None:
    """Why ``membership`` cannot simply be made inactive now, if anything keeps it."""
    for blocker in DEACTIVATION_BLOCKERS:
        if message := blocker(membership):
            return message
    return None


@transaction.atomic
def staff_profile_save(*, profile: StaffProfile, supervisor: User | None, is_active: bool) -> StaffProfile:
    """Save a staff profile with the membership facts shown on it (supervisor, still working here).

    Someone a ``DEACTIVATION_BLOCKERS`` entry keeps (participants still carried) is not made former staff
    here, so no participant is left where no supervisor sees them.
    """
    membership = profile.membership
    if membership.is_active and not is_active and (message := deactivation_blocker(membership)):
        raise ValidationError({"is_active": message})
    profile.save()
    membership.supervisor = supervisor
    membership.is_active = is_active
    membership.save(update_fields=["supervisor", "is_active"])
    return profile
