"""Participants in every caseload of the persona fixtures (tests/conftest.py).

``mine`` is carried by ``peer``; ``theirs`` by ``other_peer`` (same team); ``other_team`` by
``other_team_peer`` (another supervisor's team); ``unassigned`` needs assignment; ``foreign`` belongs to
``other_program``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from clients.models import ActionStep, Client, Consent, Goal, GoalProgress, RecoveryPlan
from recovery.models import Membership
from tests.factories import make_staff
from tests.factories_clients import (
    ActionStepFactory,
    ClientFactory,
    ConsentFactory,
    GoalFactory,
    RecoveryPlanFactory,
)


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


PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def uploads(settings, tmp_path):
    """Uploaded files go to a temporary folder, not the project's data folder."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@dataclass
class World:
    client: Client
    plan: RecoveryPlan
    goal: Goal
    step: ActionStep
    consent: Consent


@pytest.fixture
def world(mine, uploads) -> World:
    """``mine`` with a plan, a goal, a step, a progress note and a consent with its scanned copy."""
    plan = RecoveryPlanFactory(client=mine)
    goal = GoalFactory(plan=plan, dimension_codes=["home", "social"])
    step = ActionStepFactory(goal=goal)
    GoalProgress.objects.create(goal=goal, noted_on=plan.started_on, text="Called two landlords.",
                                author=mine.primary_peer)
    consent = ConsentFactory(client=mine)
    consent.scan.save("signed.pdf", ContentFile(PDF_BYTES), save=True)
    return World(mine, plan, goal, step, consent)
