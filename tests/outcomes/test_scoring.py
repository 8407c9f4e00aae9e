"""Instruments as data: the BARC-10's scoring, skipped items, reverse-scored items on a custom instrument."""

from __future__ import annotations

from decimal import Decimal

import pytest

from outcomes.models import CheckIn, Instrument
from tests.factories import days
from tests.outcomes.conftest import answer_all, record


def test_the_barc_10_ships_as_data_with_ten_items_a_six_point_scale_and_the_47_marker(barc):
    assert len(barc.items) == 10
    assert [o.value for o in barc.options] == [1, 2, 3, 4, 5, 6]
    assert barc.options[0].label == "Strongly disagree" and barc.options[-1].label == "Strongly agree"
    assert (barc.min_total, barc.max_total) == (10, 60)
    assert barc.marker.min_score == 47
    assert "not the official wording" in barc.instrument.wording_note
    assert {i.label for i in barc.items} >= {"Housing", "Support from others"}


@pytest.mark.parametrize(("values", "score"), [
    ((1,) * 10, Decimal(10)),
    ((6,) * 10, Decimal(60)),
    ((5, 5, 5, 5, 5, 5, 5, 4, 4, 4), Decimal(47)),
    ((1, 2, 3, 4, 5, 6, 1, 2, 3, 4), Decimal(31)),
])
def test_a_barc_10_total_is_the_sum_of_its_items(barc, values, score):
    assert barc.score(answer_all(barc, *values)) == score


def test_one_skipped_barc_item_is_prorated_and_two_give_no_score(barc):
    one = answer_all(barc, 5, 5, 5, 5, 5, 5, 5, 5, 4, None)  # 44 over 9 items → 48.9 over 10
    assert barc.score(one) == Decimal("48.9")
    two = answer_all(barc, 5, 5, 5, 5, 5, 5, 5, 5, None, None)
    assert barc.score(two) is None


def test_reverse_scored_items_count_the_other_way_round(custom):
    # 0..4 scale: a reverse-scored 0 counts 4, a 3 counts 1.
    assert custom.score(answer_all(custom, 4, 0, 4, 0)) == Decimal(16)
    assert custom.score(answer_all(custom, 2, 3, 1, 4)) == Decimal(4)  # 2 + 1 + 1 + 0


def test_a_custom_rule_without_prorating_sums_what_was_answered_within_its_limit(custom):
    assert custom.score(answer_all(custom, 4, None, 4, 0)) == Decimal(12)
    assert custom.score(answer_all(custom, 4, None, None, 0)) is None
    assert custom.score(answer_all(custom, None, None, None, None)) is None


def test_a_rule_allowing_no_skips_gives_no_score_for_one_skipped(custom):
    Instrument.objects.filter(pk=custom.instrument.pk).update(max_skipped=0)
    custom.instrument.refresh_from_db()
    assert custom.score(answer_all(custom, 4, None, 4, 0)) is None


def test_strengths_and_needs_read_the_answer_after_reversal(custom):
    first, second = custom.items[:2]
    assert custom.is_strength(first, 4) and not custom.is_strength(first, 1)
    assert custom.is_strength(second, 0) and not custom.is_strength(second, 4)


def test_a_recorded_check_in_keeps_its_score_and_counts(mine, barc):
    checkin = record(mine, barc, days(0), 5, 5, 5, 5, 5, 5, 5, 5, 4, None)
    checkin.refresh_from_db()
    assert (checkin.score, checkin.answered, checkin.skipped) == (Decimal("48.9"), 9, 1)
    assert checkin.answers.count() == 9
    assert barc.band(checkin.score).is_marker
    assert CheckIn.objects.visible_to(mine.primary_peer).get() == checkin
