"""A hand-built world for the report measures: the first quarter of 2025 at Riverside (America/New_York).

``peer`` carries A, B, C and D; ``other_team_peer`` (supervised by ``other_supervisor``) carries E. Every
expected number in tests/reports/test_measures.py is worked out by hand from the comments below.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from clients.models import Episode, FollowUp, SessionNote
from outcomes.models import Interview, Observation, OutcomeSettings
from recovery.models import Membership
from reports.periods import Period
from reports.scope import Base, Filters
from tests.factories import ClientFactory, SessionNoteFactory, SupervisionSessionFactory, make_staff
from tests.outcomes.conftest import record, shipped_scale

NY = zoneinfo.ZoneInfo("America/New_York")
Q1 = Period(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "Q1 2025")
D = datetime.date


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NY)


def episode(client, started, discharged=None, reason=""):
    return Episode.objects.create(client=client, started_on=started, discharged_on=discharged,
                                  discharge_reason=reason, referral_source=Episode.ReferralSource.SELF,
                                  created_by=client.created_by)


def note(client, day, *, minutes=60, kind=SessionNote.ContactType.INDIVIDUAL, computed=None, billable=None,
         sign_hours=1, late=False, crisis=False, start=datetime.time(10, 0)):
    """A signed note; signed ``sign_hours`` after the session ended (a signed note is final: set at once)."""
    ended = datetime.datetime.combine(day, start, tzinfo=NY) + datetime.timedelta(minutes=minutes)
    computed = minutes // 15 if computed is None else computed
    return SessionNoteFactory(client=client, session_date=day, start_time=start, end_time=ended.time(),
                              duration_minutes=minutes, ended_at=ended, contact_type=kind, signed=True,
                              signed_at=ended + datetime.timedelta(hours=sign_hours), units_computed=computed,
                              units_billable=computed if billable is None else billable, late_entry=late,
                              crisis_flag=crisis, crisis_description="Safety plan reviewed." if crisis else "")


@pytest.fixture
def world(program, peer, other_peer, supervisor, other_supervisor, admin):
    other_team_peer = make_staff(program, Membership.Role.PEER, supervisor=other_supervisor,
                                 full_name="Tess Otherteam", email="tess@example.org")
    a, b, c, d = (ClientFactory(program=program, primary_peer=peer, episode=False, full_name=f"{x} Example")
                  for x in "ABCD")
    e = ClientFactory(program=program, primary_peer=other_team_peer, episode=False, full_name="E Example")
    # A: first intake Jan 10, discharged (moved) Feb 1, enrolled again Mar 1: new, once; one discharge.
    episode(a, D(2025, 1, 10), D(2025, 2, 1), "moved")
    episode(a, D(2025, 3, 1))
    # B: an earlier episode (2024), enrolled again Feb 15: re-enrolled.
    episode(b, D(2024, 6, 1), D(2024, 12, 1), "lost_contact")
    episode(b, D(2025, 2, 15))
    # C: enrolled since 2024, only an outreach attempt in the quarter. D: discharged (completed) Mar 20.
    episode(c, D(2024, 1, 1))
    episode(d, D(2024, 1, 1), D(2025, 3, 20), "completed")
    episode(e, D(2024, 1, 1))

    # Notes (all signed). Minutes / units delivered / units billable:
    note(a, D(2025, 1, 15))                                            # 60 / 4 / 4, individual
    note(a, D(2025, 2, 20), minutes=30, kind=SessionNote.ContactType.PHONE)  # 30 / 2 / 2
    # Mar 31, 11:30 pm in New York (Apr 1 in UTC), signed Apr 5 (after the quarter): a late entry that
    # still counts in Q1.
    note(a, D(2025, 3, 31), minutes=30, start=datetime.time(23, 0), late=True, sign_hours=120)  # 30 / 2 / 2
    note(b, D(2025, 2, 20), minutes=240, computed=16, billable=12)     # 240 / 16 / 12: 4 over the daily cap
    note(c, D(2025, 3, 5), minutes=15, kind=SessionNote.ContactType.OUTREACH, billable=0)  # 15 / 1 / 0
    note(c, D(2024, 12, 20))                                           # before the quarter
    note(d, D(2025, 1, 5), kind=SessionNote.ContactType.GROUP, crisis=True)  # 60 / 4 / 4, crisis
    note(e, D(2025, 1, 20))                                            # other team
    note(a, D(2025, 4, 1))                                             # after the quarter
    # Signatures: one hour after the session ended, the late one 120 hours after.

    # Follow-ups due in the quarter: on time (closed on the due day), on time in New York though the next
    # day in UTC, open past due, cancelled (not counted); one due in April.
    def followup(client, due, status=FollowUp.Status.OPEN, closed_at=None, reason=""):
        return FollowUp.objects.create(client=client, due_on=due, assignee=peer, purpose="Call back",
                                       status=status, closed_at=closed_at, closed_by=peer if closed_at else None,
                                       close_reason=reason, created_by=peer)
    followup(a, D(2025, 2, 1), FollowUp.Status.DONE, at(D(2025, 2, 1), 15))
    followup(a, D(2025, 2, 10), FollowUp.Status.DONE, at(D(2025, 2, 10), 22))
    followup(a, D(2025, 2, 5), FollowUp.Status.DONE, at(D(2025, 2, 7), 9))  # done two days late
    followup(b, D(2025, 3, 1))
    followup(c, D(2025, 3, 15), FollowUp.Status.CANCELLED, at(D(2025, 3, 2), 9), reason="Moved away.")
    followup(c, D(2025, 4, 2))

    # Supervision: a signed group session (90 min) with peer and other_peer; a draft; another team's.
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer], held_on=D(2025, 2, 10),
                              duration_minutes=90, signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], held_on=D(2025, 2, 11), duration_minutes=60)
    SupervisionSessionFactory(supervisor=other_supervisor, supervisees=[other_team_peer], held_on=D(2025, 2, 12),
                              duration_minutes=45, signed=True)

    # Recovery capital (BARC-10, marker 47): A 30 -> 50, B 48 -> 40, C one check-in only.
    barc = shipped_scale()
    record(a, barc, D(2025, 1, 15), *([3] * 10))
    record(a, barc, D(2025, 3, 10), *([5] * 10))
    record(b, barc, D(2024, 12, 1), *([5] * 8 + [4] * 2))
    record(b, barc, D(2025, 2, 20), *([4] * 10))
    record(c, barc, D(2025, 1, 20), *([4] * 10))

    # GPRA (windows 5-8 months after intake): A's follow-up completed Jan 20 in its window; B's window
    # closed Mar 1 with nothing recorded (missed, settled on its last day, Feb 28).
    OutcomeSettings.objects.create(program=program, gpra_enabled=True)
    Interview.objects.create(client=a, kind=Interview.Kind.INTAKE, held_on=D(2024, 6, 15), recorded_by=peer)
    Interview.objects.create(client=a, kind=Interview.Kind.FOLLOWUP, held_on=D(2025, 1, 20), recorded_by=peer)
    Interview.objects.create(client=b, kind=Interview.Kind.INTAKE, held_on=D(2024, 7, 1), recorded_by=peer)

    Observation.objects.create(client=a, question="gender", observed_on=D(2024, 6, 1), codes=["woman"],
                               recorded_by=peer)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "other_team_peer": other_team_peer}


@pytest.fixture
def base_for(program):
    def _base(user, period=Q1, **filters):
        user.__dict__.pop("_lantern_reach", None)
        return Base(user, program, period, datetime.date(2026, 11, 30), Filters(**filters))
    return _base
