"""The peer's My day, the participant page's notes sections and the caseload's new columns; their query
counts stay fixed with years of notes (Done when 6, first half)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Episode
from recovery.models import Membership
from tests.factories import (
    ClientFactory,
    FollowUpFactory,
    SessionNoteFactory,
    bulk_clients,
    bulk_followups,
    bulk_notes,
    days,
    make_staff,
)

MY_DAY_BUDGET = 20  # with the coming week (follow-ups, plan reviews): two more
PARTICIPANT_BUDGET = 32  # with documents and disclosures (records): two more


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False):
        yield


def my_day(http):
    response = http.get(reverse("home"))
    assert response.status_code == 200
    return next(s.context for s in response.context["sections"] if s.template == "clients/my_day/section.html")


def count_queries(http, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_my_day_lists_follow_ups_due_today_and_overdue_but_not_later_ones(login, mine, peer):
    FollowUpFactory(client=mine, purpose="Due today", due_on=days(0))
    FollowUpFactory(client=mine, purpose="Overdue", due_on=days(-4))
    FollowUpFactory(client=mine, purpose="Next week", due_on=days(7))
    FollowUpFactory(client=mine, purpose="Already done", due_on=days(-1), status="done", closed_by=peer,
                    closed_at=timezone.now())
    section = my_day(login(peer))
    assert [(f.purpose, late) for f, late in section["followups"]] == [("Overdue", 4), ("Due today", 0)]
    html = login(peer).get(reverse("home")).content.decode()
    assert "Overdue 4 days" in html and "Due today" in html
    assert [f.purpose for f, _ in section["upcoming"]] == ["Next week"]  # coming this week, not due yet


def test_due_today_means_today_where_the_program_works(login, mine, peer):
    FollowUpFactory(client=mine, purpose="Due on the 11th", due_on=datetime.date(2026, 3, 11))
    # 02:30 UTC on the 11th is still the evening of the 10th in New York.
    with time_machine.travel(datetime.datetime(2026, 3, 11, 2, 30, tzinfo=datetime.UTC), tick=False):
        assert my_day(login(peer))["followups"] == []
    with time_machine.travel(datetime.datetime(2026, 3, 11, 5, 0, tzinfo=datetime.UTC), tick=False):
        assert len(my_day(login(peer))["followups"]) == 1


def test_my_day_shows_follow_ups_of_a_participant_taken_over_from_another_peer(login, mine, peer, other_peer,
                                                                               supervisor):
    from clients.services import client_assign

    FollowUpFactory(client=mine, purpose="Promised by Pat", assignee=peer, due_on=days(0))
    client_assign(client=mine, peer=other_peer, by=supervisor, reason="Cover")
    assert my_day(login(peer))["followups"] == []
    assert [f.purpose for f, _ in my_day(login(other_peer))["followups"]] == ["Promised by Pat"]


def test_my_day_lists_drafts_to_sign_with_the_time_left_before_they_become_late(login, mine, peer, other_peer,
                                                                             program):
    now = timezone.now()
    SessionNoteFactory(client=mine, session_date=days(0), start_time=None, end_time=None, ended_at=now)
    SessionNoteFactory(client=mine, session_date=days(-3), start_time=None, end_time=None,
                       ended_at=now - datetime.timedelta(hours=72))
    SessionNoteFactory(client=mine, signed=True)
    section = my_day(login(peer))
    drafts = section["drafts"]
    assert len(drafts) == 2
    assert drafts[0][1] < now < drafts[1][1]  # oldest first: already late, then still in time
    assert drafts[1][1] == now + datetime.timedelta(hours=program.signing_deadline_hours)
    html = login(peer).get(reverse("home")).content.decode()
    assert "Late: sign now" in html and "Late in 1" in html  # "Late in 1 day, 23 hours" or so


def test_my_day_lists_participants_without_contact_in_the_programs_days(login, program, peer):
    program.no_contact_days = 30
    program.save()
    seen = ClientFactory(program=program, primary_peer=peer, full_name="Seen Recently")
    quiet = ClientFactory(program=program, primary_peer=peer, full_name="Quiet Thirtyone")
    ClientFactory(program=program, primary_peer=peer, full_name="Never Seen")  # enrolled 60 days ago
    new = ClientFactory(program=program, primary_peer=peer, full_name="New Arrival", episode=False)
    Episode.objects.create(client=new, started_on=days(-5), referral_source="self", created_by=peer)
    SessionNoteFactory(client=seen, session_date=days(-30), signed=True)
    SessionNoteFactory(client=quiet, session_date=days(-31), signed=True)
    SessionNoteFactory(client=quiet, session_date=days(-2), contact_type="outreach", signed=True)  # not a contact
    rows = my_day(login(peer))["quiet"]
    assert [(c.full_name, d) for c, d in rows] == [("Never Seen", 60), ("Quiet Thirtyone", 31)]


def test_my_day_lists_recent_crisis_flags(login, mine, peer):
    SessionNoteFactory(client=mine, session_date=days(-2), crisis_flag=True, crisis_description="Lost housing.")
    SessionNoteFactory(client=mine, session_date=days(-20), crisis_flag=True, crisis_description="Old one.")
    crises = my_day(login(peer))["crises"]
    assert [n.crisis_description for n in crises] == ["Lost housing."]


def test_my_day_shows_nothing_of_other_caseloads(login, mine, theirs, peer):
    FollowUpFactory(client=theirs, due_on=days(0))
    SessionNoteFactory(client=theirs, crisis_flag=True, crisis_description="Theirs", session_date=days(-1))
    section = my_day(login(peer))
    assert section["followups"] == [] and section["crises"] == []
    assert theirs.full_name not in login(peer).get(reverse("home")).content.decode()


def test_reading_my_day_is_logged_as_a_list_of_participant_data(login, mine, peer, program):
    from recovery.models import AccessLog

    login(peer).get(reverse("home"))
    entry = AccessLog.objects.get(object_type="clients.my_day")
    assert (entry.user, entry.action, entry.program_id) == (peer, AccessLog.Action.LIST, program.pk)


def test_my_day_links_to_log_a_session_and_a_group(login, peer):
    html = login(peer).get(reverse("home")).content.decode()
    assert reverse("clients:note_log") in html and reverse("clients:group_new") in html


def test_admins_and_supervisors_without_a_caseload_get_no_peer_section(login, admin, supervisor, program):
    for user in (admin, supervisor):
        templates = [s.template for s in login(user).get(reverse("home")).context["sections"]]
        assert "clients/my_day/section.html" not in templates
    ClientFactory(program=program, primary_peer=supervisor)
    templates = [s.template for s in login(supervisor).get(reverse("home")).context["sections"]]
    assert templates[0] == "clients/my_day/section.html"  # before the team section


def test_my_day_keeps_a_fixed_query_count_with_thousands_of_notes(login, program, peer, frozen):
    mine = ClientFactory(program=program, primary_peer=peer)
    http = login(peer)
    few = count_queries(http, reverse("home"))
    quiet = bulk_clients(program, peer, 200)
    Client.objects.filter(pk__in=[c.pk for c in quiet]).update(created_at=timezone.now() - datetime.timedelta(days=90))
    bulk_notes(mine, 3000, crisis_every=50)
    bulk_notes(mine, 300, signed=False, start=days(0))
    bulk_followups(mine, 500)
    many = count_queries(http, reverse("home"))
    assert few == many <= MY_DAY_BUDGET
    section = my_day(http)
    assert section["drafts_total"] == 300 and len(section["drafts"]) == 15
    assert section["quiet_total"] == 200  # the bulk participants: recorded 90 days ago, never reached
    # Due from 30 days ago to 29 days ahead, cycling: 8 full cycles of 31 due by today, then 20 more.
    assert section["followups_total"] == 8 * 31 + 20


def test_my_day_stays_fixed_for_a_supervisor_who_carries_participants(login, program, supervisor, frozen):
    mine = ClientFactory(program=program, primary_peer=supervisor)
    for _ in range(3):
        make_staff(program, Membership.Role.PEER, supervisor=supervisor)
    http = login(supervisor)
    few = count_queries(http, reverse("home"))
    bulk_notes(mine, 2000, crisis_every=40)
    bulk_followups(mine, 300)
    assert count_queries(http, reverse("home")) == few


@pytest.mark.parametrize("role", ["peer", "supervisor", "admin"])
def test_the_participant_page_keeps_a_fixed_query_count_with_a_year_of_notes(login, mine, peer, supervisor, admin,
                                                                            role, frozen):
    http = login({"peer": peer, "supervisor": supervisor, "admin": admin}[role])
    url = mine.get_absolute_url()
    SessionNoteFactory(client=mine, signed=True)
    FollowUpFactory(client=mine)
    few = count_queries(http, url)
    bulk_notes(mine, 1500, crisis_every=100)
    bulk_notes(mine, 40, signed=False)
    bulk_followups(mine, 200)
    many = count_queries(http, url)
    assert few == many <= PARTICIPANT_BUDGET


@pytest.mark.parametrize("name", ["note_list", "note_new", "followup_new"])
def test_participant_note_pages_keep_a_fixed_query_count(login, mine, peer, name, frozen):
    http = login(peer)
    url = reverse(f"clients:{name}", args=[mine.uuid])
    SessionNoteFactory(client=mine)
    FollowUpFactory(client=mine)
    few = count_queries(http, url)
    bulk_notes(mine, 1200)
    bulk_followups(mine, 100)
    assert count_queries(http, url) == few <= PARTICIPANT_BUDGET


def test_note_and_follow_up_pages_keep_a_fixed_query_count(login, mine, peer, frozen):
    from clients.models import NoteAddendum

    http = login(peer)
    draft = SessionNoteFactory(client=mine)
    signed = SessionNoteFactory(client=mine, signed=True)
    followup = FollowUpFactory(client=mine)
    urls = [draft.get_absolute_url(), signed.get_absolute_url(), reverse("clients:note_edit", args=[draft.uuid]),
            reverse("clients:addendum_new", args=[signed.uuid]), followup.get_absolute_url(),
            reverse("clients:followup_edit", args=[followup.uuid]), reverse("clients:followup_list"),
            reverse("clients:note_log"), reverse("clients:group_new")]
    few = {url: count_queries(http, url) for url in urls}
    bulk_notes(mine, 1000)
    bulk_followups(mine, 300)
    bulk_clients(mine.program, peer, 300)
    NoteAddendum.objects.bulk_create([NoteAddendum(note=signed, author=peer, text=f"Addendum {n}")
                                      for n in range(50)])
    many = {url: count_queries(http, url) for url in urls}
    assert few == many
    assert max(many.values()) <= PARTICIPANT_BUDGET


def test_the_participant_page_shows_notes_newest_first_with_drafts_marked_and_a_link_to_all(login, mine, peer):
    bulk_notes(mine, 12)
    SessionNoteFactory(client=mine, session_date=days(0), summary="Today's draft.")
    response = login(peer).get(mine.get_absolute_url())
    section = next(s.context for s in response.context["sections"] if s.template.endswith("notes.html"))
    assert section["notes"][0].summary == "Today's draft." and section["total"] == 13
    html = response.content.decode()
    assert "Draft" in html and reverse("clients:note_list", args=[mine.uuid]) in html


def test_the_participant_page_shows_units_used_this_year_per_service_code(login, mine, peer):
    from tests.factories import service_code

    year = timezone.localdate().year
    SessionNoteFactory(client=mine, signed=True, session_date=datetime.date(year, 1, 2), units_computed=5,
                       units_billable=4)
    SessionNoteFactory(client=mine, signed=True, session_date=datetime.date(year, 1, 3), units_billable=3,
                       units_computed=3, service_code=service_code("H0024"))
    SessionNoteFactory(client=mine, signed=True, session_date=datetime.date(year - 1, 12, 30))  # last year
    SessionNoteFactory(client=mine, session_date=datetime.date(year, 1, 4))  # a draft
    response = login(peer).get(mine.get_absolute_url())
    rows = next(s.context for s in response.context["sections"] if s.template.endswith("units.html"))["rows"]
    assert [(r["code"], r["used"], r["computed"], r["cap"], r["left"]) for r in rows] == [
        ("H0024", 3, 3, 3600, 3597), ("T1012", 4, 5, 3600, 3596)]


def test_the_caseload_shows_last_contact_and_next_follow_up(login, program, peer):
    seen = ClientFactory(program=program, primary_peer=peer, full_name="Seen Person")
    SessionNoteFactory(client=seen, session_date=days(-40), signed=True)
    SessionNoteFactory(client=seen, session_date=days(-3), contact_type="outreach")  # an attempt, not a contact
    FollowUpFactory(client=seen, due_on=days(6))
    FollowUpFactory(client=seen, due_on=days(2))
    FollowUpFactory(client=seen, due_on=days(1), status="cancelled", closed_by=peer, closed_at=timezone.now(),
                    close_reason="x")
    response = login(peer).get(reverse("clients:caseload"))
    client, _ = response.context["rows"][0]
    assert (client.last_contact_on, client.next_follow_up_on, client.contact_due) == (days(-40), days(2), True)
    html = response.content.decode()
    assert "Last contact" in html and "Next follow-up" in html and "Over 30 days" in html


def test_my_day_shows_follow_ups_and_plan_reviews_coming_this_week(login, mine, peer, program):
    from tests.factories import RecoveryPlanFactory

    FollowUpFactory(client=mine, purpose="Due today", due_on=days(0))
    FollowUpFactory(client=mine, purpose="Call about the lease", due_on=days(3))
    FollowUpFactory(client=mine, purpose="In a week", due_on=days(7))
    FollowUpFactory(client=mine, purpose="Later", due_on=days(8))
    RecoveryPlanFactory(client=mine, started_on=days(-80), review_on=days(-2))
    RecoveryPlanFactory(client=ClientFactory(program=program, primary_peer=peer), started_on=days(-80),
                        review_on=days(30))
    http = login(peer)
    section = my_day(http)
    assert [(f.purpose, n) for f, n in section["upcoming"]] == [("Call about the lease", 3), ("In a week", 7)]
    assert [(p.client, n, late) for p, n, late in section["reviews"]] == [(mine, -2, 2)]
    html = http.get(reverse("home")).content.decode()
    assert "Coming this week" in html and "Call about the lease" in html and "Later" not in html
    assert "Overdue 2 days" in html and reverse("clients:followup_list") in html and "?review=due" in html


def test_the_coming_week_shows_nothing_of_other_caseloads(login, mine, theirs, peer):
    from tests.factories import RecoveryPlanFactory

    FollowUpFactory(client=theirs, purpose="Not mine", due_on=days(2), assignee=theirs.primary_peer)
    RecoveryPlanFactory(client=theirs, started_on=days(-80), review_on=days(1))
    section = my_day(login(peer))
    assert section["upcoming"] == [] and section["reviews"] == []


def test_my_day_keeps_its_query_count_with_many_plans_and_follow_ups_this_week(login, program, peer, frozen):
    from tests.factories import RecoveryPlanFactory

    mine = ClientFactory(program=program, primary_peer=peer)
    http = login(peer)
    few = count_queries(http, reverse("home"))
    bulk_followups(mine, 400, due_from=days(1))
    for client in bulk_clients(program, peer, 40):
        RecoveryPlanFactory(client=client, started_on=days(-80), review_on=days(2))
    assert count_queries(http, reverse("home")) == few <= MY_DAY_BUDGET
    section = my_day(http)
    assert section["reviews_total"] == 40 and len(section["reviews"]) == 15
    assert section["upcoming_total"] == 400 // 60 * 7 + min(400 % 60, 7)
