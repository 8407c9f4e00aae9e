"""Where referrals show on the clients app's pages, each a fixed number of queries: the participant page
(``clients.sections.section_add``), and the note, note form, plan and follow-up pages (``clients.extras``)."""

from __future__ import annotations

from django.db.models import Count, Window

from recovery.scoping import can_edit_participant
from referrals.forms import ReferralUpdateForm
from referrals.models import Referral
from referrals.models.referrals import OPEN_STATUSES

OPEN_SHOWN = 20
PAST_SHOWN = 5


def participant(request, client, page) -> dict:
    """Open referrals (oldest update first) and the latest past ones (two queries)."""
    rows = Referral.objects.filter(client=client).select_related("resource", "category")
    still_open = list(rows.filter(status__in=OPEN_STATUSES).annotate(total=Window(Count("pk")))
                      .order_by("status_on", "pk")[:OPEN_SHOWN])
    past = list(rows.exclude(status__in=OPEN_STATUSES).annotate(total=Window(Count("pk")))
                .order_by("-status_on", "-pk")[:PAST_SHOWN])
    quiet_days = client.program.referral_no_update_days
    return {"client": client, "can_edit": page["can_edit"], "today": page["today"],
            "open": [(r, (page["today"] - r.status_on).days) for r in still_open],
            "open_total": still_open[0].total if still_open else 0,
            "past": past, "past_total": past[0].total if past else 0, "quiet_days": quiet_days}


def note_page(request, note, client) -> dict:
    """Referrals made in this contact, and a way to make one (one query)."""
    rows = list(Referral.objects.filter(from_note=note).select_related("category").order_by("pk"))
    return {"note": note, "referrals": rows, "can_edit": can_edit_participant(request.user, client)}


def note_form(request, client=None, note=None) -> dict | None:
    """A link to make a referral (in a new tab, the note keeps what is typed): from the draft being edited,
    else for the participant the note is about."""
    if client is None or not can_edit_participant(request.user, client):
        return None
    return {"client": client, "note": note}


def plan_page(request, plan) -> dict | None:
    """Referrals toward the plan's goals, by goal (one query)."""
    rows = list(Referral.objects.filter(goal__plan=plan).select_related("goal").order_by("goal__position", "-made_on"))
    if not rows:
        return None
    by_goal: dict = {}
    for row in rows:
        by_goal.setdefault(row.goal, []).append(row)
    return {"by_goal": list(by_goal.items())}


def followup_done(request, followup) -> dict | None:
    """A follow-up that checks a referral is completed by recording the referral's new status."""
    referral = Referral.objects.filter(followup=followup).first()
    if referral is None or not referral.next_statuses():
        return None
    today = followup.client.program.today()
    return {"referral": referral, "form": ReferralUpdateForm(referral=referral, today=today)}
