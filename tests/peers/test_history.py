"""The change history kept for every staff-record model."""

from decimal import Decimal

from django.apps import apps

from peers.models import ContinuingEducation, Credential, CredentialType, StaffProfile, TraineeHours
from tests.factories import ContinuingEducationFactory, CredentialFactory, TraineeHoursFactory


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
