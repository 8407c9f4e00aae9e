"""Supervision hears of a note's signature and addenda through clients.note_events, in the same transaction:
a review that cannot be queued leaves the note unsigned, an addendum whose re-queueing fails is not kept."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from clients import note_events
from clients.models import NoteAddendum, SessionNote
from clients.services import notes as note_services
from supervision import reviews
from supervision.models import NoteReview
from tests.factories import SessionNoteFactory


def test_supervision_subscribes_to_the_notes_events():
    assert reviews.note_review_enqueue in note_events.NOTE_SIGNED
    assert reviews.note_review_addendum_added in note_events.ADDENDUM_ADDED


def test_a_review_that_cannot_be_queued_leaves_the_note_unsigned(program, peer, supervisor, mine, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("review queue unavailable")

    monkeypatch.setattr(NoteReview.objects, "get_or_create", broken)
    draft = SessionNoteFactory(client=mine)
    with pytest.raises(DatabaseError):
        note_services.note_sign(note=draft, by=peer)
    draft.refresh_from_db()
    assert draft.status == SessionNote.Status.DRAFT and draft.signed_at is None


def test_an_addendum_is_not_kept_when_its_subscriber_fails(program, peer, supervisor, mine, monkeypatch):
    note = note_services.note_sign(note=SessionNoteFactory(client=mine), by=peer)

    def broken(*, addendum):
        raise DatabaseError("review queue unavailable")

    monkeypatch.setattr(note_events, "ADDENDUM_ADDED", [broken])
    with pytest.raises(DatabaseError):
        note_services.note_addendum_add(note=note, author=peer, text="Late detail.")
    assert not NoteAddendum.objects.filter(note=note).exists()
