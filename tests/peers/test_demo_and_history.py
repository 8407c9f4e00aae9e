"""seed_demo's staff records, and the change history kept for every staff-record model."""

from datetime import timedelta
from decimal import Decimal

import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from peers.models import ContinuingEducation, Credential, CredentialType, StaffProfile, Status, TraineeHours
from recovery import demo
from recovery.models import Membership
from tests.factories import ContinuingEducationFactory, CredentialFactory, TraineeHoursFactory

PEERS_MODELS = [Credential, ContinuingEducation, TraineeHours, StaffProfile, CredentialType, Membership]


def row_counts():
    return {model.__name__: model.objects.count() for model in PEERS_MODELS}


def test_seed_demo_twice_duplicates_nothing(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert row_counts() == first
    assert first["Credential"] == 11 and first["StaffProfile"] == 7


def test_demo_has_every_status_and_two_trainees_at_different_progress(db):
    ctx = demo.seed()
    rows = Credential.objects.with_status(ctx.program.today()).select_related("membership__user")
    by_status = {}
    for row in rows:
        by_status.setdefault(row.status, []).append(row)
    assert {s: len(v) for s, v in by_status.items()} == {
        Status.CURRENT: 5, Status.EXPIRING: 2, Status.EXPIRED: 1, Status.CE_SHORT: 1, Status.IN_TRAINING: 2}
    trainees = sorted(by_status[Status.IN_TRAINING], key=lambda r: r.experience_logged)
    assert trainees[0].experience_needed > 300 and trainees[1].experience_needed < 100
    assert all(row.membership.user.email.endswith("@demo.example") for row in rows)


def test_demo_stays_realistic_when_run_again_later(db):
    ctx = demo.seed()
    with time_machine.travel(ctx.program.today() + timedelta(days=200)):
        ctx = demo.seed()
        statuses = set(Credential.objects.with_status(ctx.program.today()).values_list("status", flat=True))
    assert statuses == {"current", "expiring", "expired", "ce_short", "in_training"}


def test_extra_demo_staff_sign_in_with_the_demo_password(db, settings):
    demo.seed()
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="alex.kim@demo.example", password=settings.DEMO_PASSWORD)
    alex = Membership.objects.get(user__email="alex.kim@demo.example")
    assert alex.supervisor.email == "supervisor@demo.example"


def event_model(model):
    return apps.get_model("peers", f"{model.__name__}Event")


def test_every_change_to_staff_records_keeps_its_history(peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer))
    credential.number = "CHANGED"
    credential.save()
    ce = ContinuingEducationFactory(membership=program_membership(peer))
    ce.hours = Decimal(2)
    ce.save()
    ce.delete()
    hours = TraineeHoursFactory(membership=program_membership(peer))
    hours.delete()
    profile = StaffProfile.objects.create(membership=program_membership(peer))
    profile.lived_experience = "family"
    profile.save()
    labels = {
        model.__name__: list(event_model(model).objects.order_by("pgh_id").values_list("pgh_label", flat=True))
        for model in (Credential, ContinuingEducation, TraineeHours, StaffProfile)
    }
    assert labels == {
        "Credential": ["insert", "update"],
        "ContinuingEducation": ["insert", "update", "delete"],
        "TraineeHours": ["insert", "delete"],
        "StaffProfile": ["insert", "update"],
    }
    assert event_model(Credential).objects.last().number == "CHANGED"


def test_credential_type_changes_keep_their_history(db):
    kind = CredentialType.objects.get(program=None, abbreviation="RPRS")
    kind.ethics_hours = Decimal(1)
    kind.save()
    assert list(event_model(CredentialType).objects.filter(pgh_obj=kind).values_list("ethics_hours", flat=True)
                .order_by("pgh_id")) == [Decimal(2), Decimal(1)]
