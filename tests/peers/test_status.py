"""Credential status, days to expiry and hours still needed at the edges (Done-when 2), frozen in time."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peers.models import Credential, HoursKind, Status
from tests.factories import (
    CPRS,
    PR,
    ContinuingEducationFactory,
    CredentialFactory,
    TraineeHoursFactory,
    default_type,
)


def status_of(credential, today):
    return Credential.objects.with_status(today).get(pk=credential.pk)


def full_ce(membership, today, *, hours=20, ethics=3):
    """Log ``hours`` of CE (``ethics`` of them ethics) in the last weeks, inside any current cycle."""
    other, day = Decimal(hours) - Decimal(ethics), 30
    while other > 0:
        chunk = min(other, Decimal(8))
        ContinuingEducationFactory(membership=membership, completed_on=today - timedelta(days=day), hours=chunk)
        other, day = other - chunk, day + 1
    if ethics:
        ContinuingEducationFactory(membership=membership, completed_on=today - timedelta(days=day),
                                   hours=Decimal(ethics), ethics_hours=Decimal(ethics))


@pytest.mark.parametrize(
    "expires_in, status, days",
    [
        (0, Status.EXPIRING, 0),  # expires today: still valid today, and expiring
        (-1, Status.EXPIRED, -1),  # expired yesterday
        (90, Status.EXPIRING, 90),  # the last day of the 90-day window
        (91, Status.CURRENT, 91),  # one day past it
    ],
)
def test_status_and_days_to_expiry_at_the_window_edges(frozen_today, program, peer, program_membership, expires_in,
                                                       status, days):
    full_ce(program_membership(peer), frozen_today)
    credential = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=expires_in)
    row = status_of(credential, program.today())
    assert program.today() == frozen_today
    assert (row.status, row.days_to_expiry) == (status, days)


def test_ce_exactly_at_the_requirement_is_current(frozen_today, peer, program_membership):
    full_ce(program_membership(peer), frozen_today, hours=20, ethics=3)
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=200),
                    frozen_today)
    assert row.status == Status.CURRENT
    assert (row.ce_logged, row.ce_needed, row.ethics_logged, row.ethics_needed) == (20, 0, 3, 0)
    assert row.is_ce_short is False


def test_one_hour_short_of_ce_is_ce_short_with_one_hour_needed(frozen_today, peer, program_membership):
    full_ce(program_membership(peer), frozen_today, hours=19, ethics=3)
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=150),
                    frozen_today)
    assert row.status == Status.CE_SHORT
    assert (row.ce_needed, row.ethics_needed) == (Decimal(1), Decimal(0))


def test_ethics_short_while_total_is_met_is_ce_short(frozen_today, peer, program_membership):
    full_ce(program_membership(peer), frozen_today, hours=24, ethics=2)
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=150),
                    frozen_today)
    assert row.status == Status.CE_SHORT
    assert (row.ce_logged, row.ce_needed, row.ethics_needed) == (24, 0, 1)


def test_hours_still_needed_never_go_below_zero(frozen_today, peer, program_membership):
    full_ce(program_membership(peer), frozen_today, hours=40, ethics=10)
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=200),
                    frozen_today)
    assert (row.ce_needed, row.ethics_needed) == (0, 0)


def test_expiring_credential_still_shows_its_ce_shortfall(frozen_today, peer, program_membership):
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=30),
                    frozen_today)
    assert row.status == Status.EXPIRING
    assert row.is_ce_short is True and row.ce_needed == 20


def test_only_ce_of_the_current_cycle_counts(frozen_today, peer, program_membership):
    # Renewed: issued five years ago, expires in a year, so the cycle (24 months) began a year ago.
    credential = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=365,
                                   issued_on=frozen_today - timedelta(days=5 * 365))
    cycle_start = frozen_today.replace(year=2025)  # expiry 2027-03-16 less 24 months
    ContinuingEducationFactory(membership=program_membership(peer), completed_on=cycle_start - timedelta(days=1),
                               hours=10)
    ContinuingEducationFactory(membership=program_membership(peer), completed_on=cycle_start, hours=3)
    row = status_of(credential, frozen_today)
    assert row.cycle_start == cycle_start
    assert row.ce_logged == 3


def test_first_cycle_starts_at_the_issue_date(frozen_today, peer, program_membership):
    issued = frozen_today - timedelta(days=100)
    credential = CredentialFactory(membership=program_membership(peer), issued_on=issued,
                                   expires_on=issued + timedelta(days=365))
    ContinuingEducationFactory(membership=program_membership(peer), completed_on=issued - timedelta(days=1), hours=8)
    row = status_of(credential, frozen_today)
    assert row.cycle_start == issued
    assert row.ce_logged == 0


def test_another_persons_ce_does_not_count(frozen_today, peer, other_peer, program_membership):
    full_ce(program_membership(other_peer), frozen_today)
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=150),
                    frozen_today)
    assert row.ce_logged == 0 and row.status == Status.CE_SHORT


def test_credential_in_training_shows_hours_still_needed(frozen_today, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), type=default_type(PR), in_training=True)
    TraineeHoursFactory(membership=program_membership(peer), kind=HoursKind.TRAINING, hours=10)
    TraineeHoursFactory(membership=program_membership(peer), kind=HoursKind.TRAINING, hours=Decimal("6.5"),
                        worked_on=frozen_today - timedelta(days=1))
    TraineeHoursFactory(membership=program_membership(peer), kind=HoursKind.EXPERIENCE, hours=8)
    TraineeHoursFactory(membership=program_membership(peer), kind=HoursKind.SUPERVISION, hours=2)
    row = status_of(credential, frozen_today)
    assert row.status == Status.IN_TRAINING and row.days_to_expiry is None
    assert (row.training_logged, row.experience_logged, row.supervision_logged) == (Decimal("16.5"), 8, 2)
    assert (row.training_needed, row.experience_needed, row.supervision_needed) == (Decimal("29.5"), 492, 23)
    assert row.is_ce_short is False


def test_trainee_hours_beyond_the_requirement_leave_nothing_needed(frozen_today, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), type=default_type(CPRS), in_training=True)
    for day in range(4):
        TraineeHoursFactory(membership=program_membership(peer), kind=HoursKind.TRAINING, hours=20,
                            worked_on=frozen_today - timedelta(days=day))
    assert status_of(credential, frozen_today).training_needed == 0


def test_ended_credential_is_ended_whatever_its_dates(frozen_today, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=10,
                                   ended_on=frozen_today, end_reason=Credential.EndReason.LAPSED)
    assert status_of(credential, frozen_today).status == Status.ENDED


def test_the_expiring_window_is_the_programs_setting(frozen_today, program, peer, program_membership):
    program.expiring_window_days = 30
    program.save()
    full_ce(program_membership(peer), frozen_today)
    in_31 = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=31)
    in_30 = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=30,
                              type=default_type(PR))
    assert status_of(in_31, frozen_today).status == Status.CURRENT
    assert status_of(in_30, frozen_today).status == Status.EXPIRING


def test_today_is_the_programs_today(program, peer, program_membership):
    # 01:30 UTC on March 16 is still March 15 in New York: a credential expiring on the 15th is not expired.
    with time_machine.travel(datetime(2026, 3, 16, 1, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        today = program.today()
        credential = CredentialFactory(membership=program_membership(peer), expires_on=today,
                                       issued_on=today - timedelta(days=700))
        assert today.isoformat() == "2026-03-15"
        assert status_of(credential, today).status == Status.EXPIRING


def test_expiring_and_expired_querysets(frozen_today, peer, other_peer, program_membership):
    cprs, pr = default_type(CPRS), default_type(PR)
    today_ = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=0, type=cprs)
    in_90 = CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=90, type=pr)
    in_91 = CredentialFactory(membership=program_membership(other_peer), today=frozen_today, expires_in=91, type=cprs)
    yesterday = CredentialFactory(membership=program_membership(other_peer), today=frozen_today, expires_in=-1, type=pr)
    CredentialFactory(membership=program_membership(other_peer),
                      type=default_type("Registered Peer Recovery Specialist"),
                      in_training=True)
    assert set(Credential.objects.expiring(today=frozen_today)) == {today_, in_90}
    assert set(Credential.objects.expiring(today=frozen_today, within=7)) == {today_}
    assert set(Credential.objects.expiring(today=frozen_today, within=91)) == {today_, in_90, in_91}
    assert set(Credential.objects.expired(today=frozen_today)) == {yesterday}


# --- CE short: within the program's CE short window and below the requirement (issue 15, defect 2) ---

def renewed(membership, today, *, cycle_day: int):
    """A CPRS renewed years ago and again at the start of its current 24-month cycle; ``today`` is day
    ``cycle_day`` of that cycle (day 0: the first day; 730: the expiry day, the last day)."""
    cycle_start = today - timedelta(days=cycle_day)
    from peers.models import add_months

    return CredentialFactory(membership=membership, issued_on=cycle_start.replace(year=cycle_start.year - 4),
                             expires_on=add_months(cycle_start, 24))


@pytest.mark.parametrize("cycle_day", [0, 9])
def test_a_credential_renewed_days_ago_with_no_ce_yet_is_current_not_ce_short(
        frozen_today, peer, program_membership, cycle_day):
    credential = renewed(program_membership(peer), frozen_today, cycle_day=cycle_day)
    row = status_of(credential, frozen_today)
    assert row.cycle_start == frozen_today - timedelta(days=cycle_day)
    assert (row.ce_logged, row.ce_needed) == (0, 20)  # still to do: shown, but not a shortfall
    assert row.is_ce_short is False and row.status == Status.CURRENT


def test_on_the_last_day_of_the_cycle_missing_hours_are_ce_short_and_full_hours_are_not(
        frozen_today, peer, other_peer, program_membership):
    short = renewed(program_membership(peer), frozen_today, cycle_day=0)
    short.expires_on = frozen_today
    short.save()
    met = CredentialFactory(membership=program_membership(other_peer), today=frozen_today, expires_in=0)
    full_ce(program_membership(other_peer), frozen_today)
    short_row, met_row = status_of(short, frozen_today), status_of(met, frozen_today)
    assert short_row.days_to_expiry == 0 and short_row.is_ce_short is True
    assert short_row.status == Status.EXPIRING  # expiring comes first; the board still shows "CE short"
    assert met_row.is_ce_short is False


@pytest.mark.parametrize("expires_in, short", [(180, True), (181, False)])
def test_ce_short_starts_at_the_programs_ce_short_window(frozen_today, program, peer, program_membership,
                                                         expires_in, short):
    assert program.ce_short_window_days == 180
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today,
                                      expires_in=expires_in), frozen_today)
    assert row.is_ce_short is short
    assert row.status == (Status.CE_SHORT if short else Status.CURRENT)


def test_the_ce_short_window_is_the_programs_setting(frozen_today, program, peer, program_membership):
    program.ce_short_window_days = 400
    program.save()
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=365),
                    frozen_today)
    assert row.status == Status.CE_SHORT


def test_an_expired_credential_is_expired_not_ce_short(frozen_today, peer, program_membership):
    row = status_of(CredentialFactory(membership=program_membership(peer), today=frozen_today, expires_in=-1),
                    frozen_today)
    assert row.status == Status.EXPIRED and row.is_ce_short is False
