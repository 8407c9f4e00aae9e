"""Follow-ups: by hand or from a note's follow-up date; done (linked to the note that did it) or cancelled,
with who and when; discharge closes the open ones."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from clients import services
from clients.forms.followups import CANCEL_NEEDS_REASON, DUE_IN_PAST
from clients.models import FollowUp
from clients.models.followups import DISCHARGED
from recovery.models import AccessLog
from tests.factories import FollowUpFactory, SessionNoteFactory, days


def new_url(client) -> str:
    return reverse("clients:followup_new", args=[client.uuid])


def test_a_peer_adds_a_follow_up_by_hand_once_per_submit(login, mine, peer):
    http = login(peer)
    page = http.get(new_url(mine))
    assert page.context["form"]["assignee"].value() == peer.pk
    token = page.context["form"]["form_token"].value()
    data = {"due_on": days(3).isoformat(), "purpose": "Drive to the DMV together.", "assignee": peer.pk,
            "form_token": token}
    first = http.post(new_url(mine), data)
    second = http.post(new_url(mine), data)
    followup = FollowUp.objects.get()
    assert first.url == second.url == f"{mine.get_absolute_url()}#followups"
    assert (followup.client, followup.due_on, followup.assignee, followup.created_by, followup.status) == (
        mine, days(3), peer, peer, "open")


def test_a_rejected_follow_up_keeps_what_was_typed(login, mine, peer):
    http = login(peer)
    token = http.get(new_url(mine)).context["form"]["form_token"].value()
    response = http.post(new_url(mine), {"due_on": days(-2).isoformat(), "purpose": "Typed purpose stays.",
                                         "assignee": peer.pk, "form_token": token})
    assert response.context["form"].errors["due_on"] == [DUE_IN_PAST]
    assert "Typed purpose stays." in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_peer_cannot_give_a_follow_up_to_someone_outside_their_reach(login, mine, peer, other_peer):
    http = login(peer)
    token = http.get(new_url(mine)).context["form"]["form_token"].value()
    response = http.post(new_url(mine), {"due_on": days(2).isoformat(), "purpose": "x", "assignee": other_peer.pk,
                                         "form_token": token})
    assert "assignee" in response.context["form"].errors


def test_marking_done_records_who_when_and_the_note_that_did_it(login, mine, peer):
    followup = FollowUpFactory(client=mine)
    note = SessionNoteFactory(client=mine, signed=True)
    response = login(peer).post(reverse("clients:followup_done", args=[followup.uuid]), {"note": str(note.uuid)})
    followup.refresh_from_db()
    assert response.status_code == 302
    assert (followup.status, followup.closed_by, followup.done_in_note) == ("done", peer, note)
    assert followup.closed_at is not None
    page = login(peer).get(note.get_absolute_url()).content.decode()
    assert followup.purpose in page  # the note lists what it took care of


def test_done_from_my_day_returns_to_my_day_and_a_second_click_changes_nothing(login, mine, peer):
    followup = FollowUpFactory(client=mine)
    http = login(peer)
    response = http.post(reverse("clients:followup_done", args=[followup.uuid]), {"next": reverse("home")})
    assert response.url == reverse("home")
    followup.refresh_from_db()
    closed_at = followup.closed_at
    http.post(reverse("clients:followup_done", args=[followup.uuid]), {"next": "https://evil.example/"})
    followup.refresh_from_db()
    assert followup.closed_at == closed_at


def test_a_follow_up_cannot_be_done_by_another_participants_note(login, mine, theirs, peer):
    followup = FollowUpFactory(client=mine)
    foreign_note = SessionNoteFactory(client=theirs, signed=True)
    response = login(peer).post(reverse("clients:followup_done", args=[followup.uuid]),
                                {"note": str(foreign_note.uuid)})
    followup.refresh_from_db()
    assert response.status_code == 200 and "note" in response.context["done_form"].errors
    assert followup.is_open


def test_cancelling_needs_a_reason_and_keeps_who_and_when(login, mine, peer):
    followup = FollowUpFactory(client=mine)
    http = login(peer)
    rejected = http.post(reverse("clients:followup_cancel", args=[followup.uuid]), {"reason": ""})
    assert rejected.context["cancel_form"].errors["reason"] == [CANCEL_NEEDS_REASON]
    http.post(reverse("clients:followup_cancel", args=[followup.uuid]), {"reason": "They found housing already."})
    followup.refresh_from_db()
    assert (followup.status, followup.close_reason, followup.closed_by) == (
        "cancelled", "They found housing already.", peer)


def test_an_open_follow_up_can_be_moved_a_closed_one_cannot(login, mine, peer):
    followup = FollowUpFactory(client=mine, due_on=days(-3))
    http = login(peer)
    url = reverse("clients:followup_edit", args=[followup.uuid])
    unchanged_past_date = {"due_on": days(-3).isoformat(), "purpose": "Still overdue", "assignee": peer.pk}
    assert http.post(url, unchanged_past_date).status_code == 302
    http.post(url, {"due_on": days(4).isoformat(), "purpose": "Moved", "assignee": peer.pk})
    followup.refresh_from_db()
    assert (followup.due_on, followup.purpose) == (days(4), "Moved")
    http.post(reverse("clients:followup_done", args=[followup.uuid]))
    assert http.get(url).status_code == 302
    http.post(url, {"due_on": days(9).isoformat(), "purpose": "Again", "assignee": peer.pk})
    followup.refresh_from_db()
    assert followup.due_on == days(4)


def test_discharge_cancels_open_follow_ups_with_the_reason_discharged(mine, peer):
    still_open = FollowUpFactory(client=mine)
    done = FollowUpFactory(client=mine, status="done", closed_by=peer, closed_at="2026-01-05T12:00Z")
    services.episode_discharge(client=mine, by=peer, discharged_on=days(0), reason="completed")
    still_open.refresh_from_db()
    done.refresh_from_db()
    assert (still_open.status, still_open.close_reason, still_open.closed_by) == ("cancelled", DISCHARGED, peer)
    assert done.status == "done"


def test_follow_ups_are_never_deleted_and_closed_ones_say_who_and_when(mine):
    followup = FollowUpFactory(client=mine)
    with pytest.raises(Exception, match="Cannot delete"), transaction.atomic():
        followup.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(status="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(status="cancelled", closed_by=mine.primary_peer,
                                                       closed_at="2026-01-05T12:00Z", close_reason="")


def test_reading_a_follow_up_is_logged(login, mine, admin):
    followup = FollowUpFactory(client=mine)
    login(admin).get(followup.get_absolute_url())
    assert AccessLog.objects.filter(object_type="clients.followup", client_uuid=mine.uuid, user=admin).exists()


def test_the_participant_page_shows_open_follow_ups_and_recently_closed_ones(login, mine, peer):
    FollowUpFactory(client=mine, purpose="Open one", due_on=days(-1))
    FollowUpFactory(client=mine, purpose="Closed one", status="cancelled", closed_by=peer,
                    closed_at="2026-01-05T12:00Z", close_reason="No longer needed")
    html = login(peer).get(mine.get_absolute_url()).content.decode()
    assert "Open one" in html and "Overdue" in html
    assert "Closed one" in html and "No longer needed" in html
