"""The caseload review dashboard: every number matches the list it links to (Done when 2), at the edges
(a draft exactly at its signing deadline, a follow-up due today versus yesterday, the first and last day
of each window) and for the demo data."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Episode, SessionNote
from recovery import demo
from recovery.models import Membership
from referrals.services import referral_update
from supervision.dashboard import METRICS
from supervision.models import NoteReview
from tests.factories import (
    ClientFactory,
    CredentialFactory,
    FollowUpFactory,
    SessionNoteFactory,
    SupervisionSessionFactory,
    dimensions,
    membership_of,
    referral_for,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = datetime.datetime(2026, 11, 18, 15, 0, tzinfo=NEW_YORK)  # mid-month, mid-afternoon
TODAY = NOW.date()


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def signed_note(client, *, on: int, author=None, **fields) -> SessionNote:
    return SessionNoteFactory(client=client, author=author or client.primary_peer, session_date=day(on),
                              signed=True, **fields)


@pytest.fixture
def edges(frozen, program, peer, other_peer, supervisor):
    """``peer``'s caseload with one row on each side of every edge; returns the ids each list must show."""
    mine = ClientFactory(program=program, primary_peer=peer, full_name="Edge Recent")
    busy = ClientFactory(program=program, primary_peer=peer, full_name="Edge Busy")
    quiet = ClientFactory(program=program, primary_peer=peer, full_name="Edge Quiet")
    new = ClientFactory(program=program, primary_peer=peer, full_name="Edge New", episode=False)
    Episode.objects.create(client=new, started_on=day(-5), referral_source="self", created_by=peer)
    gone = ClientFactory(program=program, primary_peer=peer, full_name="Edge Discharged",
                         status=Client.Status.DISCHARGED)
    theirs = ClientFactory(program=program, primary_peer=other_peer, full_name="Edge Theirs")
    expected = {"active": {mine.pk, busy.pk, quiet.pk, new.pk}}
    # No contact: reached 31 days ago (past the 30-day window); ``new`` came in 5 days ago.
    signed_note(quiet, on=-31)
    expected["no-contact"] = {quiet.pk}

    # Contacts: the window starts no_contact_days (30) ago, that day included.
    contacts = [signed_note(mine, on=-30), SessionNoteFactory(client=mine, session_date=day(0),
                                                               start_time=datetime.time(9), end_time=datetime.time(10))]
    signed_note(mine, on=-3, contact_type=SessionNote.ContactType.OUTREACH)  # an attempt, not a contact
    signed_note(theirs, on=-1)  # another peer's participant

    # Follow-ups: due yesterday is overdue, due today is not; closed ones never are.
    overdue = FollowUpFactory(client=mine, due_on=day(-1), created_by=peer)
    FollowUpFactory(client=mine, due_on=day(0), created_by=peer)
    FollowUpFactory(client=busy, due_on=day(-9), created_by=peer, status="done", closed_at=NOW, closed_by=peer)
    theirs_for_me = FollowUpFactory(client=theirs, assignee=peer, due_on=day(-4), created_by=other_peer)
    expected["overdue-followups"] = {overdue.pk, theirs_for_me.pk}

    # Drafts: exactly at the 48-hour deadline is not past it; a second later is.
    deadline = datetime.timedelta(hours=program.signing_deadline_hours)
    at_deadline = SessionNoteFactory(client=mine, session_date=day(-2), end_time=None, start_time=None)
    past = SessionNoteFactory(client=busy, session_date=day(-3), end_time=None, start_time=None)
    SessionNote.objects.filter(pk=at_deadline.pk).update(ended_at=timezone.now() - deadline)
    SessionNote.objects.filter(pk=past.pk).update(ended_at=timezone.now() - deadline - datetime.timedelta(seconds=1))
    expected["late-drafts"] = {past.pk}
    contacts += [at_deadline, past]  # drafts of contacts are contacts

    # Late entries: of sessions this month (from the 1st), signed late.
    late = signed_note(mine, on=-17, late_entry=True)  # Nov 1
    contacts += [late, signed_note(mine, on=-18, late_entry=True), signed_note(mine, on=-4)]  # Oct 31; on time
    expected["late-entries"] = {late.pk}

    # Crisis flags: the last 14 days, the 14th day included.
    crisis = signed_note(busy, on=-14, crisis_flag=True, crisis_description="Relapse talk.")
    contacts += [crisis, signed_note(busy, on=-15, crisis_flag=True, crisis_description="Older.")]
    expected["crisis"] = {crisis.pk}
    expected["contacts"] = {note.pk for note in contacts}

    # Reviews: pending counts; returned and approved do not.
    waiting = NoteReview.objects.create(note=signed_note(mine, on=-40), author_membership=membership_of(peer),
                                        reason="all", first_queued_at=NOW, queued_at=NOW)
    NoteReview.objects.create(note=signed_note(mine, on=-41), author_membership=membership_of(peer), reason="all",
                              status="returned", first_queued_at=NOW, queued_at=NOW, decided_at=NOW)
    NoteReview.objects.create(note=signed_note(mine, on=-42), author_membership=membership_of(peer), reason="all",
                              status="approved", first_queued_at=NOW, queued_at=NOW, decided_at=NOW)
    expected["awaiting-review"] = {waiting.pk}

    # Referrals without an outcome: made or connected, of participants they carry.
    made, connected, completed, declined = (referral_for(c) for c in (mine, busy, mine, busy))
    referral_update(referral=connected, by=peer, status="connected", on=connected.made_on)
    referral_update(referral=completed, by=peer, status="completed", on=completed.made_on)
    referral_update(referral=declined, by=peer, status="not_completed", reason="declined", on=declined.made_on)
    referral_for(theirs, by=other_peer)
    expected["open-referrals"] = {made.pk, connected.pk}
    assert gone.pk not in expected["active"]
    return expected


def dashboard_row(client, user) -> dict[str, int]:
    rows = client.get(reverse("supervision:dashboard")).context["rows"]
    row = next(r for r in rows if r.membership.user == user)
    return {metric.slug: number for metric, number in row.numbers}


def listed(client, user, slug: str) -> tuple[int, set[int]]:
    response = client.get(reverse("supervision:metric", args=[user.uuid, slug]))
    page = response.context["page"]
    return page.paginator.count, {item.pk for item in page.object_list}


def test_every_number_matches_its_list_at_the_edges(login, supervisor, peer, edges):
    client = login(supervisor)
    numbers = dashboard_row(client, peer)
    for slug, ids in edges.items():
        assert listed(client, peer, slug) == (len(ids), ids), slug
        assert numbers[slug] == len(ids), slug
    assert set(numbers) == {m.slug for m in METRICS}


def test_an_admin_sees_the_same_numbers_as_the_supervisor(login, supervisor, admin, peer, edges):
    assert dashboard_row(login(admin), peer) == dashboard_row(login(supervisor), peer)


def test_the_time_is_read_on_every_request_though_the_counts_are_compiled_once(login, frozen, supervisor, peer,
                                                                              edges):
    # The counts' SQL is compiled once for the day and the scope (recovery.compiled); the time is a parameter
    # of each request: a second later, the draft that sat exactly at its deadline is late.
    client = login(supervisor)
    assert dashboard_row(client, peer)["late-drafts"] == 1
    frozen.shift(datetime.timedelta(seconds=1))
    assert dashboard_row(client, peer)["late-drafts"] == 2
    assert listed(client, peer, "late-drafts")[0] == 2


def test_each_number_links_to_its_list(login, supervisor, peer, edges):
    page = login(supervisor).get(reverse("supervision:dashboard")).content.decode()
    for metric in METRICS:
        assert f'href="{reverse("supervision:metric", args=[peer.uuid, metric.slug])}"' in page


def test_last_supervision_is_overdue_after_the_programs_frequency(login, frozen, program, supervisor, peer,
                                                                  other_peer):
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], held_on=day(-30), signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[other_peer], held_on=day(-31), signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[other_peer], held_on=day(-1))  # a draft
    rows = {r.membership.user: r for r in login(supervisor).get(reverse("supervision:dashboard")).context["rows"]}
    assert (rows[peer].last_supervision, rows[peer].supervision_overdue) == (day(-30), False)
    assert (rows[other_peer].last_supervision, rows[other_peer].supervision_overdue) == (day(-31), True)


def test_a_supervisee_never_supervised_is_overdue_and_credentials_show(login, program, supervisor, peer):
    CredentialFactory(membership=membership_of(peer), today=program.today(), expires_in=20)
    response = login(supervisor).get(reverse("supervision:dashboard"))
    row = response.context["rows"][0]
    assert row.last_supervision is None and row.supervision_overdue
    assert [c.status for c in row.credentials] == ["expiring"]
    assert "Never" in response.content.decode()


def test_rows_are_the_supervisors_own_team_and_an_admin_sees_every_supervised_person(
        login, program, supervisor, admin, peer, other_peer, other_team_peer, other_supervisor):
    def names(user):
        return [r.membership.user.full_name for r in login(user).get(reverse("supervision:dashboard")).context["rows"]]

    assert names(supervisor) == ["Olive Otherpeer", "Pat Peer"]
    assert names(other_supervisor) == ["Tess Otherteam"]
    assert names(admin) == ["Olive Otherpeer", "Pat Peer", "Tess Otherteam"]
    Membership.objects.filter(user=other_peer).update(is_active=False)
    assert names(supervisor) == ["Pat Peer"]


def test_the_demo_dashboard_numbers_match_their_lists(login, db):
    dimensions()
    ctx = demo.seed()
    client = login(ctx.supervisor)
    rows = client.get(reverse("supervision:dashboard")).context["rows"]
    assert len(rows) == 5
    nonzero = set()
    for row in rows:
        for metric, number in row.numbers:
            count, _ = listed(client, row.membership.user, metric.slug)
            assert count == number, f"{row.membership.user.email} {metric.slug}"
            if number:
                nonzero.add(metric.slug)
    assert "active" in nonzero
    if SessionNote.objects.filter(client__program=ctx.program).exists():  # once the demo has notes
        assert {"contacts", "awaiting-review"} <= nonzero
