"""Querysets the supervision app's forms and views choose from (kept out of the forms: STYLE.md layout)."""

from __future__ import annotations

from recovery.models import Membership
from recovery.scoping import staff_q


def supervisee_choices(user, program_id: int):
    """Active staff of the program the user may see (their supervisees; an admin: everyone), not themselves."""
    return (Membership.objects.filter(staff_q(user), program_id=program_id, is_active=True)
            .exclude(user=user).select_related("user").order_by("user__full_name"))
