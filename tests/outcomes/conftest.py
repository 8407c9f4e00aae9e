"""Outcomes fixtures: the shipped BARC-10 and a custom instrument with reverse-scored items (the personas
and their participants, ``mine`` carried by ``peer``, ``theirs``, ``foreign``..., are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from clients.models import Dimension
from outcomes.defaults import defaults_load
from outcomes.models import Category, Instrument, Item, ResponseOption, Scale, Threshold
from outcomes.services import checkin_record
from tests.factories import dimensions


def shipped_scale() -> Scale:
    """The BARC-10 (loaded again if a transactional test flushed the migration's rows)."""
    dimensions()
    defaults_load(Instrument, Item, ResponseOption, Threshold, Category, Dimension)
    return Scale.load(Instrument.objects.get(program__isnull=True, code="barc-10"))


@pytest.fixture
def barc(db) -> Scale:
    return shipped_scale()


@pytest.fixture
def custom(program) -> Scale:
    """A program's own 4-item well-being check-in on a 0-4 scale; items 2 and 4 reverse-scored; one item may
    be skipped, without prorating."""
    instrument = Instrument.objects.create(program=program, code="wellbeing", name="Well-being check-in",
                                           max_skipped=1, prorate=False)
    for value in range(5):
        ResponseOption.objects.create(instrument=instrument, value=value, label=f"L{value}", phrase=f"p{value}")
    for n in range(1, 5):
        Item.objects.create(instrument=instrument, position=n, text=f"Statement {n}", label=f"Item {n}",
                            reverse_scored=n in (2, 4))
    Threshold.objects.create(instrument=instrument, min_score=10, label="Doing well", is_marker=True)
    return Scale.load(instrument)


def answer_all(scale: Scale, *values: int | None) -> dict[int, int | None]:
    return {item.pk: value for item, value in zip(scale.items, values, strict=True)}


def record(client, scale: Scale, taken_on, *values, by=None, occasion="routine"):
    values = values or (5,) * len(scale.items)
    return checkin_record(client=client, scale=scale, answers=answer_all(scale, *values), taken_on=taken_on,
                          occasion=occasion, by=by or client.primary_peer)
