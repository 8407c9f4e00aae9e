"""Workflows on participants, their episodes of service and caseload assignments (STYLE.md: ``noun_verb``).

Views check who may do what (``recovery.scoping``); these functions keep the records consistent.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from clients.models import (
    CaseAssignment,
    Client,
    Consent,
    Episode,
    RecoveryPlan,
)
from clients.services.followups import followups_close_for_discharge
from recovery.models import Membership, User
from recovery.scoping import staff_q

INTAKE_REASON = "Enrolled at intake."
NOT_ASSIGNABLE = gettext_noop("This person cannot carry participants in this program for you.")
NOT_ENROLLED = gettext_noop("This participant has no open episode of service.")
ALREADY_ENROLLED = gettext_noop("This participant is already enrolled.")
DISCHARGE_BEFORE_INTAKE = gettext_noop("The discharge date is before the intake date of this episode.")
CARRYING_ROLES = (Membership.Role.PEER, Membership.Role.SUPERVISOR)


def assignable_staff(user, program_id: int):
    """Users ``user`` may give a caseload to: their team's peers (and themselves) or, for an admin, the
    program's peers and supervisors."""
    memberships = Membership.objects.filter(staff_q(user), program_id=program_id, is_active=True,
                                            role__in=CARRYING_ROLES)
    return User.objects.filter(is_active=True, memberships__in=memberships).order_by("full_name")


def assignable_staff_with_caseloads(user, program_id: int):
    """``assignable_staff`` with each one's ``caseload_size`` (participants enrolled now), in the same query:
    whoever chooses who carries someone sees how many each already carries."""
    sizes = (Client.objects.in_use()
             .filter(program_id=program_id, primary_peer_id=OuterRef("pk"), status=Client.Status.ACTIVE)
             .order_by().values("primary_peer_id").annotate(n=Count("pk")).values("n"))
    return assignable_staff(user, program_id).annotate(caseload_size=Coalesce(Subquery(sizes), 0))


def caseload_label(user: User) -> str:
    """"Jo Peer (12 participants)": a choice of who carries someone, with their caseload size."""
    size = user.caseload_size
    return f"{user.full_name} ({size} participant{'' if size == 1 else 's'})"


@transaction.atomic
def client_assign(*, client: Client, peer: User | None, by: User, reason: str) -> Client:
    """Make ``peer`` the participant's primary peer (None: back to "needs assignment").

    The one place that changes ``Client.primary_peer``: it ends the open assignment and starts the
    next, so the history and the denormalised field never disagree.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    if peer is not None and not assignable_staff(by, client.program_id).filter(pk=peer.pk).exists():
        raise ValidationError({"peer": gettext(NOT_ASSIGNABLE)})
    if client.primary_peer_id == (peer.pk if peer else None):
        return client
    now = timezone.now()
    CaseAssignment.objects.filter(client=client, ended_at__isnull=True).update(ended_at=now)
    if peer is not None:
        CaseAssignment.objects.create(client=client, peer=peer, started_at=now, assigned_by=by, reason=reason)
    client.primary_peer = peer
    client.save(update_fields=["primary_peer"])
    return client


@transaction.atomic
def clients_assign(*, clients: list[Client], peer_of: dict[int, User | None], by: User, reason: str) -> int:
    """``client_assign`` for many participants at once (a peer leaving): the same check and history, in a
    fixed number of queries. ``peer_of`` maps each participant's id to their next peer (None, or no entry:
    back to "needs assignment"). Returns how many changed hands."""
    next_peer = {pk: peer.pk if peer else None for pk, peer in peer_of.items()}
    locked = list(Client.objects.select_for_update().filter(pk__in=[c.pk for c in clients]).order_by("pk"))
    for program_id in {c.program_id for c in locked}:
        wanted = {next_peer.get(c.pk) for c in locked if c.program_id == program_id} - {None}
        if wanted - set(assignable_staff(by, program_id).filter(pk__in=wanted).values_list("pk", flat=True)):
            raise ValidationError({"peer": gettext(NOT_ASSIGNABLE)})
    moving = [c for c in locked if c.primary_peer_id != next_peer.get(c.pk)]
    now = timezone.now()
    CaseAssignment.objects.filter(client__in=moving, ended_at__isnull=True).update(ended_at=now)
    CaseAssignment.objects.bulk_create([
        CaseAssignment(client=c, peer_id=next_peer[c.pk], started_at=now, assigned_by=by, reason=reason)
        for c in moving if next_peer.get(c.pk) is not None
    ])
    by_peer: dict[int | None, list[int]] = defaultdict(list)
    for c in moving:
        by_peer[next_peer.get(c.pk)].append(c.pk)
    for peer_id, pks in by_peer.items():
        Client.objects.filter(pk__in=pks).update(primary_peer_id=peer_id)
    return len(moving)


@transaction.atomic
def client_enrol(*, client: Client, program_id: int, by: User, peer: User | None, started_on: datetime.date,
                 referral_source: str, referral_detail: str = "") -> Client:
    """Intake: save the new participant (built by the form), open their first episode, assign them."""
    client.program_id = program_id
    client.created_by = by
    client.status = Client.Status.ACTIVE
    client.set_name_keys()
    client.save()
    Episode.objects.create(client=client, started_on=started_on, referral_source=referral_source,
                           referral_detail=referral_detail, created_by=by)
    if peer is not None:
        client = client_assign(client=client, peer=peer, by=by, reason=INTAKE_REASON)
    return client


def client_update(*, client: Client) -> Client:
    """Save changed participant details (the form changed ``client``); names may have changed."""
    client.set_name_keys()
    client.save()
    return client


@transaction.atomic
def episode_discharge(*, client: Client, by: User, discharged_on: datetime.date, reason: str,
                      note: str = "") -> Episode:
    """Discharge: close the open episode, the current plan, "end of treatment" consents and open follow-ups.

    The one place a discharge happens, so everything that must end with it is ended here.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    episode = client.episodes.filter(discharged_on__isnull=True).first()
    if episode is None:
        raise ValidationError(gettext(NOT_ENROLLED))
    if discharged_on < episode.started_on:
        raise ValidationError({"discharged_on": gettext(DISCHARGE_BEFORE_INTAKE)})
    episode.discharged_on, episode.discharge_reason, episode.discharge_note = discharged_on, reason, note
    episode.discharged_by = by
    episode.save()
    RecoveryPlan.objects.filter(client=client, status=RecoveryPlan.Status.ACTIVE).update(
        status=RecoveryPlan.Status.CLOSED, closed_on=discharged_on)
    Consent.objects.filter(client=client, expiry_event=Consent.ExpiryEvent.END_OF_TREATMENT,
                           expires_on__isnull=True, revoked_on__isnull=True,
                           signed_on__lte=discharged_on).update(expires_on=discharged_on)
    followups_close_for_discharge(client=client, by=by)
    client.status = Client.Status.DISCHARGED
    client.save(update_fields=["status"])
    return episode


@transaction.atomic
def episode_open(*, client: Client, by: User, started_on: datetime.date, referral_source: str,
                 referral_detail: str = "") -> Episode:
    """Re-enrol a discharged participant: a new episode of service."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.episodes.filter(discharged_on__isnull=True).exists():
        raise ValidationError(gettext(ALREADY_ENROLLED))
    last = client.episodes.aggregate(last=Max("discharged_on"))["last"]
    if last is not None and started_on < last:
        raise ValidationError({"started_on": gettext("The last episode ended on %(date)s: start on or after it.")
                               % {"date": f"{last:%Y-%m-%d}"}})
    episode = Episode.objects.create(client=client, started_on=started_on, referral_source=referral_source,
                                     referral_detail=referral_detail, created_by=by)
    client.status = Client.Status.ACTIVE
    client.save(update_fields=["status"])
    return episode
