"""Who may see which caseloads: the one answer every participant query is built on.

The rules (PRODUCT.md, "Roles and what each may see"), per program the user belongs to:

* a peer specialist sees their own caseload;
* a supervisor sees their own caseload (if they carry one) and the caseloads of the peers they
  supervise in that program, plus that program's participants who need assignment (no primary peer, or
  one who no longer works there: ``without_active_carrier_q``);
* a program admin sees every participant of the program (each read is logged by the views);
* emergency access (recovery.emergency): someone on the program's emergency-access list who gave a
  reason reads that one participant of that program until the grant ends; it never lets them write;
* nothing of a program the user has no active membership in is visible, whatever the role.

``Reach`` is computed once per user object (one query) and turned into ``Q`` objects by
``participant_q()`` (for participant data) and ``staff_q()`` (for staff records). Models expose these
through ``visible_to(user)`` queryset methods; views never filter by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Self

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from recovery.compiled import ID_STAND_IN, NOW_STAND_IN, compiled_list
from recovery.models import EmergencyAccessGrant, EmergencyAccessMember, Membership

EMPTY = Q(pk__in=[])


@dataclass(frozen=True)
class Reach:
    # Programs whose participants and staff the user sees in full (program admin).
    admin_program_ids: frozenset[int] = frozenset()
    # Programs where the user supervises: they see unassigned participants there too.
    supervisor_program_ids: frozenset[int] = frozenset()
    # (program id, user id) pairs: caseloads and staff records the user may see in each program.
    caseloads: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # (program id, participant id, until): participants opened by emergency access, read-only. Each
    # carries its end, so a cached Reach never outlives a grant.
    emergency: frozenset[tuple[int, int, datetime]] = field(default_factory=frozenset)
    # Programs whose billing (payers, coverage, authorizations, claims) the user sees: billing clerks and
    # program admins. A billing clerk sees no clinical record: nothing here widens ``participant_q``.
    billing_program_ids: frozenset[int] = frozenset()

    @property
    def program_ids(self) -> frozenset[int]:
        return self.admin_program_ids | self.supervisor_program_ids | {p for p, _ in self.caseloads}


def reach(user) -> Reach:
    """Which caseloads (and staff records) ``user`` can see. Cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reach()
    cached = getattr(user, "_lantern_reach", None)
    if cached is not None:
        return cached
    # Both queries are built and compiled once per process (recovery.compiled): the user's id and the time
    # are parameters put in on every call, and the queries run on every request.
    rows = compiled_list(("recovery.scoping.reach",), lambda: _memberships(ID_STAND_IN, NOW_STAND_IN),
                         {ID_STAND_IN: user.pk, NOW_STAND_IN: timezone.now()})
    admin_programs: set[int] = set()
    supervisor_programs: set[int] = set()
    caseloads: set[tuple[int, int]] = set()
    emergency: set[tuple[int, int, datetime]] = set()
    billing_programs: set[int] = set()
    for program_id, role, client_ids, untils in rows:
        caseloads.add((program_id, user.pk))  # everyone sees their own caseload / staff record
        emergency.update((program_id, client_id, until) for client_id, until in zip(client_ids, untils, strict=True))
        if role == Membership.Role.ADMIN:
            admin_programs.add(program_id)
            billing_programs.add(program_id)
        elif role == Membership.Role.BILLING:
            billing_programs.add(program_id)
        elif role == Membership.Role.SUPERVISOR:
            supervisor_programs.add(program_id)
    if supervisor_programs:
        programs = tuple(sorted(supervisor_programs))
        caseloads.update(compiled_list(("recovery.scoping.supervisees", programs), lambda: (
            Membership.objects.filter(supervisor_id=ID_STAND_IN, program_id__in=programs, is_active=True)
            .values_list("program_id", "user_id")), {ID_STAND_IN: user.pk}))
    result = Reach(frozenset(admin_programs), frozenset(supervisor_programs), frozenset(caseloads),
                   frozenset(emergency), frozenset(billing_programs))
    user._lantern_reach = result
    return result


def _memberships(user_id: int, now: datetime) -> models.QuerySet:
    """The user's active memberships of active programs, each with the participants the user's unexpired
    emergency grants open there and when each grant ends. A grant counts only while its user is still on
    that program's emergency-access list (an admin taking someone off ends their grants at once)."""
    listed = EmergencyAccessMember.objects.filter(program_id=OuterRef("program_id"), user_id=user_id)
    grants = EmergencyAccessGrant.objects.unexpired(now).filter(
        Exists(listed), user_id=user_id, program_id=OuterRef("program_id")
    ).order_by("pk")
    return Membership.objects.filter(user_id=user_id, is_active=True, program__is_active=True).annotate(
        emergency_clients=ArraySubquery(grants.values("client_id")),
        emergency_until=ArraySubquery(grants.values("expires_at")),
    ).values_list("program_id", "role", "emergency_clients", "emergency_until")


def forget_reach(user) -> None:
    """Drop the cached answer (after memberships change within one request or test)."""
    user.__dict__.pop("_lantern_reach", None)


def _caseload_q(r: Reach, program_field: str, person_field: str) -> Q:
    by_program: dict[int, set[int]] = {}
    for program_id, person_id in r.caseloads:
        by_program.setdefault(program_id, set()).add(person_id)
    q = EMPTY
    for program_id, people in sorted(by_program.items()):
        if program_id in r.admin_program_ids:
            continue  # covered by the program-wide clause below
        q |= Q(**{program_field: program_id, f"{person_field}__in": sorted(people)})
    if r.admin_program_ids:
        q |= Q(**{f"{program_field}__in": sorted(r.admin_program_ids)})
    return q


def in_use_q(prefix: str = "") -> Q:
    """Participants in use: not set aside (a record entered in error). A set-aside record is kept but left
    out of every list, search, count, caseload, My day, reminder and report: ``participant_q`` applies
    this, and so do the sweeps that read a program's participants without a user
    (``ClientQuerySet.carried``)."""
    return Q(**{f"{prefix}set_aside_as": ""})


def participant_q(user, prefix: str = "", *, emergency: bool = True, set_aside: bool = False) -> Q:
    """Filter for participant data, relative to the participant (``prefix`` e.g. ``"client__"``).

    A participant is in a caseload through ``Client.primary_peer`` (kept current by the assignment
    service); participants needing assignment (no primary peer) are seen by the program's supervisors.
    Unexpired emergency grants add their participants (``emergency=False``: the caseloads alone).
    Set-aside records (``in_use_q``) are left out; ``set_aside=True`` lets a program admin reach those of
    their programs (the caseload's "Entered in error" filter and the record's own page), nobody else.
    """
    r = reach(user)
    q = _caseload_q(r, f"{prefix}program_id", f"{prefix}primary_peer_id")
    supervised = sorted(r.supervisor_program_ids - r.admin_program_ids)
    if supervised:
        q |= Q(**{f"{prefix}program_id__in": supervised}) & without_active_carrier_q(prefix)
    if emergency:
        for program_id, client_ids in sorted(emergency_grants(r).items()):
            q |= Q(**{f"{prefix}program_id": program_id, f"{prefix}pk__in": sorted(client_ids)})
    q &= in_use_q(prefix)
    if set_aside and r.admin_program_ids:  # a program admin also reaches its set-aside records
        q |= Q(**{f"{prefix}program_id__in": sorted(r.admin_program_ids)})
    return q


def without_active_carrier_q(prefix: str = "") -> Q:
    """Participants nobody on the program's staff carries now: no primary peer ("needs assignment"), or
    one who no longer works in the participant's program (former staff, a deactivated account).

    The safety net behind the program's supervisors seeing them: a caseload is seen through its peer's
    active membership, so a peer who left must never take their participants out of every supervisor's
    sight, whichever way they were deactivated.
    """
    carried = Membership.objects.filter(
        program_id=OuterRef(f"{prefix}program_id"), user_id=OuterRef(f"{prefix}primary_peer_id"),
        is_active=True, user__is_active=True,
    )
    return Q(**{f"{prefix}primary_peer__isnull": True}) | Q(~Exists(carried))


def scope_key(user) -> tuple:
    """Everything ``participant_q`` and ``staff_q`` read for ``user`` at this moment, as a hashable value:
    the key part of a query compiled once for them (``recovery.compiled``). ``reach`` is read once per
    request, and emergency grants count only while unexpired, so a changed scope is a different key."""
    r = reach(user)
    grants = tuple((program_id, tuple(sorted(ids))) for program_id, ids in sorted(emergency_grants(r).items()))
    return (user.pk, r.admin_program_ids, r.supervisor_program_ids, r.caseloads, r.billing_program_ids, grants)


def emergency_grants(r: Reach) -> dict[int, set[int]]:
    """Participant ids opened by unexpired emergency grants, per program (admins need none there)."""
    now = timezone.now()
    by_program: dict[int, set[int]] = {}
    for program_id, client_id, until in r.emergency:
        if until > now and program_id not in r.admin_program_ids:
            by_program.setdefault(program_id, set()).add(client_id)
    return by_program


def emergency_until(user, client) -> datetime | None:
    """When ``user``'s emergency access to ``client`` ends, or None if they have none now."""
    now = timezone.now()
    ends = [until for program_id, client_id, until in reach(user).emergency
            if client_id == client.pk and program_id == client.program_id and until > now]
    return max(ends, default=None)


def billing_q(user, prefix: str = "") -> Q:
    """Filter for billing records, relative to their program (``prefix`` e.g. ``"client__"``): the programs
    where the user is a billing clerk or a program admin."""
    programs = sorted(reach(user).billing_program_ids)
    return Q(**{f"{prefix}program_id__in": programs}) if programs else EMPTY


def staff_q(user, prefix: str = "") -> Q:
    """Filter for staff records, relative to a ``Membership`` (``prefix`` e.g. ``"membership__"``)."""
    return _caseload_q(reach(user), f"{prefix}program_id", f"{prefix}user_id")


def can_edit_participant(user, client) -> bool:
    """Only the peer who carries the participant writes their record; supervisors and admins read."""
    return bool(user.is_authenticated and client.primary_peer_id == user.pk
                and (client.program_id, user.pk) in reach(user).caseloads)


def ensure_can_edit_participant(user, client) -> None:
    """Raise 403 for a role that may read this (already scoped) participant but not write it."""
    if not can_edit_participant(user, client):
        raise PermissionDenied("You can read this participant's record but not change it.")


def role_in(user, program_id: int) -> str | None:
    """The user's role in a program, or None."""
    for membership in user.active_memberships:
        if membership.program_id == program_id:
            return membership.role
    return None


def ensure_role(user, program_id: int, *roles: str) -> None:
    """Raise 403 unless the user holds one of ``roles`` in the program."""
    if role_in(user, program_id) not in roles:
        raise PermissionDenied("Your role in this program does not allow this.")


class ParticipantRecordQuerySet(models.QuerySet):
    """Rows about one participant, seen by whoever may see that participant (``participant_q``).

    ``participant_path`` leads from the row to its participant (``"client__"``, ``"plan__client__"``...;
    empty for the participant itself).
    """

    participant_path = "client__"

    def visible_to(self, user, *, set_aside: bool = False) -> Self:
        return self.filter(participant_q(user, prefix=self.participant_path, set_aside=set_aside))

    def in_use(self) -> Self:
        """Rows of participants not set aside (``in_use_q``): for the sweeps that have no user."""
        return self.filter(in_use_q(self.participant_path))
