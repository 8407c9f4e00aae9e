"""Each measure on the hand-built first quarter of 2025 (tests/reports/conftest.py): the expected numbers
are worked out by hand from the fixture's comments, never by the measures' own queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

from clients.models import Goal
from reports.measures import by_key
from tests.factories import GoalFactory, RecoveryPlanFactory
from tests.reports.conftest import Q1


def value(key, base):
    return by_key()[key].value(base)


def groups(key, base):
    return {label: n for _, label, n in by_key()[key].breakdown(base)}


def test_participants_served_count_each_person_once_and_leave_out_outreach_only(world, supervisor, base_for):
    base = base_for(supervisor)
    # A (three contacts), B (one), D (a group): 3; C had only an outreach attempt; E is another team's.
    assert value("served", base) == 3


def test_a_participant_enrolled_twice_in_the_period_counts_once_as_new(world, supervisor, base_for):
    base = base_for(supervisor)
    assert value("new", base) == 1  # A: intakes Jan 10 and Mar 1
    assert value("reenrolled", base) == 1  # B: an episode in 2024, again Feb 15
    assert value("discharged", base) == 2  # A (moved), D (completed); B's 2024 discharge is outside
    assert groups("discharged", base) == {"Moved away": 1, "Goals met, services completed": 1}


def test_contacts_are_counted_by_type_and_setting(world, supervisor, base_for):
    base = base_for(supervisor)
    # In Q1: A Jan 15, Feb 20 (phone), Mar 31 (late evening); B Feb 20; C Mar 5 (outreach); D Jan 5 (group).
    assert value("contacts", base) == 6
    assert groups("contacts", base) == {"Individual, in person": 3, "Phone call": 1, "Outreach attempt": 1,
                                        "Group": 1}
    assert groups("contacts_by_setting", base) == {"Program office": 6}


def test_units_over_the_daily_cap_count_as_capped_and_hours_split_by_billing(world, supervisor, base_for):
    base = base_for(supervisor)
    assert value("hours", base) == 60 + 30 + 30 + 240 + 15 + 60  # minutes: 7.25 hours
    assert value("units_delivered", base) == 4 + 2 + 2 + 16 + 1 + 4
    assert value("units_billable", base) == 4 + 2 + 2 + 12 + 0 + 4  # B's 4 units over the cap are not billed
    assert value("hours_billable", base) == 60 + 30 + 30 + 240 + 60
    assert value("hours_not_billable", base) == 15
    assert groups("units_billable", base) == {"T1012": 24}


def test_a_note_signed_after_the_period_counts_in_its_service_date_period_in_program_time(world, supervisor,
                                                                                            base_for):
    base = base_for(supervisor)
    # A's Mar 31, 11 pm (New York) session: April 1 in UTC, signed April 5. It is in Q1, and a late entry.
    assert value("notes_signed", base) == 6
    assert value("late_entries", base) == 1
    assert value("hours_to_sign", base) == Decimal(1)  # 1, 1, 1, 1, 1, 120
    april = base_for(supervisor, period=Q1.__class__(datetime.date(2025, 4, 1), datetime.date(2025, 4, 30), "Apr"))
    assert value("notes_signed", april) == 1  # only A's Apr 1 note


def test_engagement_is_taken_on_the_periods_last_day(world, supervisor, base_for):
    base = base_for(supervisor)
    assert value("active", base) == 3  # A, B, C (D was discharged Mar 20)
    assert value("engaged_30", base) == 1  # A (Mar 31)
    assert value("no_contact_30", base) == 2  # B (last Feb 20), C (outreach only)
    assert value("no_contact_45", base) == 1  # C; B's Feb 20 is within 45 days of Mar 31
    assert value("no_contact_60", base) == 1
    assert value("contact_gap", base) == Decimal("37.5")  # A: Jan 15 -> Feb 20 (36), Feb 20 -> Mar 31 (39)


def test_follow_ups_completed_on_time_read_the_closing_day_in_the_program_time_zone(world, supervisor, base_for):
    base = base_for(supervisor)
    assert value("followups_due", base) == 4  # the cancelled one and April's are left out
    assert value("followups_done", base) == 3
    assert value("followups_on_time", base) == 2  # Feb 1, and Feb 10 at 10 pm New York (Feb 11 in UTC)
    assert value("followups_overdue", base) == 1  # B's, still open


def test_recovery_capital_change_and_the_marker(world, supervisor, base_for):
    base = base_for(supervisor)
    assert value("rc_two", base) == 2  # A and B; C has one check-in
    assert value("rc_change", base) == Decimal(6)  # ((50 - 30) + (40 - 48)) / 2
    assert value("rc_first_at_marker", base) == 1  # B's 48
    assert value("rc_latest_at_marker", base) == 1  # A's 50


def test_the_gpra_follow_up_rate(world, supervisor, base_for):
    base = base_for(supervisor)
    assert value("gpra_due", base) == 2  # A (completed Jan 20), B (window closed Mar 1, missed)
    assert value("gpra_completed", base) == 1


def test_supervision_hours_per_peer_count_signed_sessions_of_the_team(world, supervisor, admin, base_for):
    base = base_for(supervisor)
    assert value("supervision_hours", base) == 90 + 90  # the group session, for peer and other_peer
    assert groups("supervision_hours", base) == {"Pat Peer": 90, "Olive Otherpeer": 90}
    assert value("supervision_hours", base_for(admin)) == 90 + 90 + 45


def test_crisis_flags(world, supervisor, base_for):
    assert value("crisis", base_for(supervisor)) == 1  # D's group session


def test_goals_set_and_achieved_by_dimension_in_the_program_days(world, program, peer, base_for):
    from reports.periods import THIS_MONTH, period_for

    plan = RecoveryPlanFactory(client=world["a"])
    achieved = GoalFactory(plan=plan, dimension_codes=["health", "home"])
    GoalFactory(plan=plan, dimension_codes=["health"])
    GoalFactory(plan=plan, dimension_codes=["home"], carried_from=achieved)  # carried forward: not "set"
    achieved.status = Goal.Status.ACHIEVED
    achieved.save()
    base = base_for(peer, period=period_for(THIS_MONTH, program.today()))
    assert value("goals_set", base) == 2
    assert groups("goals_set", base) == {"Health": 2, "Home": 1}
    assert value("goals_achieved", base) == 1
    assert groups("goals_achieved", base) == {"Health": 1, "Home": 1}


def test_scope_follows_the_role_and_the_filters(world, peer, other_peer, supervisor, admin, base_for):
    assert value("served", base_for(admin)) == 4  # E too
    assert value("served", base_for(peer)) == 3
    assert value("served", base_for(other_peer)) == 0
    assert value("served", base_for(admin, peer_id=world["other_team_peer"].pk)) == 1
    assert value("served", base_for(supervisor, demographic="gender:woman")) == 1  # A
    assert value("contacts", base_for(supervisor, contact_type="phone")) == 1
    assert value("served", base_for(admin, team_id=supervisor.pk)) == 3
