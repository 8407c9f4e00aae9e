"""Factories for the security and audit tests (tests/security/)."""

from __future__ import annotations

import uuid

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.models import AccessLog, SecurityEvent
from recovery.twofactor import backup_codes_replace
from tests.factories import ProgramFactory, UserFactory


class AccessLogFactory(factory.django.DjangoModelFactory):
    """A read of a participant's record; ``at`` is "now" (move time with time_machine to set it)."""

    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    action = AccessLog.Action.VIEW
    object_type = "clients.client"
    client_uuid = factory.LazyFunction(uuid.uuid4)
    object_id = factory.LazyAttribute(lambda o: str(o.client_uuid))
    path = factory.LazyAttribute(lambda o: f"/clients/{o.client_uuid}/")
    ip = "10.0.0.7"
    user_agent = "Mozilla/5.0 (test)"


class SecurityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecurityEvent

    kind = SecurityEvent.Kind.TWO_FACTOR_ENROLLED
    user = factory.SubFactory(UserFactory)
    actor = factory.SelfAttribute("user")
    program = factory.SubFactory(ProgramFactory)
    ip = "10.0.0.8"


def enrol_device(user) -> tuple[TOTPDevice, list[str]]:
    """Give ``user`` a confirmed authenticator app and backup codes, as after enrolment."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return device, backup_codes_replace(user=user)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (time_machine moves "now")."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
