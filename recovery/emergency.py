"""Emergency access ("break the glass"): who may use it, and using it.

A program admin keeps the list of staff who may open a participant outside their caseload when care
cannot wait (``emergency_members_set``). Such a person finds the participant by exact name and date of
birth, says why, and gets read access to that one record for ``GRANT_DURATION``
(``emergency_access_grant``): the grant is written to the access log with the reason, and the program
admins are told at once. ``recovery.scoping`` is the one place that turns grants into visibility.

Notifications name the staff member, never the participant (PRODUCT.md): the link opens the audit
report filtered on that use, which shows the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from recovery.audit import log_access
from recovery.models import AccessLog, EmergencyAccessGrant, EmergencyAccessMember, Membership, Program, User
from recovery.models.emergency import GRANT_DURATION, REASON_MIN_LENGTH
from recovery.notify import Draft, notifications_send
from recovery.scoping import forget_reach, role_in

NOTIFICATION_KIND = "emergency_access"
NOT_ON_THE_LIST = ("Emergency access is only for the staff your program admin has named. Ask them if you "
                   "need it.")
REASON_TOO_SHORT = (f"Say what the emergency is, in at least {REASON_MIN_LENGTH} characters. The reason is kept "
                    "in the audit log with your name.")
# Who an admin may put on the list: admins read every participant of their program already.
LISTABLE_ROLES = (Membership.Role.PEER, Membership.Role.SUPERVISOR)


def may_use_emergency_access(user, program_id: int | None) -> bool:
    """Is ``user`` on the program's list (and still working there)? One query."""
    if program_id is None or role_in(user, program_id) not in LISTABLE_ROLES:
        return False
    return EmergencyAccessMember.objects.filter(program_id=program_id, user_id=user.pk).exists()


def ensure_may_use_emergency_access(user, program_id: int | None) -> None:
    """403 for anyone not on the program's emergency-access list."""
    if not may_use_emergency_access(user, program_id):
        raise PermissionDenied(NOT_ON_THE_LIST)


def reason_check(reason: str) -> str:
    """The reason, trimmed; a ValidationError when it is too short to tell an auditor anything."""
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(REASON_TOO_SHORT, code="too_short")
    return reason


def listable_staff(program: Program):
    """The people an admin may put on the program's list: its active peers and supervisors."""
    return User.objects.filter(
        memberships__program=program, memberships__is_active=True, memberships__role__in=LISTABLE_ROLES
    ).order_by("full_name", "pk")


@transaction.atomic
def emergency_members_set(*, program: Program, users: Iterable[User], by: User) -> tuple[int, int]:
    """Make the program's list exactly ``users``; returns (added, removed).

    Taking someone off ends their unexpired grants at once (``recovery.scoping`` only counts grants of
    people on the list). The change history records who changed the list (pghistory).
    """
    wanted = {user.pk for user in users}
    current = set(EmergencyAccessMember.objects.filter(program=program).values_list("user_id", flat=True))
    removed = current - wanted
    if removed:
        EmergencyAccessMember.objects.filter(program=program, user_id__in=removed).delete()
    added = wanted - current
    EmergencyAccessMember.objects.bulk_create(
        [EmergencyAccessMember(program=program, user_id=pk, added_by=by) for pk in sorted(added)],
        ignore_conflicts=True,  # two admins saving at once: the unique constraint keeps one row
    )
    return len(added), len(removed)


@transaction.atomic
def emergency_access_grant(*, request, client, reason: str) -> EmergencyAccessGrant:
    """Open ``client`` to ``request.user`` for GRANT_DURATION; log it with the reason; tell the admins.

    Raises PermissionDenied for anyone not on the list of the participant's program, and
    ValidationError for a missing or too short reason. The database refuses both as well.
    """
    user = request.user
    reason = reason_check(reason)
    ensure_may_use_emergency_access(user, client.program_id)
    now = timezone.now()
    grant = EmergencyAccessGrant.objects.create(
        program_id=client.program_id, user=user, client=client, reason=reason, granted_at=now,
        expires_at=now + GRANT_DURATION,
    )
    log_access(request, client, action=AccessLog.Action.EMERGENCY, client_uuid=client.uuid, reason=reason)
    _tell_admins(grant, client, user)
    forget_reach(user)  # this request's cached answer predates the grant
    return grant


def _tell_admins(grant: EmergencyAccessGrant, client, user: User) -> None:
    admin_ids = (
        Membership.objects.filter(program_id=grant.program_id, role=Membership.Role.ADMIN, is_active=True)
        .exclude(user_id=user.pk).values_list("user_id", flat=True)
    )
    zone = client.program.zone
    until, since = timezone.localtime(grant.expires_at, zone), timezone.localtime(grant.granted_at, zone)
    report = f"{reverse('audit:report')}?" + urlencode({
        "user": str(user.uuid), "action": AccessLog.Action.EMERGENCY, "participant": str(client.uuid),
    })
    def title() -> str:  # written in each admin's language (recovery.i18n)
        return gettext("Emergency access used by %(name)s") % {"name": user.full_name}

    def body() -> str:
        return gettext("%(name)s opened the record of a participant outside their caseload on %(day)s at %(time)s, "
                       "with emergency access that ends at %(until)s. The reason they gave is in the audit "
                       "report.") % {"name": user.full_name, "day": date_format(since, "M j"),
                                     "time": date_format(since, "g:i A"), "until": date_format(until, "g:i A")}

    notifications_send([
        Draft(recipient_id=admin_id, kind=NOTIFICATION_KIND, title=title, body=body, url=report,
              program_id=grant.program_id, dedupe_key=f"emergency:{grant.uuid}")
        for admin_id in admin_ids
    ])


def recent_grants(program: Program, limit: int = 20):
    """The program's latest uses of emergency access, for its admins' page."""
    return (EmergencyAccessGrant.objects.filter(program=program).select_related("user", "client")
            .order_by("-granted_at", "-id")[:limit])
