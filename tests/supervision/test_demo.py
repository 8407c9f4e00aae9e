"""seed_demo's supervision: months of sessions for the demo team; running it twice changes nothing."""

from __future__ import annotations

from peers.models import Credential
from recovery import demo
from supervision.models import ActionItem, Attendance, SupervisionAddendum, SupervisionSession
from tests.factories_clients import dimensions


def counts() -> tuple[int, ...]:
    return (SupervisionSession.objects.count(), Attendance.objects.count(), ActionItem.objects.count(),
            SupervisionAddendum.objects.count())


def test_seed_demo_adds_a_realistic_supervision_history_once(db):
    dimensions()
    ctx = demo.seed()
    sessions = SupervisionSession.objects.filter(program=ctx.program, supervisor=ctx.supervisor)
    assert sessions.filter(kind="group").signed().count() == 2
    assert sessions.filter(signed_at__isnull=True).count() == 1
    assert sessions.filter(held_on__lt=ctx.program.today().replace(day=1)).count() >= 8  # months, not days
    waiting = Attendance.objects.filter(session__signed_at__isnull=False, acknowledged_at__isnull=True)
    assert list(waiting.values_list("membership__user__email", flat=True)) == ["peer@demo.example"]
    items = ActionItem.objects.filter(session__program=ctx.program)
    assert items.filter(done_at__isnull=False).exists()
    assert items.filter(done_at__isnull=True, due_on__lt=ctx.program.today()).exists()
    assert SupervisionAddendum.objects.count() == 1
    before = counts()
    demo.seed()
    assert counts() == before


def test_the_demo_trainee_nearly_there_stays_short_of_25_supervision_hours(db):
    dimensions()
    ctx = demo.seed()
    alex = Credential.objects.filter(membership__user__email="alex.kim@demo.example").with_status(
        ctx.program.today()).get()
    assert alex.supervision_logged == 23  # 21 logged by hand + two signed group sessions of an hour
    assert 0 < alex.supervision_needed < 25
