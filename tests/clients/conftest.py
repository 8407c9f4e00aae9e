"""Fixtures of the clients tests, on top of the personas and their participants (tests/conftest.py):
uploads to a temporary folder, and ``mine``'s plan, goal, step and consent (``world``)."""

from __future__ import annotations

import base64
import struct
import zlib
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


def png_bytes(width: int = 40, height: int = 12) -> bytes:
    """A real PNG: a black stroke across a white box (what a signature pad sends, in small)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + (b"\x00" if y == height // 2 else b"\xff") * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def signature_data_url(image: bytes | None = None) -> str:
    return "data:image/png;base64," + base64.b64encode(image or png_bytes()).decode()
