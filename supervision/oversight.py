"""My day for those who oversee (issue 15, point 9; ``recovery.dashboards.MY_DAY_SECTIONS``).

A supervisor sees their team: recent crisis flags, enrolled participants not seen within the program's
``no_contact_days``, and the notes waiting for their review (crisis first). An admin sees the program:
credentials expiring (within the program's ``expiring_window_days``), credentials CE short (the one
definition, ``CredentialQuerySet.with_status``), participants needing assignment, and notification emails
that failed. Each list is one query whatever the numbers (its total as a window count) and links to its full
list; None for a peer.
"""

from __future__ import annotations

from django.db.models import Count, F, Window

from clients.forms.caseload import UNASSIGNED
from clients.models import Client
from clients.models.notes import RECENT_CRISIS_DAYS, SessionNote
from peers.models import Credential, Status
from recovery.audit import log_access
from recovery.compiled import compiled_list, record_key
from recovery.models import AccessLog, Notification
from recovery.scoping import scope_key
from supervision.models import NoteReview

SHOWN = 5


def _listed(key: tuple, build) -> tuple[list, int]:
    """The first SHOWN rows of ``build()`` and the total, in one query, compiled once per ``key``
    (recovery.compiled: the key holds every input of the SQL)."""
    rows = compiled_list(key, lambda: build().annotate(total=Window(Count("pk")))[:SHOWN])
    return rows, rows[0].total if rows else 0


def _key(user, program) -> tuple:
    return (scope_key(user), record_key(program), program.today())


def section(request) -> dict | None:
    membership = request.membership
    if membership.is_admin:
        context = _program(request.user, membership.program)
    elif membership.is_supervisor:
        context = _team(request.user, membership.program)
    else:
        return None
    log_access(request, "supervision.my_day", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return {**context, "is_admin": membership.is_admin, "program": membership.program,
            "today": membership.program.today()}


def _team(user, program) -> dict:
    today, key = program.today(), _key(user, program)
    crises, crises_total = _listed(("oversight.crises", *key), lambda: (
        SessionNote.objects.visible_to(user).recent_crises(program, today)
        .select_related("client", "author").order_by("-session_date", "-ended_at", "-pk")))
    unseen, unseen_total = _listed(("oversight.unseen", *key), lambda: (
        Client.objects.visible_to(user).filter(program=program, status=Client.Status.ACTIVE).exclude(primary_peer=user)
        .with_contact(today).filter(contact_due=True).select_related("primary_peer")
        .order_by(F("contact_since").asc(nulls_first=True), "name_key")))
    reviews, reviews_total = _listed(("oversight.reviews", *key), lambda: (
        NoteReview.objects.visible_to(user).for_reviewer(user).pending().filter(author_membership__program=program)
        .select_related("note__client", "author_membership__user").queue_order()))
    return {"crises": crises, "crises_total": crises_total, "days": RECENT_CRISIS_DAYS,
            "unseen": [(c, (today - c.contact_since).days if c.contact_since else None) for c in unseen],
            "unseen_total": unseen_total, "reviews": reviews, "reviews_total": reviews_total}


def _program(user, program) -> dict:
    today, key = program.today(), _key(user, program)

    def credentials():
        return Credential.objects.visible_to(user).filter(membership__program=program, membership__is_active=True)
    expiring, expiring_total = _listed(("oversight.expiring", *key), lambda: (
        credentials().expiring(today=today).select_related("membership__user", "type").order_by("expires_on", "pk")))
    # The list shows the CE still needed: the status without the training hours (progress=False).
    short, short_total = _listed(("oversight.short", *key), lambda: (
        credentials().open().with_status(today, progress=False).filter(is_ce_short=True)
        .select_related("membership__user", "type").order_by("expires_on", "pk")))
    unassigned, unassigned_total = _listed(("oversight.unassigned", *key), lambda: (
        Client.objects.visible_to(user).filter(program=program).needing_assignment().order_by("created_at", "pk")))
    failed, failed_total = _listed(("oversight.failed", *key), lambda: (
        Notification.objects.filter(program=program, email_status=Notification.Email.FAILED)
        .select_related("recipient").order_by("-email_next_attempt_at", "-pk")))
    return {"expiring": expiring, "expiring_total": expiring_total, "expiring_status": Status.EXPIRING.value,
            "short": short, "short_total": short_total, "short_status": Status.CE_SHORT.value,
            "unassigned": unassigned, "unassigned_total": unassigned_total, "unassigned_value": UNASSIGNED,
            "failed": failed, "failed_total": failed_total}
