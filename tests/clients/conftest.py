"""Fixtures of the clients tests, on top of the personas and their participants (tests/conftest.py):
uploads to a temporary folder, and ``mine``'s plan, goal, step and consent (``world``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from clients.models import ActionStep, Client, Consent, Goal, GoalProgress, RecoveryPlan
from tests.factories import (
    ActionStepFactory,
    ConsentFactory,
    GoalFactory,
    RecoveryPlanFactory,
)

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
