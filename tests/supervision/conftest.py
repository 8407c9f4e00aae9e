"""Fixtures of the supervision tests, on top of the personas (tests/conftest.py).

``supervisor`` supervises ``peer`` and ``other_peer``; ``other_supervisor`` supervises ``other_team_peer``.
``mine`` / ``theirs`` / ``other_team`` are participants carried by ``peer`` / ``other_peer`` /
``other_team_peer``.
"""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from tests.factories_clients import ClientFactory
from tests.factories_supervision import SupervisionSessionFactory


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
def draft(supervisor, peer, mine):
    """An individual draft session of ``supervisor`` with ``peer``, discussing ``mine``."""
    return SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], participants=[mine])


@pytest.fixture
def signed(supervisor, peer, other_peer, mine, theirs):
    """A signed group session of ``supervisor`` with ``peer`` and ``other_peer``."""
    return SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer],
                                     participants=[mine, theirs], signed=True, duration_minutes=90)


@pytest.fixture
def frozen_time():
    """For query budgets: a slow machine must not cross the session's once-a-minute activity write
    between the "few rows" and the "many rows" request."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller
