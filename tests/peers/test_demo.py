"""seed_demo's staff records (their change history: test_history.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from peers.models import ContinuingEducation, Credential, CredentialType, StaffProfile, Status, TraineeHours
from recovery import demo
from recovery.models import Membership

pytestmark = pytest.mark.xdist_group("peers-demo")  # one test process seeds once for the module

PEERS_MODELS = [Credential, ContinuingEducation, TraineeHours, StaffProfile, CredentialType, Membership]


def row_counts():
    return {model.__name__: model.objects.count() for model in PEERS_MODELS}


def test_seed_demo_twice_duplicates_nothing(ctx):
    first = row_counts()  # after the module's seed
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert row_counts() == first
    assert first["Credential"] == 11 and first["StaffProfile"] == 7


def test_demo_has_every_status_and_two_trainees_at_different_progress(ctx):
    rows = Credential.objects.with_status(ctx.program.today()).select_related("membership__user")
    by_status = {}
    for row in rows:
        by_status.setdefault(row.status, []).append(row)
    assert {s: len(v) for s, v in by_status.items()} == {
        Status.CURRENT: 5, Status.EXPIRING: 2, Status.EXPIRED: 1, Status.CE_SHORT: 1, Status.IN_TRAINING: 2}
    trainees = sorted(by_status[Status.IN_TRAINING], key=lambda r: r.experience_logged)
    assert trainees[0].experience_needed > 300 and trainees[1].experience_needed < 100
    assert all(row.membership.user.email.endswith("@demo.example") for row in rows)


def test_demo_stays_realistic_when_run_again_later(ctx):
    with time_machine.travel(ctx.program.today() + timedelta(days=200)):
        ctx = demo.seed()
        statuses = set(Credential.objects.with_status(ctx.program.today()).values_list("status", flat=True))
    assert statuses == {"current", "expiring", "expired", "ce_short", "in_training"}


def test_extra_demo_staff_sign_in_with_the_demo_password(ctx, settings):
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="alex.kim@demo.example", password=settings.DEMO_PASSWORD)
    alex = Membership.objects.get(user__email="alex.kim@demo.example")
    assert alex.supervisor.email == "supervisor@demo.example"
