"""Writing, signing, editing and discarding session notes; addenda; crisis flags (Done when 5)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clients.forms.notes import (
    CRISIS_NEEDS_DESCRIPTION,
    END_BEFORE_START,
    FOLLOW_UP_BEFORE_SESSION,
    LENGTH_NEEDED,
    TIMES_AND_MINUTES_DISAGREE,
)
from clients.models import FollowUp, NoteAddendum, SessionNote
from clients.services import notes as note_services
from recovery.fields import DATE_IN_FUTURE
from recovery.models import AccessLog, Membership, Notification
from tests.factories import (
    FollowUpFactory,
    GoalFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
    days,
    make_staff,
    service_code,
    support_services,
)


def note_data(**overrides) -> dict:
    data = {
        "session_date": days(0).isoformat(), "start_time": "09:00", "end_time": "09:50", "duration_minutes": "",
        "contact_type": "individual", "setting": "office", "service_code": str(service_code().pk),
        "summary": "Practised what to say at the housing interview.", "response": "Felt ready.",
        "next_steps": "Call the housing office together.", "follow_up_on": "", "crisis_description": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def new_note_url(client) -> str:
    return reverse("clients:note_new", args=[client.uuid])


def post_new(http, client, **overrides):
    page = http.get(new_note_url(client))
    token = page.context["form"]["form_token"].value()
    return http.post(new_note_url(client), note_data(form_token=str(token), **overrides))


# --- The form: defaults, required fields, errors at the field -------------------------------------------


@time_machine.travel(datetime.datetime(2026, 3, 10, 14, 38, tzinfo=datetime.UTC), tick=False)
def test_the_note_form_starts_from_today_now_individual_the_usual_code_and_the_active_goals(login, mine, peer):
    plan = RecoveryPlanFactory(client=mine)
    goal = GoalFactory(plan=plan, text="Find a place of my own.")
    GoalFactory(plan=plan, text="An achieved goal.", status="achieved")
    response = login(peer).get(new_note_url(mine))
    form = response.context["form"]
    assert response.status_code == 200
    assert form["session_date"].value() == datetime.date(2026, 3, 10)  # New York, 10:38
    assert form["end_time"].value() == datetime.time(10, 35)
    assert form["contact_type"].value() == "individual"
    assert form["service_code"].value() == service_code("T1012").pk
    assert list(form.fields["goals"].queryset) == [goal]
    html = response.content.decode()
    assert "Find a place of my own." in html and "An achieved goal." not in html
    assert html.count("<h1") == 1


def test_a_peer_logs_a_session_and_it_is_saved_as_a_draft_with_its_goals_services_and_follow_up(login, mine, peer):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine))
    services = support_services()
    http = login(peer)
    response = post_new(http, mine, goals=[str(goal.pk)], services=[str(services["advocacy"].pk)],
                        follow_up_on=days(7).isoformat(), follow_up_purpose="Ask whether the interview went well.")
    note = SessionNote.objects.get(client=mine)
    assert response.status_code == 302 and response.url == note.get_absolute_url()
    assert note.status == SessionNote.Status.DRAFT and note.author == peer
    assert note.duration_minutes == 50
    assert list(note.goals.all()) == [goal]
    assert list(note.services.all()) == [services["advocacy"]]
    followup = FollowUp.objects.get(client=mine)
    assert (followup.due_on, followup.assignee, followup.from_note) == (days(7), peer, note)
    assert followup.purpose == "Ask whether the interview went well."  # its own purpose, not the next steps


def test_a_follow_up_without_a_purpose_says_which_session_asked_for_it_not_the_next_steps(login, mine, peer):
    post_new(login(peer), mine, follow_up_on=days(7).isoformat(), follow_up_purpose="")
    purpose = FollowUp.objects.get(client=mine).purpose
    assert purpose.startswith("Follow up after the session on") and "housing office" not in purpose


def test_a_purpose_without_a_follow_up_date_is_not_kept(login, mine, peer):
    post_new(login(peer), mine, follow_up_purpose="Typed, then the date was cleared.")
    assert SessionNote.objects.get(client=mine).follow_up_purpose == ""
    assert not FollowUp.objects.filter(client=mine).exists()


def test_the_note_form_shows_the_crisis_description_and_follow_up_purpose_only_when_they_apply(login, mine, peer):
    html = login(peer).get(new_note_url(mine)).content.decode()
    assert '<div data-show-when="crisis_flag" data-show-value="on">' in html
    assert '<div data-show-when="follow_up_on" data-show-value="*">' in html
    assert "js/show-when.js" in html


def test_minutes_alone_or_times_alone_give_the_length_of_the_session(login, mine, peer):
    http = login(peer)
    post_new(http, mine, start_time="", end_time="10:00", duration_minutes="45")
    post_new(http, mine, start_time="13:10", end_time="", duration_minutes="20")
    first, second = SessionNote.objects.filter(client=mine).order_by("pk")
    assert (first.start_time, first.end_time, first.duration_minutes) == (datetime.time(9, 15), datetime.time(10), 45)
    assert (second.start_time, second.end_time, second.duration_minutes) == (
        datetime.time(13, 10), datetime.time(13, 30), 20)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"start_time": "", "end_time": "", "duration_minutes": ""}, "duration_minutes", LENGTH_NEEDED),
    ({"start_time": "11:00", "end_time": "10:00"}, "end_time", END_BEFORE_START),
    ({"duration_minutes": "30"}, "duration_minutes", TIMES_AND_MINUTES_DISAGREE.format(minutes=50)),
    ({"session_date": days(1).isoformat()}, "session_date", DATE_IN_FUTURE),
    ({"crisis_flag": "on", "crisis_description": ""}, "crisis_description", CRISIS_NEEDS_DESCRIPTION),
    ({"follow_up_on": days(-3).isoformat()}, "follow_up_on", FOLLOW_UP_BEFORE_SESSION),
    ({"summary": ""}, "summary", "This field is required."),
])
def test_a_rejected_note_keeps_what_was_typed_and_shows_the_error_at_the_field(login, mine, peer, overrides, field,
                                                                               message):
    response = post_new(login(peer), mine, **overrides, response="Typed words stay here.")
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert "Typed words stay here." in html
    assert message in html
    assert re.search(rf'<[^>]*is-invalid[^>]*id="id_{field}"|<[^>]*id="id_{field}"[^>]*is-invalid', html)
    assert not SessionNote.objects.exists()


def test_a_double_submitted_note_creates_one_note(login, mine, peer):
    http = login(peer)
    token = http.get(new_note_url(mine)).context["form"]["form_token"].value()
    first = http.post(new_note_url(mine), note_data(form_token=str(token), follow_up_on=days(3).isoformat()))
    second = http.post(new_note_url(mine), note_data(form_token=str(token), follow_up_on=days(3).isoformat()))
    assert SessionNote.objects.count() == 1
    assert FollowUp.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url


def test_logging_from_my_day_chooses_the_participant_in_the_same_form(login, mine, theirs, peer, program):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine), text="Walk every morning.")
    http = login(peer)
    page = http.get(reverse("clients:note_log"))
    choices = [str(value) for value, _ in page.context["form"].fields["participant"].choices if value]
    assert choices == [str(mine.uuid)]  # only the peer's own enrolled participants
    parts = http.get(reverse("clients:note_parts"), {"participant": str(mine.uuid)})
    assert "Walk every morning." in parts.content.decode()
    token = page.context["form"]["form_token"].value()
    response = http.post(reverse("clients:note_log"), note_data(form_token=str(token), participant=str(mine.uuid),
                                                                goals=[str(goal.pk)]))
    note = SessionNote.objects.get()
    assert response.url == note.get_absolute_url()
    assert note.client == mine and list(note.goals.all()) == [goal]


def test_the_participant_parts_of_the_form_refuse_someone_elses_participant(login, theirs, peer, foreign):
    http = login(peer)
    assert http.get(reverse("clients:note_parts"), {"participant": str(theirs.uuid)}).status_code == 404
    assert http.get(reverse("clients:note_parts"), {"participant": str(foreign.uuid)}).status_code == 404
    assert http.get(reverse("clients:note_parts"), {"participant": "not-a-uuid"}).status_code == 404
    assert http.get(reverse("clients:note_parts")).status_code == 200


def test_logging_from_my_day_for_someone_else_is_refused_at_the_field(login, mine, theirs, peer):
    http = login(peer)
    token = http.get(reverse("clients:note_log")).context["form"]["form_token"].value()
    response = http.post(reverse("clients:note_log"), note_data(form_token=str(token), participant=str(theirs.uuid)))
    assert response.status_code == 200
    assert "participant" in response.context["form"].errors
    assert not SessionNote.objects.exists()


def test_the_follow_up_list_on_a_note_completes_open_follow_ups(login, mine, peer):
    promised = FollowUpFactory(client=mine, due_on=days(-1), purpose="Bring the bus schedule.")
    response = post_new(login(peer), mine, completes=[str(promised.pk)])
    promised.refresh_from_db()
    note = SessionNote.objects.get()
    assert response.status_code == 302
    assert (promised.status, promised.done_in_note, promised.closed_by) == ("done", note, peer)


# --- Signing ---------------------------------------------------------------------------------------------


def test_the_author_signs_a_draft_and_it_is_stamped_with_units(login, mine, peer):
    note = SessionNoteFactory(client=mine, duration_minutes=50, start_time=None, end_time=None)
    response = login(peer).post(reverse("clients:note_sign", args=[note.uuid]))
    note.refresh_from_db()
    assert response.status_code == 302 and response.url == note.get_absolute_url()
    assert note.status == "signed" and note.signed_by == peer and note.signed_at is not None
    assert (note.units_computed, note.units_billable) == (3, 3)
    assert not note.late_entry


def test_signing_twice_changes_nothing(login, mine, peer):
    note = SessionNoteFactory(client=mine)
    http = login(peer)
    http.post(reverse("clients:note_sign", args=[note.uuid]))
    note.refresh_from_db()
    signed_at = note.signed_at
    response = http.post(reverse("clients:note_sign", args=[note.uuid]))
    note.refresh_from_db()
    assert response.status_code == 302 and note.signed_at == signed_at


def test_only_the_author_signs_even_when_another_peer_now_carries_the_participant(login, mine, peer, other_peer,
                                                                                   supervisor):
    from clients.services import client_assign

    note = SessionNoteFactory(client=mine, author=peer)
    client_assign(client=mine, peer=other_peer, by=supervisor, reason="Cover")
    response = login(other_peer).post(reverse("clients:note_sign", args=[note.uuid]))
    note.refresh_from_db()
    assert response.status_code == 403 and note.status == "draft"


def test_a_note_signed_after_the_deadline_is_a_late_entry(login, mine, peer, program):
    ended = timezone.now() - datetime.timedelta(hours=program.signing_deadline_hours + 1)
    note = SessionNoteFactory(client=mine, session_date=ended.date(), start_time=None, end_time=None, ended_at=ended)
    login(peer).post(reverse("clients:note_sign", args=[note.uuid]))
    note.refresh_from_db()
    assert note.late_entry


def test_a_note_signed_just_before_the_deadline_is_not_late(mine, peer, program):
    note = SessionNoteFactory(client=mine)
    with time_machine.travel(note.sign_deadline(program) - datetime.timedelta(seconds=1), tick=False):
        note_services.note_sign(note=note, by=peer)
    note.refresh_from_db()
    assert not note.late_entry
    late = SessionNoteFactory(client=mine)
    with time_machine.travel(late.sign_deadline(program) + datetime.timedelta(seconds=1), tick=False):
        note_services.note_sign(note=late, by=peer)
    late.refresh_from_db()
    assert late.late_entry


def test_the_deadline_counts_from_the_end_of_the_session_in_the_programs_time_zone(mine, program):
    note = SessionNoteFactory(client=mine, session_date=datetime.date(2026, 7, 1), start_time=datetime.time(15),
                              end_time=datetime.time(16))
    assert note.ended_at == datetime.datetime(2026, 7, 1, 20, 0, tzinfo=datetime.UTC)  # 4 pm in New York (EDT)
    assert note.sign_deadline(program) == datetime.datetime(2026, 7, 3, 20, 0, tzinfo=datetime.UTC)


# --- Drafts change, signed notes do not --------------------------------------------------------------------


def test_the_author_edits_a_draft_and_its_follow_up_moves_with_it(login, mine, peer):
    http = login(peer)
    post_new(http, mine, follow_up_on=days(5).isoformat())
    note = SessionNote.objects.get()
    response = http.post(reverse("clients:note_edit", args=[note.uuid]),
                         note_data(follow_up_on=days(9).isoformat(), response="Edited response."))
    note.refresh_from_db()
    assert response.status_code == 302
    assert note.response == "Edited response."
    assert FollowUp.objects.get().due_on == days(9)
    http.post(reverse("clients:note_edit", args=[note.uuid]), note_data(follow_up_on=""))
    followup = FollowUp.objects.get()
    assert followup.status == "cancelled" and followup.close_reason == note_services.FOLLOW_UP_DATE_REMOVED


def test_a_signed_note_cannot_be_edited_through_the_app(login, mine, peer):
    note = SessionNoteFactory(client=mine, signed=True, summary="As signed.")
    http = login(peer)
    assert http.get(reverse("clients:note_edit", args=[note.uuid])).status_code == 302
    http.post(reverse("clients:note_edit", args=[note.uuid]), note_data(summary="Changed."))
    assert http.post(reverse("clients:note_discard", args=[note.uuid])).status_code == 403
    note.refresh_from_db()
    assert note.summary == "As signed."
    with pytest.raises(Exception, match="signed"):
        note_services.note_update(note=note, by=peer, goals=[], services=[])


def test_discarding_a_draft_cancels_its_follow_up_and_reopens_those_it_completed(login, mine, peer):
    promised = FollowUpFactory(client=mine)
    http = login(peer)
    post_new(http, mine, follow_up_on=days(4).isoformat(), completes=[str(promised.pk)])
    note = SessionNote.objects.get()
    response = http.post(reverse("clients:note_discard", args=[note.uuid]))
    assert response.status_code == 302 and response.url == mine.get_absolute_url()
    assert not SessionNote.objects.exists()
    promised.refresh_from_db()
    assert promised.status == "open" and promised.done_in_note is None
    created = FollowUp.objects.exclude(pk=promised.pk).get()
    assert created.status == "cancelled" and created.from_note is None


# --- Addenda -----------------------------------------------------------------------------------------------


def test_an_addendum_is_added_under_a_signed_note_once_per_submit(login, mine, peer):
    note = SessionNoteFactory(client=mine, signed=True)
    http = login(peer)
    url = reverse("clients:addendum_new", args=[note.uuid])
    token = http.get(url).context["form"]["form_token"].value()
    http.post(url, {"text": "The meeting was on Tuesday.", "form_token": token})
    http.post(url, {"text": "The meeting was on Tuesday.", "form_token": token})
    addendum = NoteAddendum.objects.get()
    assert (addendum.note, addendum.author) == (note, peer)
    page = http.get(note.get_absolute_url()).content.decode()
    assert "The meeting was on Tuesday." in page


def test_a_draft_gets_no_addendum(login, mine, peer):
    note = SessionNoteFactory(client=mine)
    response = login(peer).post(reverse("clients:addendum_new", args=[note.uuid]), {"text": "x"})
    assert response.status_code == 302 and response.url == note.get_absolute_url()
    assert not NoteAddendum.objects.exists()


def test_an_empty_addendum_is_refused_at_the_field(login, mine, peer):
    note = SessionNoteFactory(client=mine, signed=True)
    http = login(peer)
    url = reverse("clients:addendum_new", args=[note.uuid])
    token = http.get(url).context["form"]["form_token"].value()
    response = http.post(url, {"text": "", "form_token": token})
    assert response.status_code == 200 and "text" in response.context["form"].errors


# --- Reading ---------------------------------------------------------------------------------------------


def test_every_read_of_a_note_is_logged(login, mine, supervisor):
    note = SessionNoteFactory(client=mine, signed=True)
    login(supervisor).get(note.get_absolute_url())
    entry = AccessLog.objects.get(object_type="clients.sessionnote")
    assert (entry.user, entry.object_id, entry.client_uuid) == (supervisor, str(note.uuid), mine.uuid)


def test_a_draft_shows_its_author_the_units_and_the_time_left_before_signing(login, mine, peer, supervisor):
    note = SessionNoteFactory(client=mine, session_date=days(0), start_time=None, end_time=None,
                              duration_minutes=38, ended_at=timezone.now())
    html = login(peer).get(note.get_absolute_url()).content.decode()
    assert "3 units" in html and "Sign the note" in html and "from now" in html
    supervisor_view = login(supervisor).get(note.get_absolute_url()).content.decode()
    assert "Sign the note" not in supervisor_view and "Only Pat Peer" in supervisor_view


def test_the_list_of_a_participants_notes_is_paginated_newest_first(login, mine, peer):
    from tests.factories import bulk_notes

    bulk_notes(mine, 45)
    response = login(peer).get(reverse("clients:note_list", args=[mine.uuid]) + "?page=3")
    notes = list(response.context["page"].object_list)
    assert len(notes) == 5 and response.context["page"].paginator.count == 45
    first_page = login(peer).get(reverse("clients:note_list", args=[mine.uuid])).context["page"].object_list
    assert first_page[0].session_date == days(-1)


# --- Crisis flags (Done when 5) ----------------------------------------------------------------------------


def test_a_crisis_flag_notifies_the_supervisor_in_the_same_request_without_the_participants_name(
        login, mine, peer, supervisor):
    response = post_new(login(peer), mine, crisis_flag="on", crisis_description="Talked about ending their life.")
    note = SessionNote.objects.get()
    assert response.status_code == 302 and note.crisis_flag
    notification = Notification.objects.get(recipient=supervisor, kind="crisis_flag")
    assert notification.title == "Crisis flag on a session note by Pat Peer"
    assert notification.url == note.get_absolute_url()
    for text in (notification.title, notification.body):
        assert mine.full_name not in text and "Mina" not in text


def test_a_crisis_flag_added_while_editing_notifies_once(login, mine, peer, supervisor):
    http = login(peer)
    post_new(http, mine)
    note = SessionNote.objects.get()
    assert not Notification.objects.filter(kind="crisis_flag").exists()
    for _ in range(2):
        http.post(reverse("clients:note_edit", args=[note.uuid]),
                  note_data(crisis_flag="on", crisis_description="Relapse and no place to sleep."))
    assert Notification.objects.filter(kind="crisis_flag", recipient=supervisor).count() == 1


def test_a_peer_without_a_supervisor_has_crisis_flags_sent_to_the_program_admins(login, program, admin):
    from tests.factories import ClientFactory

    loner = make_staff(program, Membership.Role.PEER, full_name="Lone Peer")
    participant = ClientFactory(program=program, primary_peer=loner)
    post_new(login(loner), participant, crisis_flag="on", crisis_description="Overdose last night.")
    assert Notification.objects.get(kind="crisis_flag").recipient == admin
