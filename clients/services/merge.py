"""Two records of one person: an admin merges the duplicate into the record kept, history kept.

The duplicate is set aside as merged (``Client.merged_into``: hidden from every list like a record entered in
error; its page leads to the kept record) and every row about the participant moves to the kept record in the
same transaction. Signed and closed rows move too: their protection triggers let exactly one change through,
the participant column moving to the record the old participant row names in ``merged_into``
(``recovery.db.merge_move``). Nothing else about them changes, so a signature's stored hash still verifies
(``clients.signing`` hashes a moved document with the record it was signed under).

Where the two records would break a "one at a time" rule, the duplicate's row gives way first, as a person
would have it done by hand: its open episode is discharged ("merged"), its open caseload assignment ended,
and the older of two current plans is closed as superseded. Two GPRA interviews of one kind, or both records
discussed in one supervision session (any unique rule with the participant in it) cannot be one person's: the
merge is refused, with the reason.

The change history (pghistory) keeps the merge with who and why on every row written, and both records'
history stays readable: the duplicate's own history rows are left as they were (``NOT_MOVED``).
"""

from __future__ import annotations

import pghistory
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from clients.models import CaseAssignment, Client, DischargeReason, Episode, RecoveryPlan
from clients.note_events import records_merged_publish

MERGED_REASON = "merged"  # the discharge reason of the duplicate's open episode

# Rows that point at a participant but stay with the record they were written about (model labels).
NOT_MOVED = {
    # The change history of each record: both records' histories stay readable as they were written.
    "clients.ClientEvent", "clients.ConsentEvent", "clients.FollowUpEvent", "clients.SessionNoteEvent",
    "clients.RecoveryPlanEvent", "clients.EpisodeEvent", "clients.CaseAssignmentEvent",
    "referrals.ReferralChange", "supervision.SessionParticipantEvent", "outcomes.InterviewEvent",
    "billing.CoverageEvent", "billing.ServiceAuthorizationEvent",
    # An emergency grant is the record of who opened which record, and when: it stays as it happened.
    "recovery.EmergencyAccessGrant",
    # Report summaries: written again from the moved notes (clients.note_events.RECORDS_MERGED).
    "reports.NoteMonth", "reports.ContactMonth",
    # The last contact: the notes' triggers write it again for both records as the notes move.
    "clients.LastContact",
}


def participant_fields() -> list:
    """Every concrete foreign key (or one-to-one) to ``Client`` other than the record's own links."""
    return [field for model in apps.get_models() for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is Client and model is not Client]


def moved_fields() -> list:
    """The participant keys whose rows a merge moves (everything not in ``NOT_MOVED``)."""
    return [field for field in participant_fields() if field.model._meta.label not in NOT_MOVED]


def merge_counts(*clients: Client) -> dict[int, list[tuple[str, int]]]:
    """What each record holds that a merge moves: (the kind of record, how many) for the kinds it has, per
    record id. One query (a count per kind, side by side)."""
    fields = moved_fields()
    annotations = {
        f"n{i}": Coalesce(Subquery(field.model._base_manager.filter(**{field.name: OuterRef("pk")}).order_by()
                                   .values(field.name).annotate(n=Count("pk")).values("n")), 0)
        for i, field in enumerate(fields)}
    rows = Client.objects.filter(pk__in=[c.pk for c in clients]).annotate(**annotations).values("pk", *annotations)
    return {row["pk"]: sorted((_kind(field.model, row[f"n{i}"]), row[f"n{i}"])
                              for i, field in enumerate(fields) if row[f"n{i}"]) for row in rows}


def _kind(model, count: int) -> str:
    """The kind of record as the count needs it: "Session note: 1", "Session notes: 12"."""
    meta = model._meta
    return capfirst(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def _refusals(duplicate: Client, kept: Client) -> list[str]:
    """Rows the two records cannot share: a unique rule with the participant in it (one GPRA interview of each
    kind, one mention per supervision session...) that both records' rows already fill."""
    errors = []
    for field in moved_fields():
        model = field.model
        for constraint in model._meta.constraints:
            fields = list(getattr(constraint, "fields", ()) or ())
            if field.name not in fields or getattr(constraint, "condition", None) is not None:
                continue  # conditional ones (one open episode...) give way in _make_room
            others = [name for name in fields if name != field.name]
            rows = model._base_manager.filter(**{f"{field.name}__in": [duplicate, kept]}).values(*others)
            if rows.annotate(n=Count("pk")).filter(n__gt=1).exists():
                errors.append(gettext("Both records have a “%(kind)s” that one person can have only once: correct "
                                      "one of them first.") % {"kind": model._meta.verbose_name})
    return errors


def _make_room(duplicate: Client, kept: Client, by) -> None:
    """The duplicate's row gives way where the kept record may hold only one at a time."""
    today = duplicate.program.today()
    if kept.episodes.filter(discharged_on__isnull=True).exists():
        # The program's list names the reason (retired: never offered for an ordinary discharge).
        DischargeReason.objects.get_or_create(
            program_id=duplicate.program_id, code=MERGED_REASON,
            defaults={"name": gettext("Merged into another record"), "is_active": False})
        for episode in Episode.objects.filter(client=duplicate, discharged_on__isnull=True):
            episode.discharged_on = max(today, episode.started_on)
            episode.discharge_reason, episode.discharged_by = MERGED_REASON, by
            episode.save(update_fields=["discharged_on", "discharge_reason", "discharged_by"])
    if kept.assignments.filter(ended_at__isnull=True).exists():
        CaseAssignment.objects.filter(client=duplicate, ended_at__isnull=True).update(ended_at=timezone.now())
    current = list(RecoveryPlan.objects.filter(client__in=[duplicate, kept], status=RecoveryPlan.Status.ACTIVE)
                   .order_by("started_on", "pk"))
    for older in current[:-1]:
        older.status, older.closed_on = RecoveryPlan.Status.SUPERSEDED, max(today, older.started_on)
        older.save(update_fields=["status", "closed_on"])


@transaction.atomic
def client_merge(*, duplicate: Client, kept: Client, by, reason: str) -> Client:
    """Merge ``duplicate`` into ``kept`` (two records of one person, one program): returns the kept record."""
    pair = {c.pk: c for c in Client.objects.select_for_update().select_related("program")
            .filter(pk__in=[duplicate.pk, kept.pk]).order_by("pk")}
    duplicate, kept = pair.get(duplicate.pk), pair.get(kept.pk)
    if duplicate is None or kept is None or duplicate.pk == kept.pk:
        raise ValidationError(gettext("Choose another record of the same person."))
    if duplicate.program_id != kept.program_id:
        raise ValidationError(gettext("Only records in the same program can be merged."))
    if duplicate.is_set_aside or kept.is_set_aside:
        raise ValidationError(gettext("A record set aside cannot be merged: restore it first."))
    if not reason.strip():
        raise ValidationError(gettext("Say why these are two records of one person."))
    errors = _refusals(duplicate, kept)
    if errors:
        raise ValidationError(errors)
    with pghistory.context(merge_of=str(duplicate.uuid), merged_into=str(kept.uuid), merge_reason=reason.strip()):
        _make_room(duplicate, kept, by)
        duplicate.set_aside_as, duplicate.merged_into = Client.SetAside.MERGED, kept
        duplicate.set_aside_reason, duplicate.set_aside_at, duplicate.set_aside_by = reason.strip(), timezone.now(), by
        duplicate.save(update_fields=["set_aside_as", "merged_into", "set_aside_reason", "set_aside_at",
                                      "set_aside_by"])
        for field in moved_fields():
            field.model._base_manager.filter(**{field.name: duplicate}).update(**{field.name: kept})
        _carry_state(kept)
    records_merged_publish(kept=kept)  # reports writes its summaries again
    return kept


def _carry_state(kept: Client) -> None:
    """The kept record's enrolment and peer follow its open episode and assignment (one may have moved)."""
    open_assignment = kept.assignments.filter(ended_at__isnull=True).first()
    status = Client.Status.ACTIVE if kept.episodes.filter(discharged_on__isnull=True).exists() \
        else Client.Status.DISCHARGED
    peer_id = open_assignment.peer_id if open_assignment else kept.primary_peer_id
    if (status, peer_id) != (kept.status, kept.primary_peer_id):
        kept.status, kept.primary_peer_id = status, peer_id
        kept.save(update_fields=["status", "primary_peer"])
