"""My day: the user's open referrals with no update for the program's ``referral_no_update_days`` (one
query, its total as a window count)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Window

from clients.my_day import carries_caseload
from recovery.audit import log_access
from recovery.compiled import compiled_list, record_key
from recovery.models import AccessLog
from recovery.scoping import scope_key
from referrals.models import Referral

SHOWN = 15


def section(request) -> dict | None:
    membership = request.membership
    if membership.is_admin:
        return None
    if membership.is_supervisor and not carries_caseload(request):
        return None  # only whoever carries participants makes referrals (asked once per request)
    program = membership.program
    today = program.today()
    since = today - datetime.timedelta(days=program.referral_no_update_days)
    user = request.user
    rows = compiled_list(
        ("referrals.my_day", scope_key(user), record_key(program), today),
        lambda: Referral.objects.visible_to(user).filter(client__program=program)
        .on_desk_of(user).quiet_since(since + datetime.timedelta(days=1))
        .select_related("client").annotate(total=Window(Count("pk"))).order_by("status_on", "pk")[:SHOWN])
    if not rows:
        return None
    log_access(request, "referrals.my_day", action=AccessLog.Action.LIST, program_id=program.pk)
    return {"rows": [(r, (today - r.status_on).days) for r in rows], "total": rows[0].total,
            "days": program.referral_no_update_days}
