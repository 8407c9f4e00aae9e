"""Service authorizations at their edges, the 30-day start rule and coverage by service date (issue 20)."""

from __future__ import annotations

import datetime

import pytest

from billing.authorizations import estimate_lines, start_is_late
from billing.models import Coverage
from billing.review import NO_AUTHORIZATION, NO_COVERAGE, OVER_AUTHORIZATION, review_rows
from clients.models import SessionNote
from tests.billing.conftest import signed_note
from tests.factories import AuthorizationFactory, CoverageFactory, PayerFactory, days, service_code

START, END = days(-40), days(-20)


@pytest.fixture
def authorized(mine, registered):
    """``mine`` is covered by Medicaid and authorized 8 units of T1012 from START to END."""
    payer = PayerFactory(program=mine.program)
    CoverageFactory(client=mine, payer=payer)
    return AuthorizationFactory(client=mine, payer=payer, units_authorized=8, starts_on=START, ends_on=END,
                                recommended_on=START)


def reasons_of(program, note) -> list[str]:
    row = next(r for r in review_rows(program, days(-90), days(0)) if r.note.pk == note.pk)
    return row.reasons


def test_the_last_unit_of_an_authorization_bills(program, mine, authorized):
    signed_note(mine, START, 60)
    last = signed_note(mine, END, 60)  # units 5 to 8 of 8
    assert reasons_of(program, last) == []


def test_one_unit_over_the_authorization_is_held(program, mine, authorized):
    signed_note(mine, START, 60)
    signed_note(mine, START + datetime.timedelta(days=1), 60)
    over = signed_note(mine, END, 15)  # the ninth unit
    assert reasons_of(program, over) == [OVER_AUTHORIZATION]


def test_the_day_before_the_start_and_the_day_after_the_end_are_not_authorized(program, mine, authorized):
    before = signed_note(mine, START - datetime.timedelta(days=1), 30)
    after = signed_note(mine, END + datetime.timedelta(days=1), 30)
    on_start, on_end = signed_note(mine, START, 30), signed_note(mine, END, 30)
    assert reasons_of(program, before) == [NO_AUTHORIZATION]
    assert reasons_of(program, after) == [NO_AUTHORIZATION]
    assert reasons_of(program, on_start) == [] and reasons_of(program, on_end) == []


def _draft(client, day, minutes):
    return SessionNote(client=client, author=client.primary_peer, session_date=day, duration_minutes=minutes,
                       contact_type=SessionNote.ContactType.INDIVIDUAL, service_code=service_code())


def test_the_note_form_line_counts_down_and_warns_from_80_percent(program, mine, authorized):
    signed_note(mine, START, 30)  # 2 of 8 used
    [line] = estimate_lines(note=_draft(mine, END, 30), program=program, billable=2)
    assert line.text == f"Authorization {authorized.number}: 4 of 8 units left, ends {END:%b %-d}."
    assert line.level == "info"
    [line] = estimate_lines(note=_draft(mine, END, 60), program=program, billable=4)  # 6 of 8: 75 %
    assert line.level == "info"
    [line] = estimate_lines(note=_draft(mine, END, 75), program=program, billable=5)  # 7 of 8: 87.5 %
    assert line.level == "warning" and "1 of 8 units left" in line.text
    [line] = estimate_lines(note=_draft(mine, END, 90), program=program, billable=6)  # exactly all 8
    assert line.level == "warning" and "(used up): 0 of 8 units left" in line.text
    [line] = estimate_lines(note=_draft(mine, END, 105), program=program, billable=7)  # one over
    assert line.level == "danger"
    assert line.text == (f"Over authorization {authorized.number}: this note needs 7 units and 6 of 8 are left "
                         f"(ends {END:%b %-d}).")


def test_the_note_form_says_when_a_date_falls_outside_the_authorization(program, mine, authorized):
    for day in (START - datetime.timedelta(days=1), END + datetime.timedelta(days=1)):
        [line] = estimate_lines(note=_draft(mine, day, 30), program=program, billable=2)
        assert line.level == "danger"
        assert f"is outside authorization {authorized.number}" in line.text
        assert "flagged for billing, not blocked" in line.text


@pytest.mark.parametrize(("days_after", "late"), [(0, False), (30, False), (31, True)])
def test_services_may_begin_up_to_30_days_after_the_recommendation(days_after, late):
    recommended = datetime.date(2026, 1, 2)
    assert start_is_late(recommended, recommended + datetime.timedelta(days=days_after), 30) is late


def test_a_late_start_is_flagged_and_the_days_are_a_program_setting(program, mine, registered):
    payer = PayerFactory(program=program)
    CoverageFactory(client=mine, payer=payer)
    AuthorizationFactory(client=mine, payer=payer, starts_on=START, ends_on=END,
                         recommended_on=START - datetime.timedelta(days=31))
    note = signed_note(mine, START, 30)
    assert reasons_of(program, note) == ["Services began more than 30 days after the recommendation"]
    [_line, late_line] = estimate_lines(note=_draft(mine, START, 30), program=program, billable=2)
    assert late_line.level == "warning" and "more than 30 days after the recommendation" in late_line.text
    program.authorization_start_days = 31
    program.save(update_fields=["authorization_start_days"])
    assert reasons_of(program, note) == []


def test_coverage_is_taken_on_the_service_date(program, mine, registered):
    grant = PayerFactory(program=program, name="Peer grant", kind="grant", requires_authorization=False)
    medicaid = PayerFactory(program=program)
    switch = days(-30)
    CoverageFactory(client=mine, payer=grant, member_id="G-1", starts_on=days(-90),
                    ends_on=switch - datetime.timedelta(days=1))
    CoverageFactory(client=mine, payer=medicaid, member_id="M-2", starts_on=switch)
    AuthorizationFactory(client=mine, payer=medicaid, starts_on=switch, ends_on=days(10))
    under_grant = signed_note(mine, switch - datetime.timedelta(days=1), 30)
    under_medicaid = signed_note(mine, switch, 30)
    before_any = signed_note(mine, days(-91), 30)
    rows = {r.note.pk: r for r in review_rows(program, days(-120), days(0))}
    assert rows[under_grant.pk].coverage.member_id == "G-1" and rows[under_grant.pk].ready
    assert rows[under_medicaid.pk].coverage.member_id == "M-2" and rows[under_medicaid.pk].ready
    assert rows[before_any.pk].coverage is None and rows[before_any.pk].reasons == [NO_COVERAGE]


def test_a_new_coverage_period_ends_the_open_one_and_keeps_it_as_history(program, mine, billing_clerk):
    from billing.services import coverage_add

    first = CoverageFactory(client=mine, starts_on=days(-100))
    coverage_add(coverage=Coverage(payer=PayerFactory(program=program), member_id="NEW", starts_on=days(-10)),
                 client=mine, by=billing_clerk)
    first.refresh_from_db()
    assert first.ends_on == days(-11)
    assert list(Coverage.objects.filter(client=mine).values_list("member_id", flat=True)) == ["NEW", first.member_id]
