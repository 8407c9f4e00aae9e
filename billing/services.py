"""Billing workflows (STYLE.md: ``noun_verb``): payers, coverage, authorizations, claim batches, re-reviews."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from billing.models import ClaimBatch, ClaimLine, Coverage, Payer, ReReview, ServiceAuthorization
from billing.review import ReviewRow, review_rows
from clients.models import Client
from recovery.models import Program, User

NOTHING_READY = _("No note of this period is ready to bill.")
OVERLAPS = _("This period overlaps the coverage from %(start)s: end that one first or choose other dates.")


@transaction.atomic
def payer_add(*, payer: Payer, program: Program) -> Payer:
    payer.program = program
    payer.save()
    return payer


@transaction.atomic
def coverage_add(*, coverage: Coverage, client: Client, by: User) -> Coverage:
    """Add a coverage period. An open period that began earlier ends the day before; any other overlap is
    refused (claims name one payer per service date). Earlier periods stay: they are the history."""
    Client.objects.select_for_update(of=("self",)).get(pk=client.pk)
    coverage.client, coverage.created_by = client, by
    open_earlier = Coverage.objects.filter(client=client, ends_on__isnull=True, starts_on__lt=coverage.starts_on)
    for earlier in open_earlier:
        earlier.ends_on = coverage.starts_on - datetime.timedelta(days=1)
        earlier.save(update_fields=["ends_on"])
    last_day = coverage.ends_on or datetime.date.max
    clash = Coverage.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=coverage.starts_on), client=client,
                                    starts_on__lte=last_day).first()
    if clash is not None:
        raise ValidationError(OVERLAPS % {"start": date_format(clash.starts_on, "M j, Y")})
    coverage.save()
    return coverage


@transaction.atomic
def authorization_add(*, authorization: ServiceAuthorization, client: Client, by: User) -> ServiceAuthorization:
    authorization.client, authorization.created_by = client, by
    authorization.save()
    return authorization


def claim_line(row: ReviewRow, batch: ClaimBatch) -> ClaimLine:
    note, coverage = row.note, row.coverage
    return ClaimLine(
        batch=batch, note=note, participant_name=note.client.full_name, birth_date=note.client.birth_date,
        payer_name=coverage.payer.name, payer_code=coverage.payer.payer_code, member_id=coverage.member_id,
        service_date=note.session_date, service_code=note.service_code.code, units=note.units_billable,
        minutes=note.duration_minutes, place=note.get_setting_display() if note.setting else "",
        rendering_provider=note.author.full_name, provider_registration=row.registration,
        supervisor=row.supervisor, authorization_number=row.authorization.number if row.authorization else "")


@transaction.atomic
def batch_create(*, program: Program, start: datetime.date, end: datetime.date, by: User) -> ClaimBatch:
    """Mark every note of the period that is ready to bill as billed, in one final batch.

    Batches of a program take turns (the program row is locked), so a note is billed once; the claim
    lines keep what the claim says as it is now."""
    Program.objects.select_for_update().get(pk=program.pk)
    ready = [row for row in review_rows(program, start, end) if row.ready]
    if not ready:
        raise ValidationError(NOTHING_READY)
    batch = ClaimBatch.objects.create(program=program, period_start=start, period_end=end, billed_by=by)
    ClaimLine.objects.bulk_create([claim_line(row, batch) for row in ready])
    return batch


def rereview_on_addendum(*, addendum) -> None:
    """``clients.note_events.ADDENDUM_ADDED``: an addendum to a billed note flags its claim for a new look."""
    line = ClaimLine.objects.filter(note_id=addendum.note_id).first()
    if line is not None:
        ReReview.objects.create(line=line, addendum=addendum)


@transaction.atomic
def rereview_clear(*, rereview: ReReview, by: User) -> ReReview:
    """Billing looked at the corrected claim (a cleared flag is final)."""
    current = ReReview.objects.select_for_update().get(pk=rereview.pk)
    if current.cleared_at is None:
        current.cleared_at, current.cleared_by = timezone.now(), by
        current.save(update_fields=["cleared_at", "cleared_by"])
    return current
