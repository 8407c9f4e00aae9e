"""Fixtures of the records tests: uploads to a temporary folder (the clients tests' fixture) and consents of
``mine`` that cover, or do not, a disclosure to Valley Primary Care of attendance."""

from __future__ import annotations

import uuid

import pytest

from clients.models import Consent
from tests.clients.conftest import uploads  # noqa: F401  (a fixture)
from tests.factories import ConsentFactory, days

RECIPIENT = "Valley Primary Care"
INFORMATION = "attendance"


@pytest.fixture
def covering(mine) -> Consent:
    return ConsentFactory(client=mine, recipients="Dr. Example, Valley Primary Care",
                          information="Attendance and progress in peer recovery services.")


def revoked(client) -> Consent:
    consent = ConsentFactory(client=client, recipients=RECIPIENT)
    Consent.objects.filter(pk=consent.pk).update(revoked_on=days(-2), revocation_method="writing")
    consent.refresh_from_db()
    return consent


def expired(client) -> Consent:
    return ConsentFactory(client=client, recipients=RECIPIENT, signed_on=days(-400), expires_on=days(-35))


def other_recipient(client) -> Consent:
    return ConsentFactory(client=client, recipients="Harbor House Recovery Residence")


def other_information(client) -> Consent:
    return ConsentFactory(client=client, recipients=RECIPIENT, information="Housing application only.")


def disclosure_data(consent: Consent | None = None, **overrides) -> dict:
    data = {"recipient": RECIPIENT, "information": INFORMATION, "purpose": "Coordinate care",
            "disclosed_on": days(0).isoformat(), "method": "fax", "basis": "consent",
            "consent": str(consent.uuid) if consent else "", "reason": "", "form_token": str(uuid.uuid4())}
    data.update(overrides)
    return data
