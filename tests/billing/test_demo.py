"""Demo billing: payers, coverage for the demo caseload, authorizations (some nearly used up), a billing
clerk; seeding twice changes nothing."""

from __future__ import annotations

from billing.authorizations import usage_under
from billing.models import ClaimBatch, Coverage, Payer, ServiceAuthorization
from billing.review import review_rows
from clients.models import Client
from recovery import demo
from recovery.models import Membership
from tests.factories import dimensions


def test_seed_demo_adds_billing_for_the_caseload(db):
    dimensions()
    ctx = demo.seed()
    program = ctx.program
    assert Membership.objects.get(user=ctx.billing, program=program).role == Membership.Role.BILLING
    assert Payer.objects.filter(program=program).count() == 4
    participants = Client.objects.filter(program=program).count()
    covered = Coverage.objects.filter(client__program=program).values("client").distinct().count()
    assert participants - 5 <= covered < participants  # a few without coverage on file
    assert Coverage.objects.filter(client__program=program, ends_on__isnull=False).exists()  # a change of payer
    authorizations = list(ServiceAuthorization.objects.filter(client__program=program))
    assert len(authorizations) >= 10
    left = [a.units_authorized - usage_under(a)[0] for a in authorizations]
    assert sum(1 for n in left if n <= 5) >= 3  # nearly used up
    assert ClaimBatch.objects.filter(program=program).count() == 1
    today = program.today()
    rows = review_rows(program, today.replace(day=1), today)
    assert any(row.ready for row in rows) or not rows
    counts = (Payer.objects.count(), Coverage.objects.count(), ServiceAuthorization.objects.count(),
              ClaimBatch.objects.count())
    demo.seed()
    assert (Payer.objects.count(), Coverage.objects.count(), ServiceAuthorization.objects.count(),
            ClaimBatch.objects.count()) == counts
