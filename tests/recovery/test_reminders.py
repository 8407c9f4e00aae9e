"""Reminder sweeps: the right people, at the thresholds, never a day early or late, exactly once."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients import reminders as clients_reminders
from clients import tasks as clients_tasks
from outcomes import reminders as outcomes_reminders
from outcomes import tasks as outcomes_tasks
from peers import reminders as peers_reminders
from peers import tasks as peers_tasks
from peers.reminders import threshold_for
from recovery.models import Notification
from recovery.reminders import BATCH, SWEEPS, sweep_run
from referrals import reminders as referrals_reminders
from referrals import tasks as referrals_tasks
from supervision import reminders as supervision_reminders
from supervision import tasks as supervision_tasks
from tests.factories import (
    RPRS,
    ClientFactory,
    ConsentFactory,
    ContinuingEducationFactory,
    CredentialFactory,
    RecoveryPlanFactory,
    UserFactory,
    default_type,
    membership_of,
)
from tests.outcomes.conftest import shipped_scale

TODAY = date(2026, 6, 1)
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def sent(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", "dedupe_key"))


def recipients(kind):
    return sorted({email for email, _ in sent(kind)})


def run(sweep, program, day=TODAY):
    return sweep_run(sweep, program, day)


@pytest.mark.parametrize(
    "days_left,expected",
    [(91, None), (90, 90), (61, 90), (60, 60), (45, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, 0)],
)
def test_threshold_for_each_day(days_left, expected):
    assert threshold_for(days_left, [90, 60, 30, 7, 0]) == expected


def test_credential_expiry_reaches_holder_supervisor_and_admins(program, peer, supervisor, admin, other_peer):
    CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=30)
    assert run(peers_reminders.credential_expiry, program) == 3
    assert recipients("credential_expiry") == sorted([peer.email, supervisor.email, admin.email])
    title = Notification.objects.filter(kind="credential_expiry").first().title
    assert title == f"{peer.full_name}'s CPRS expires in 30 days"


@pytest.mark.parametrize("days_left", [91, 89, 61, 31, 29, 8, 6, 1])
def test_credential_reminders_fire_on_their_day_not_before(program, peer, admin, days_left):
    """A credential first seen by the sweep at ``days_left`` gets exactly the reminder due then."""
    CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=days_left)
    run(peers_reminders.credential_expiry, program)
    keys = {key.rsplit(":", 1)[1] for _, key in sent("credential_expiry")}
    assert keys == ({str(threshold_for(days_left, [90, 60, 30, 7, 0]))} if days_left <= 90 else set())


def test_a_credential_counted_down_day_by_day_gets_each_reminder_once(program, peer):
    credential = CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=95)
    fired_on = {}
    for offset in range(0, 100):
        day = TODAY + timedelta(days=offset)
        before = set(Notification.objects.filter(recipient=peer).values_list("dedupe_key", flat=True))
        run(peers_reminders.credential_expiry, program, day)
        for key in set(Notification.objects.filter(recipient=peer).values_list("dedupe_key", flat=True)) - before:
            fired_on[key.rsplit(":", 1)[1]] = (credential.expires_on - day).days
    assert fired_on == {"90": 90, "60": 60, "30": 30, "7": 7, "0": 0}


def test_expired_ended_and_inactive_are_not_reminded(program, peer, other_peer):
    CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=-1)
    CredentialFactory(membership=membership_of(peer), type=default_type(RPRS), today=TODAY, expires_in=30,
                      ended_on=TODAY, end_reason="lapsed")
    other_peer.is_active = False
    other_peer.save()
    CredentialFactory(membership=membership_of(other_peer), today=TODAY, expires_in=30)
    assert run(peers_reminders.credential_expiry, program) == 0


def test_thresholds_are_a_program_setting(program, peer):
    program.credential_reminder_days = [45]
    program.save()
    CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=45)
    CredentialFactory(membership=membership_of(peer), type=default_type(RPRS), today=TODAY, expires_in=46)
    run(peers_reminders.credential_expiry, program)
    assert {key.split(":")[-1] for _, key in sent("credential_expiry")} == {"45"}
    assert len({key for _, key in sent("credential_expiry")}) == 1


def test_ce_short_within_the_window_goes_to_holder_and_admins(program, peer, supervisor, admin):
    membership = membership_of(peer)
    CredentialFactory(membership=membership, today=TODAY, expires_in=80)  # CPRS: 20 h, 3 ethics
    ContinuingEducationFactory(membership=membership, completed_on=TODAY - timedelta(days=30), hours=20,
                               ethics_hours=2)
    run(peers_reminders.ce_short, program)
    assert recipients("ce_short") == sorted([peer.email, admin.email])
    title = Notification.objects.filter(kind="ce_short").first().title
    assert "1 ethics hour " in title and "ethics hours" not in title  # singular (issue 15, defect 4)


def test_ce_short_not_before_the_window_nor_when_met(program, peer, other_peer, admin):
    CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=181)  # CE short window: 180
    met = membership_of(other_peer)
    CredentialFactory(membership=met, today=TODAY, expires_in=30)
    ContinuingEducationFactory(membership=met, completed_on=TODAY - timedelta(days=30), hours=20, ethics_hours=3)
    assert run(peers_reminders.ce_short, program) == 0


def test_consent_expiring_in_30_days_reminds_the_primary_peer(program, peer, supervisor):
    client = ClientFactory(program=program, primary_peer=peer)
    ConsentFactory(client=client, signed_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=30))
    ConsentFactory(client=ClientFactory(program=program, primary_peer=peer),
                   signed_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=31))
    run(clients_reminders.consent_expiring, program)
    assert recipients("consent_expiring") == [peer.email]
    notification = Notification.objects.get(kind="consent_expiring")
    assert client.full_name not in notification.title
    assert notification.url == client.get_absolute_url()


def test_plan_review_due_in_14_days_reminds_the_primary_peer(program, peer):
    RecoveryPlanFactory(client=ClientFactory(program=program, primary_peer=peer), started_on=TODAY - timedelta(30),
                        review_on=TODAY + timedelta(days=14))
    RecoveryPlanFactory(client=ClientFactory(program=program, primary_peer=peer), started_on=TODAY - timedelta(30),
                        review_on=TODAY + timedelta(days=15))
    run(clients_reminders.plan_review, program)
    assert [title for title in Notification.objects.values_list("title", flat=True)] == [
        "A recovery plan review is due in 14 days"
    ]


def test_participants_needing_assignment_or_of_other_programs_are_skipped(program, other_program, peer, outsider):
    ConsentFactory(client=ClientFactory(program=program, primary_peer=None),
                   signed_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=10))
    run(clients_reminders.consent_expiring, other_program)
    run(clients_reminders.consent_expiring, program)
    assert Notification.objects.count() == 0


def test_participants_of_a_peer_who_left_the_program_are_skipped(program, peer):
    """Their participants are "needs assignment" (supervisors see them there); the former peer, who may
    still work in another program, is not reminded of people they no longer carry."""
    client = ClientFactory(program=program, primary_peer=peer)
    ConsentFactory(client=client, signed_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=10))
    RecoveryPlanFactory(client=client, started_on=TODAY - timedelta(30), review_on=TODAY + timedelta(days=2))
    membership_of(peer).__class__.objects.filter(user=peer, program=program).update(is_active=False)
    for sweep in (clients_reminders.consent_expiring, clients_reminders.plan_review, clients_reminders.no_contact):
        run(sweep, program)
    assert Notification.objects.count() == 0


@pytest.fixture
def a_bit_of_everything(program, peer, supervisor, admin):
    CredentialFactory(membership=membership_of(peer), today=TODAY, expires_in=7)
    client = ClientFactory(program=program, primary_peer=peer)
    ConsentFactory(client=client, signed_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=3))
    RecoveryPlanFactory(client=client, started_on=TODAY - timedelta(30), review_on=TODAY + timedelta(days=2))


def test_running_every_sweep_twice_sends_each_reminder_once(program, a_bit_of_everything):
    first = sum(run(sweep, program) for sweep in SWEEPS)
    second = sum(run(sweep, program) for sweep in SWEEPS)
    assert first == Notification.objects.count() > 0
    assert second == 0


def test_two_sweeps_at_once_send_each_reminder_once(program, a_bit_of_everything, transactional_db):
    shipped_scale()  # the shipped check-in instrument, whatever an earlier transactional test flushed
    errors = []

    def sweep():
        try:
            for each in SWEEPS:
                run(each, program)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    keys = list(Notification.objects.values_list("recipient_id", "dedupe_key"))
    # 3 credential expiry + 2 CE short + consent + plan + 2 no contact (peer and supervisor: the
    # participant's intake was 60 days ago and nobody has seen them since) + the supervisor's weekly
    # digest (TODAY is a Monday, noon) + the intake check-in due since the participant's intake
    assert len(keys) == len(set(keys)) == 11, keys


def test_beat_entry_points_run_every_sweep_for_every_program(program, a_bit_of_everything, other_program):
    enqueued = sum(tasks.sweep_reminders() for tasks in (peers_tasks, clients_tasks, referrals_tasks,
                                                          supervision_tasks, outcomes_tasks))
    assert enqueued == 2 * len(SWEEPS)
    # The ten above (outcomes' sweeps are tested in tests/outcomes/).
    assert Notification.objects.exclude(kind__in=["checkin_due", "gpra_window"]).count() == 10


def test_every_beat_entry_names_a_task_the_worker_knows(settings):
    from recovery.celery import app

    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    sweeps = {f"{app_name}.tasks.sweep_reminders"
              for app_name in ("peers", "clients", "referrals", "supervision", "outcomes")}
    assert sweeps <= tasks
    assert tasks <= set(app.tasks)


def test_every_app_registers_its_sweeps_in_order():
    assert [
        peers_reminders.credential_expiry, peers_reminders.ce_short,
        clients_reminders.consent_expiring, clients_reminders.plan_review, clients_reminders.followup_due,
        clients_reminders.no_contact, clients_reminders.draft_notes,
        referrals_reminders.referral_no_update,
        supervision_reminders.supervision_overdue, supervision_reminders.weekly_digest,
        outcomes_reminders.checkin_due, outcomes_reminders.gpra_window,
    ] == SWEEPS


def queries_for(program, sweep):
    with CaptureQueriesContext(connection) as captured:
        sweep_run(sweep, program, TODAY)
    return len(captured)


def staff_with_credentials(program, count, offset):
    from peers.models import Credential
    from recovery.models import Membership, User

    users = User.objects.bulk_create(
        UserFactory.build(email=f"bulk{offset + i}@example.org") for i in range(count)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=user, program=program, role=Membership.Role.PEER) for user in users
    )
    Credential.objects.bulk_create(
        CredentialFactory.build(membership=m, today=TODAY, expires_in=30 + i % 50) for i, m in enumerate(memberships)
    )


@pytest.mark.parametrize("sweep", [peers_reminders.credential_expiry, peers_reminders.ce_short])
def test_credential_sweeps_run_a_fixed_number_of_queries_per_batch(program, admin, sweep):
    staff_with_credentials(program, 3, 0)
    small = queries_for(program, sweep)
    Notification.objects.all().delete()
    staff_with_credentials(program, BATCH + 200, 10)
    large = queries_for(program, sweep)
    # One more batch of 1,000 credentials: one read, the dedupe and preference reads, the inserts of its
    # notifications 500 rows at a time (2 per admin and holder here), and the batch's savepoint.
    per_batch = large - small
    assert small <= 12 and per_batch <= 14, (small, large)
    assert Notification.objects.filter(kind=sweep.__name__).count() == 2 * (BATCH + 203)


# --- Follow-ups, contact and unsigned notes (clients/reminders.py) ------------------------------------


def followup(peer, program, due_in):
    from tests.factories import FollowUpFactory

    return FollowUpFactory(client=ClientFactory(program=program, primary_peer=peer), due_on=TODAY + timedelta(due_in))


@pytest.mark.parametrize("due_in,expected", [
    (1, set()),  # not a day early
    (0, {"followup_due"}),
    (-1, set()), (-2, set()),  # overdue, but not yet by 3 days
    (-3, {"followup_overdue"}),
    (-10, {"followup_overdue"}),  # a missed day is caught up, once
])
def test_followup_reminders_at_their_edges(program, peer, supervisor, due_in, expected):
    followup(peer, program, due_in)
    run(clients_reminders.followup_due, program)
    assert {key.split(":")[0] for _, key in sent("followup_due")} == expected


def test_overdue_followup_reaches_the_supervisor_too(program, peer, supervisor, admin):
    followup(peer, program, -3)
    run(clients_reminders.followup_due, program)
    assert recipients("followup_due") == sorted([peer.email, supervisor.email])
    assert Notification.objects.filter(kind="followup_due").first().title == "A follow-up is 3 days overdue"


def test_done_followups_are_not_reminded(program, peer):
    item = followup(peer, program, 0)
    item.status = "done"
    item.closed_at = NOON
    item.closed_by = peer
    item.save()
    assert run(clients_reminders.followup_due, program) == 0


def contact(peer, program, days_ago, **client_fields):
    from tests.factories import SessionNoteFactory

    client = ClientFactory(program=program, primary_peer=peer, **client_fields)
    SessionNoteFactory(client=client, session_date=TODAY - timedelta(days=days_ago))
    return client


@pytest.mark.parametrize("days_ago,expected", [
    (30, set()),
    (31, {"peer"}),
    (45, {"peer"}),
    (46, {"peer", "supervisor"}),
])
def test_no_contact_reminders_at_their_edges(program, peer, supervisor, days_ago, expected):
    contact(peer, program, days_ago)
    run(clients_reminders.no_contact, program)
    assert {key.rsplit(":", 1)[1] for _, key in sent("no_contact")} == expected


def test_no_contact_is_not_reminded_for_discharged_participants(program, peer):
    contact(peer, program, 90, status="discharged")
    assert run(clients_reminders.no_contact, program) == 0


def draft_ended(peer, program, hours_ago):
    from tests.factories import SessionNoteFactory

    client = ClientFactory(program=program, primary_peer=peer)
    ended = NOON - timedelta(hours=hours_ago)
    return SessionNoteFactory(client=client, session_date=ended.date(), ended_at=ended)


@pytest.mark.parametrize("hours_ago,expected", [
    (47, set()),
    (49, {"draft_late"}),
    (97, {"draft_late", "draft_late_supervisor"}),
])
def test_unsigned_note_reminders_at_their_edges(program, peer, supervisor, hours_ago, expected):
    draft_ended(peer, program, hours_ago)
    run(clients_reminders.draft_notes, program)
    assert {key.split(":")[0] for _, key in sent("draft_notes")} == expected


def test_signed_notes_are_not_reminded(program, peer):
    from tests.factories import SessionNoteFactory

    SessionNoteFactory(client=ClientFactory(program=program, primary_peer=peer), signed=True,
                       session_date=TODAY - timedelta(days=10))
    assert run(clients_reminders.draft_notes, program) == 0


def test_reminder_texts_never_name_the_participant(program, peer, supervisor):
    client = contact(peer, program, 60, full_name="Zebulon Quartermaine")
    from tests.factories import FollowUpFactory, SessionNoteFactory

    FollowUpFactory(client=client, due_on=TODAY - timedelta(days=5))
    SessionNoteFactory(client=client, session_date=TODAY - timedelta(days=5))
    ConsentFactory(client=client, signed_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=3))
    for sweep in SWEEPS:
        run(sweep, program)
    texts = " ".join(f"{t} {b}" for t, b in Notification.objects.values_list("title", "body"))
    assert Notification.objects.count() >= 5
    assert "Zebulon" not in texts and "Quartermaine" not in texts


@pytest.mark.parametrize("sweep", [clients_reminders.followup_due, clients_reminders.no_contact])
def test_participant_sweeps_run_a_fixed_number_of_queries_per_batch(program, peer, supervisor, sweep):
    from tests.factories import bulk_clients, bulk_followups

    def make(count):
        for client in bulk_clients(program, peer, count, prefix=f"Q{count}"):
            bulk_followups(client, 1, due_from=TODAY - timedelta(days=5))

    make(3)
    small = queries_for(program, sweep)
    Notification.objects.all().delete()
    make(BATCH + 100)
    large = queries_for(program, sweep)
    assert small <= 12 and large - small <= 14, (small, large)


# --- Supervision (supervision/reminders.py) ---------------------------------------------------------


def supervised(supervisor, peer, days_ago):
    from tests.factories import SupervisionSessionFactory

    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], held_on=TODAY - timedelta(days=days_ago),
                              signed=True)


@pytest.mark.parametrize("days_ago,fires", [(30, False), (31, True)])
def test_supervision_overdue_past_the_programs_frequency(program, supervisor, peer, admin, days_ago, fires):
    supervised(supervisor, peer, days_ago)
    run(supervision_reminders.supervision_overdue, program)
    expected = sorted([supervisor.email, admin.email]) if fires else []
    assert recipients("supervision_overdue") == expected


def test_supervision_overdue_counts_from_the_start_when_never_supervised(program, supervisor, peer):
    from recovery.models import Membership

    Membership.objects.filter(user=peer).update(created_at=NOON - timedelta(days=20))
    assert run(supervision_reminders.supervision_overdue, program) == 0
    Membership.objects.filter(user=peer).update(created_at=NOON - timedelta(days=40))
    assert run(supervision_reminders.supervision_overdue, program) == 1


MONDAY_8AM = datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("America/New_York"))  # June 1, 2026 is a Monday


def test_weekly_digest_goes_to_each_supervisor_on_monday_morning_once(program, supervisor, peer, other_peer,
                                                                        other_team_peer, admin):
    ClientFactory(program=program, primary_peer=peer)
    with time_machine.travel(MONDAY_8AM - timedelta(hours=2), tick=False):  # 6 am: too early
        assert run(supervision_reminders.weekly_digest, program) == 0
    with time_machine.travel(MONDAY_8AM, tick=False):
        assert run(supervision_reminders.weekly_digest, program) == 2  # both supervisors
        assert run(supervision_reminders.weekly_digest, program) == 0
    digest = Notification.objects.get(kind="weekly_digest", recipient=supervisor)
    assert digest.title == "Your team this week (2 people)"
    assert "Active participants: 1" in digest.body
    assert "Supervision overdue: 2 of 2 people" in digest.body


def test_weekly_digest_not_on_other_days(program, supervisor, peer):
    with time_machine.travel(MONDAY_8AM + timedelta(days=1), tick=False):
        assert run(supervision_reminders.weekly_digest, program, TODAY + timedelta(days=1)) == 0
