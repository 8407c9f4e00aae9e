"""Billing units (Done when 3): rounding, the daily and yearly caps at their edges, and who may bill."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clients.services import notes as note_services
from clients.units import OUTREACH_NOT_BILLABLE, Usage, units_assess, units_capped, units_for_minutes
from recovery.models import Program
from tests.factories import RPRS, CredentialFactory, SessionNoteFactory, default_type, membership_of, service_code

DAY = datetime.date(2026, 5, 12)


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (240, 16), (1, 0), (0, 0)])
def test_the_eight_minute_rule(minutes, units):
    assert units_for_minutes(minutes, unit_minutes=15, rounding=Program.UnitRounding.EIGHT_MINUTE) == units


@pytest.mark.parametrize(("rounding", "minutes", "units"), [
    ("whole_units", 29, 1), ("whole_units", 30, 2), ("whole_units", 14, 0),
    ("any_part", 1, 1), ("any_part", 16, 2), ("any_part", 240, 16),
])
def test_the_other_rounding_rules(rounding, minutes, units):
    assert units_for_minutes(minutes, unit_minutes=15, rounding=rounding) == units


def test_a_longer_unit_counts_from_more_than_half_of_it():
    assert units_for_minutes(15, unit_minutes=30, rounding="eight_minute") == 0
    assert units_for_minutes(16, unit_minutes=30, rounding="eight_minute") == 1


@pytest.mark.parametrize(("used_today", "computed", "billable"), [
    (0, 16, 16),  # exactly the cap: nothing to explain
    (12, 4, 4),  # reaches the cap exactly
    (12, 5, 4),  # one over
    (16, 3, 0),  # the cap is used up
    (20, 2, 0),  # over already (the cap was lowered since): never negative
])
def test_the_daily_cap_of_16_units_at_its_edges(db, used_today, computed, billable):
    code = service_code("T1012")
    result, reasons = units_capped(computed, code, Usage(day=used_today, year=used_today), DAY)
    assert result == billable
    if billable < computed:
        assert reasons == [f"Daily cap: T1012 allows 16 units a day per participant and {used_today} were already "
                           f"billed on May 12, 2026, so {billable} unit{'' if billable == 1 else 's'} of {computed} "
                           "can be billed."]
    else:
        assert reasons == []


@pytest.mark.parametrize(("used_this_year", "computed", "billable"), [
    (3_596, 4, 4), (3_597, 4, 3), (3_599, 4, 1), (3_600, 4, 0),
])
def test_the_yearly_cap_of_3600_units_at_its_edges(db, used_this_year, computed, billable):
    code = service_code("T1012")
    result, reasons = units_capped(computed, code, Usage(day=0, year=used_this_year), DAY)
    assert result == billable
    assert bool(reasons) == (billable < computed)
    if reasons:
        assert reasons[0].startswith("Yearly cap: T1012 allows 3,600 units a calendar year per participant")
        assert f"{used_this_year:,} were already billed in 2026" in reasons[0]


def test_both_caps_apply_and_both_reasons_are_given(db):
    code = service_code("T1012")
    billable, reasons = units_capped(10, code, Usage(day=10, year=3_598), DAY)
    assert billable == 2
    assert [r.split(":")[0] for r in reasons] == ["Daily cap", "Yearly cap"]


def signed_note(client, day, minutes, **fields):
    note = SessionNoteFactory(client=client, session_date=day, start_time=None, end_time=None,
                              duration_minutes=minutes, **fields)
    return note_services.note_sign(note=note, by=client.primary_peer)


def test_signing_applies_the_daily_cap_and_stores_the_reason(mine):
    first = signed_note(mine, DAY, 180)  # 12 units
    second = signed_note(mine, DAY, 75)  # 5 units, only 4 left today
    third = signed_note(mine, DAY, 30)  # cap used up
    other_day = signed_note(mine, DAY + datetime.timedelta(days=1), 30)
    assert (first.units_computed, first.units_billable, first.units_note) == (12, 12, "")
    assert (second.units_computed, second.units_billable) == (5, 4)
    assert second.units_note.startswith("Daily cap: T1012 allows 16 units a day per participant and 12 were")
    assert (third.units_computed, third.units_billable) == (2, 0)
    assert (other_day.units_computed, other_day.units_billable) == (2, 2)


def test_caps_count_per_participant_and_per_service_code(mine, theirs):
    signed_note(mine, DAY, 240)  # the day's 16 units of T1012 for ``mine``
    assert signed_note(theirs, DAY, 60).units_billable == 4
    assert signed_note(mine, DAY, 60, service_code=service_code("H0024")).units_billable == 4
    assert signed_note(mine, DAY, 60).units_billable == 0


def test_drafts_do_not_use_up_the_cap(mine):
    SessionNoteFactory(client=mine, session_date=DAY, duration_minutes=240, start_time=None, end_time=None)
    assert signed_note(mine, DAY, 60).units_billable == 4


def test_the_yearly_cap_counts_the_calendar_year_of_the_session(mine):
    SessionNoteFactory(client=mine, signed=True, session_date=datetime.date(2025, 12, 31), units_computed=3_600,
                       units_billable=3_600, duration_minutes=60)
    SessionNoteFactory(client=mine, signed=True, session_date=datetime.date(2026, 1, 2), units_computed=3_598,
                       units_billable=3_598, duration_minutes=60)
    note = signed_note(mine, DAY, 60)
    assert (note.units_computed, note.units_billable) == (4, 2)
    assert "3,598 were already billed in 2026" in note.units_note
    assert signed_note(mine, datetime.date(2027, 1, 4), 60).units_billable == 4


def test_the_cap_is_data_an_admin_can_change(mine):
    code = service_code("T1012")
    code.daily_unit_cap = 8
    code.save()
    assert signed_note(mine, DAY, 240).units_billable == 8
    code.daily_unit_cap = None
    code.save()
    assert signed_note(mine, DAY + datetime.timedelta(days=1), 480).units_billable == 32


def test_outreach_non_billable_codes_and_notes_without_a_code_bill_nothing(mine):
    outreach = signed_note(mine, DAY, 30, contact_type="outreach")
    assert (outreach.units_computed, outreach.units_billable, outreach.units_note) == (2, 0, OUTREACH_NOT_BILLABLE)
    code = service_code("H0025")
    code.billable = False
    code.save()
    assert signed_note(mine, DAY, 30, service_code=code).units_billable == 0
    assert signed_note(mine, DAY, 30, service_code=None).units_billable == 0


def test_a_program_rounding_rule_is_used_when_signing(mine, program):
    program.unit_rounding = Program.UnitRounding.WHOLE_UNITS
    program.save()
    mine.program.refresh_from_db()
    assert signed_note(mine, DAY, 29).units_computed == 1


# --- Staff who are not billable on the date (peers.services.is_billable) ---------------------------------


def make_billable(user, program, *, expires_on: datetime.date, issued_on: datetime.date):
    return CredentialFactory(membership=membership_of(user, program), type=default_type(RPRS), issued_on=issued_on,
                             expires_on=expires_on)


def test_a_billable_note_by_staff_not_billable_that_day_is_flagged_with_the_reason(mine, peer, program):
    next_day = DAY + datetime.timedelta(days=1)
    make_billable(peer, program, issued_on=next_day, expires_on=next_day + datetime.timedelta(days=365))
    note = signed_note(mine, DAY, 60)
    assert note.billing_flagged
    assert note.billing_flag_reason.startswith("Pat Peer held no credential that makes services billable on May 12")
    assert note.units_billable == 4  # kept, but flagged for a check before billing
    registered_day = signed_note(mine, next_day, 60)
    assert not registered_day.billing_flagged and registered_day.billing_flag_reason == ""


def test_non_billable_notes_are_not_flagged(mine):
    assert not signed_note(mine, DAY, 30, service_code=None).billing_flagged


# --- The peer is warned before signing ---------------------------------------------------------------------


def test_the_note_page_warns_before_signing_with_computed_and_capped_units_and_the_reason(login, mine, peer):
    signed_note(mine, DAY, 180)
    draft = SessionNoteFactory(client=mine, session_date=DAY, start_time=None, end_time=None, duration_minutes=75)
    html = login(peer).get(reverse("clients:note_detail", args=[draft.uuid])).content.decode()
    assert "<strong>5 units</strong>" in html
    assert "Billable: <strong>4 units</strong>" in html
    assert "Daily cap: T1012 allows 16 units a day per participant and 12 were already billed" in html
    assert "Billing check needed." in html  # Pat Peer holds no billable credential in this test


def test_assessment_reads_the_usage_in_two_queries(mine, django_assert_num_queries, program):
    draft = SessionNoteFactory(client=mine, session_date=DAY)
    draft = type(draft).objects.select_related("service_code", "author").get(pk=draft.pk)
    with django_assert_num_queries(2):
        units_assess(draft, program)
