"""Fixtures of the supervision tests, on top of the personas and their participants (tests/conftest.py).

``supervisor`` supervises ``peer`` and ``other_peer``; ``other_supervisor`` supervises ``other_team_peer``.
"""

from __future__ import annotations

import pytest

from tests.factories import SupervisionSessionFactory


@pytest.fixture
def draft(supervisor, peer, mine):
    """An individual draft session of ``supervisor`` with ``peer``, discussing ``mine``."""
    return SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], participants=[mine])


@pytest.fixture
def signed(supervisor, peer, other_peer, mine, theirs):
    """A signed group session of ``supervisor`` with ``peer`` and ``other_peer``."""
    return SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer],
                                     participants=[mine, theirs], signed=True, duration_minutes=90)
