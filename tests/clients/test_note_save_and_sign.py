"""Save and sign in one step from the note form (issue 15, point 8)."""

from __future__ import annotations

import uuid

from django.urls import reverse

from clients.models import SessionNote
from tests.clients.test_notes import new_note_url, note_data, post_new
from tests.factories import ClientFactory


def test_save_and_sign_signs_the_new_note_and_lands_on_it(login, program, peer):
    participant = ClientFactory(program=program, primary_peer=peer)
    http = login(peer)
    form = http.get(new_note_url(participant)).content.decode()
    assert "Save and sign" in form and "By signing, I attest" in form
    assert form.index(">Save as a draft<") < form.index(">Save and sign<")  # Enter saves a draft
    response = post_new(http, participant, sign="1")
    note = SessionNote.objects.get(client=participant)
    assert note.is_signed and note.signed_by == peer and note.units_billable == 3
    assert response.status_code == 302 and response.url == note.get_absolute_url()
    page = http.get(response.url).content.decode()
    assert "Note signed: 3 billable units." in page


def test_the_draft_button_still_saves_a_draft(login, program, peer):
    participant = ClientFactory(program=program, primary_peer=peer)
    post_new(login(peer), participant)
    assert not SessionNote.objects.get(client=participant).is_signed


def test_save_and_sign_from_my_day_choosing_the_participant_and_twice_is_once(login, program, peer):
    participant = ClientFactory(program=program, primary_peer=peer)
    http = login(peer)
    url = reverse("clients:note_log")
    token = str(uuid.uuid4())
    data = note_data(participant=str(participant.uuid), form_token=token, sign="1")
    first, second = http.post(url, data), http.post(url, data)
    assert first.url == second.url
    assert SessionNote.objects.filter(client=participant, status=SessionNote.Status.SIGNED).count() == 1


def test_a_rejected_form_with_save_and_sign_keeps_the_text_and_signs_nothing(login, program, peer):
    participant = ClientFactory(program=program, primary_peer=peer)
    response = post_new(login(peer), participant, sign="1", summary="", response="Kept this.")
    assert response.status_code == 200 and "Kept this." in response.content.decode()
    assert not SessionNote.objects.exists()
