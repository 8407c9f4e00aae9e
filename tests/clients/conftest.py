"""Participants in every caseload of the persona fixtures (tests/conftest.py).

``mine`` is carried by ``peer``; ``theirs`` by ``other_peer`` (same team); ``other_team`` by
``other_team_peer`` (another supervisor's team); ``unassigned`` needs assignment; ``foreign`` belongs to
``other_program``.
"""

from __future__ import annotations

import pytest

from recovery.models import Membership
from tests.factories import make_staff
from tests.factories_clients import ClientFactory


@pytest.fixture
def mine(program, peer):
    return ClientFactory(program=program, primary_peer=peer, full_name="Mina Mine")


@pytest.fixture
def theirs(program, other_peer):
    return ClientFactory(program=program, primary_peer=other_peer, full_name="Theo Theirs")


@pytest.fixture
def other_team(program, other_team_peer):
    return ClientFactory(program=program, primary_peer=other_team_peer, full_name="Otis Otherteam")


@pytest.fixture
def unassigned(program, supervisor):
    return ClientFactory(program=program, primary_peer=None, created_by=supervisor, full_name="Una Unassigned")


@pytest.fixture
def foreign_peer(other_program):
    return make_staff(other_program, Membership.Role.PEER, full_name="Fern Foreign", email="fern@example.org")


@pytest.fixture
def foreign(other_program, foreign_peer):
    return ClientFactory(program=other_program, primary_peer=foreign_peer, full_name="Flo Foreign")
