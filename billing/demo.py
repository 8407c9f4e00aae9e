"""Demo billing (``recovery.demo.SEEDERS``): payers, coverage for the demo caseload (a few with a change of
payer, a few without coverage), service authorizations (some nearly used up, one outside its 30 days)
and last-but-one month billed. Idempotent: skipped once the program has payers."""

from __future__ import annotations

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Sum

from billing.models import ClaimBatch, Coverage, Payer, ServiceAuthorization
from billing.services import batch_create
from clients.models import Client, SessionNote
from recovery.demo import DemoContext

PAYERS = [
    # name, kind, payer ID, requires authorization
    ("Virginia Medicaid (fictional)", Payer.Kind.MEDICAID, "VAMCD", True),
    ("Blue Ridge Health Plan (fictional)", Payer.Kind.MANAGED_CARE, "BRHP1", True),
    ("State Opioid Response grant (fictional)", Payer.Kind.GRANT, "", False),
    ("Self-pay", Payer.Kind.SELF_PAY, "", False),
]
AUTHORIZATION_DAYS = 180


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    program = ctx.program
    if Payer.objects.filter(program=program).exists():
        return
    payers = [Payer.objects.create(program=program, name=name, kind=kind, payer_code=code,
                                   requires_authorization=needs) for name, kind, code, needs in PAYERS]
    medicaid, plan, grant, _self_pay = payers
    today = program.today()
    clerk = ctx.billing
    clients = list(Client.objects.filter(program=program).order_by("name_key", "pk"))
    for index, client in enumerate(clients):
        if index % 10 == 9:
            continue  # no coverage on file: the review says so
        since = today.replace(month=1, day=1) - datetime.timedelta(days=365)
        if index % 5 == 0:
            Coverage.objects.create(client=client, payer=grant, starts_on=since, created_by=clerk)
            continue
        payer = medicaid if index % 2 == 0 else plan
        if index % 7 == 3:  # changed payer last spring: the earlier period is the history
            switch = today - datetime.timedelta(days=200)
            Coverage.objects.create(client=client, payer=plan if payer == medicaid else medicaid,
                                    member_id=f"OLD{index:05d}", starts_on=since,
                                    ends_on=switch - datetime.timedelta(days=1), created_by=clerk)
            since = switch
        Coverage.objects.create(client=client, payer=payer, member_id=f"{payer.payer_code}{100200 + index * 37}",
                                starts_on=since, created_by=clerk)
        _authorize(client, payer, index, today, clerk)
    _bill_a_month(ctx, today)


def _authorize(client, payer, index, today, clerk) -> None:
    """One authorization per code the participant's notes use, around today; some nearly used up."""
    starts = today - datetime.timedelta(days=AUTHORIZATION_DAYS // 2)
    ends = starts + datetime.timedelta(days=AUTHORIZATION_DAYS)
    usage = (SessionNote.objects.signed().filter(client=client, service_code__billable=True,
                                                  session_date__gte=starts, session_date__lte=ends)
             .values("service_code_id").annotate(used=Sum("units_billable"), first=Min("session_date")))
    for number, row in enumerate(usage, start=1):
        first = row["first"]
        late = index % 11 == 4  # recommended long before services began: the 30-day rule flags it
        recommended = min(first, starts) - datetime.timedelta(days=45 if late else 7)
        left = 3 if index % 4 == 1 else 40  # a few nearly used up
        ServiceAuthorization.objects.create(
            client=client, payer=payer, service_code_id=row["service_code_id"],
            number=f"SA-{today:%y}-{index:03d}{number}", units_authorized=(row["used"] or 0) + left,
            starts_on=starts, ends_on=ends, recommended_on=recommended, created_by=clerk)


def _bill_a_month(ctx, today) -> None:
    """The month before last, billed by the clerk (what is ready of it)."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = (end.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    if not ClaimBatch.objects.filter(program=ctx.program).exists():
        with contextlib.suppress(ValidationError):  # nothing of that month ready: the demo has no batch
            batch_create(program=ctx.program, start=start, end=end, by=ctx.billing)
