"""Workflows of the directory and of referrals (``<noun>_<verb>``, keyword-only, atomic)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client, FollowUp, Goal, SessionNote
from clients.services.followups import followup_complete
from recovery.models import User
from referrals.models import Category, Referral, ReferralEvent, Resource
from referrals.models.referrals import Status

STATUS_NOT_ALLOWED = gettext_lazy("A referral that is %(current)s cannot become %(new)s.")
STATUS_BEFORE_LAST = gettext_lazy("This date is before the referral's last change (%(day)s).")
NEEDS_REASON = gettext_lazy("Say why the referral was not completed.")


# --- The directory -----------------------------------------------------------------------------------

@transaction.atomic
def resource_save(*, resource: Resource, categories, shared_with=None, by: User) -> Resource:
    """Save an entry built by its form, with its categories (and the programs it is shared with)."""
    categories = list(categories)
    if resource.pk is None:
        resource.created_by = by
    resource.set_search_text([c.name for c in categories])
    resource.save()
    resource.categories.set(categories)
    if shared_with is not None:
        resource.shared_with.set([p for p in shared_with if p.pk != resource.program_id])
    return resource


def resource_verify(*, resource: Resource, by: User, on: datetime.date) -> Resource:
    """Someone checked the entry is still right (called, visited, read their site)."""
    resource.verified_on, resource.verified_by = on, by
    resource.save(update_fields=["verified_on", "verified_by"])
    return resource


def resources_refresh_search(*, category: Category) -> int:
    """A category was renamed: its entries' search words follow."""
    count = 0
    for resource in Resource.objects.filter(categories=category).prefetch_related("categories"):
        resource.set_search_text([c.name for c in resource.categories.all()])
        resource.save(update_fields=["search_text"])
        count += 1
    return count


# --- Referrals ---------------------------------------------------------------------------------------

def followup_purpose(client: Client, organisation: str) -> str:
    return (_("Check whether %(name)s connected with %(organisation)s")
            % {"name": client.display_name, "organisation": organisation})[:300]


@transaction.atomic
def referral_make(*, client: Client, by: User, organisation: str, reason: str, made_on: datetime.date,
                  followup_on: datetime.date, resource: Resource | None = None, category: Category | None = None,
                  goal: Goal | None = None, method: str = Referral.Method.INFORMATION,
                  shares_information: bool = False, consent=None, from_note: SessionNote | None = None) -> Referral:
    """Make a referral (status "made") and its follow-up: did they connect? Runs once per form submit
    (the view goes through recovery.http.create_page). The consent was checked by the form; the
    database refuses a referral that shares information without one."""
    referral = Referral.objects.create(
        client=client, resource=resource, organisation=organisation, category=category, reason=reason, goal=goal,
        method=method, shares_information=shares_information, consent=consent if shares_information else None,
        status=Status.MADE, made_on=made_on, status_on=made_on, from_note=from_note, made_by=by)
    ReferralEvent.objects.create(referral=referral, status=Status.MADE, on=made_on, by=by)
    referral.followup = FollowUp.objects.create(
        client=client, due_on=followup_on, assignee=client.primary_peer or by,
        purpose=followup_purpose(client, organisation), created_by=by)
    referral.save(update_fields=["followup"])
    return referral


@transaction.atomic
def referral_update(*, referral: Referral, by: User, status: str, on: datetime.date, reason: str = "",
                    note: str = "") -> Referral:
    """A new status from ``on``: kept as an event; the referral's follow-up, if still open, is done."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in current.next_statuses():
        raise ValidationError({"status": STATUS_NOT_ALLOWED % {"current": current.status_text.lower(),
                                                               "new": Status(status).label.lower()}})
    if on < current.status_on:
        raise ValidationError({"on": STATUS_BEFORE_LAST % {"day": date_format(current.status_on, "M j, Y")}})
    if status == Status.NOT_COMPLETED and not reason:
        raise ValidationError({"reason": NEEDS_REASON})
    reason = reason if status == Status.NOT_COMPLETED else ""
    ReferralEvent.objects.create(referral=current, status=status, not_completed_reason=reason, on=on, note=note,
                                 by=by)
    current.status, current.not_completed_reason, current.status_on = status, reason, on
    current.save(update_fields=["status", "not_completed_reason", "status_on"])
    if current.followup_id is not None:
        followup = FollowUp.objects.get(pk=current.followup_id)
        if followup.is_open:
            followup_complete(followup=followup, by=by)
    return current
