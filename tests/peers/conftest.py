"""Fixtures of the peers tests: a fixed "today" and each persona's membership."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peers.defaults import load_default_credential_types
from peers.models import CredentialType
from tests.factories import membership_of

TODAY = date(2026, 3, 16)  # a Monday


@pytest.fixture(autouse=True)
def default_credential_types(db):
    """The shared defaults the data migration loads; a browser test's flush may have removed them."""
    load_default_credential_types(CredentialType)


@pytest.fixture
def frozen_today():
    """Freeze time at noon of TODAY in the programs' default time zone (America/New_York)."""
    with time_machine.travel(datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("America/New_York")), tick=False):
        yield TODAY


@pytest.fixture
def program_membership(program):
    """``program_membership(user)``: the user's membership in ``program``."""
    return lambda user: membership_of(user, program)
