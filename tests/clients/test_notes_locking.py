"""A signed note never changes, whatever the application does (Done when 2): PostgreSQL refuses it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError

from clients.models import NoteAddendum, NoteGoal, NoteService, SessionNote
from clients.services import notes as note_services
from tests.factories import GoalFactory, RecoveryPlanFactory, SessionNoteFactory, support_services


def raw(sql: str, params: list) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def signed(mine, peer):
    """A note signed through the service, with a goal and a service attached while it was a draft."""
    note = SessionNoteFactory(client=mine)
    note.goals.set([GoalFactory(plan=RecoveryPlanFactory(client=mine))])
    note.services.set([support_services()["advocacy"]])
    return note_services.note_sign(note=note, by=peer)


@pytest.mark.parametrize("sql", [
    "UPDATE clients_sessionnote SET summary = 'rewritten' WHERE id = %s",
    "UPDATE clients_sessionnote SET status = 'draft', signed_at = NULL, signed_by_id = NULL, units_computed = NULL, "
    "units_billable = NULL WHERE id = %s",
    "UPDATE clients_sessionnote SET units_billable = 0 WHERE id = %s",
    "DELETE FROM clients_sessionnote WHERE id = %s",
])
def test_raw_sql_cannot_update_or_delete_a_signed_note(signed, sql):
    with pytest.raises(DatabaseError):
        raw(sql, [signed.pk])
    signed.refresh_from_db()
    assert signed.is_signed and signed.summary.startswith("Talked through")


@pytest.mark.parametrize("sql", [
    "DELETE FROM clients_notegoal WHERE note_id = %s",
    "DELETE FROM clients_noteservice WHERE note_id = %s",
    "UPDATE clients_notegoal SET goal_id = goal_id WHERE note_id = %s",
])
def test_raw_sql_cannot_change_the_goals_or_services_of_a_signed_note(signed, sql):
    with pytest.raises(DatabaseError, match="signed note cannot change"):
        raw(sql, [signed.pk])
    assert NoteGoal.objects.filter(note=signed).count() == 1
    assert NoteService.objects.filter(note=signed).count() == 1


def test_nothing_can_be_added_to_a_signed_note_either(signed, mine):
    other_goal = GoalFactory(plan=mine.plans.get())
    with pytest.raises(DatabaseError), transaction.atomic():
        signed.goals.add(other_goal)
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionNote.objects.filter(pk=signed.pk).update(response="changed by the ORM")


def test_a_draft_can_still_change_and_be_discarded(mine, peer):
    draft = SessionNoteFactory(client=mine)
    assert raw("UPDATE clients_sessionnote SET summary = 'better words' WHERE id = %s", [draft.pk]) == 1
    draft.services.set([support_services()["goal_setting"]])
    note_services.note_discard(note=draft, by=peer)
    assert not SessionNote.objects.filter(pk=draft.pk).exists()


def test_an_addendum_works_and_is_then_append_only(signed, peer):
    addendum = note_services.note_addendum_add(note=signed, author=peer, text="Also: they start work Monday.")
    assert list(signed.addenda.all()) == [addendum]
    with pytest.raises(DatabaseError):
        raw("UPDATE clients_noteaddendum SET text = 'rewritten' WHERE id = %s", [addendum.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM clients_noteaddendum WHERE id = %s", [addendum.pk])
    addendum.refresh_from_db()
    assert addendum.text == "Also: they start work Monday."


def test_a_draft_cannot_get_an_addendum_even_by_raw_sql(mine, peer):
    draft = SessionNoteFactory(client=mine)
    with pytest.raises(DatabaseError, match="addendum needs a signed note"):
        raw("INSERT INTO clients_noteaddendum (uuid, note_id, author_id, text, created_at) "
            "VALUES (gen_random_uuid(), %s, %s, 'x', now())", [draft.pk, peer.pk])
    assert not NoteAddendum.objects.exists()


def test_a_note_is_signed_only_by_its_author_with_its_units_in_the_database(mine, peer, other_peer):
    draft = SessionNoteFactory(client=mine)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionNote.objects.filter(pk=draft.pk).update(status="signed", signed_by=other_peer,
                                                       signed_at=draft.ended_at, units_computed=4, units_billable=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionNote.objects.filter(pk=draft.pk).update(status="signed", signed_by=peer, signed_at=draft.ended_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionNote.objects.filter(pk=draft.pk).update(status="signed", signed_by=peer, signed_at=draft.ended_at,
                                                       units_computed=2, units_billable=3)


def test_a_crisis_flag_needs_a_description_in_the_database(mine):
    draft = SessionNoteFactory(client=mine)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionNote.objects.filter(pk=draft.pk).update(crisis_flag=True, crisis_description="")


def test_a_signed_notes_history_is_kept(signed):
    labels = list(signed.events.order_by("pgh_id").values_list("pgh_label", "status"))
    assert labels == [("insert", "draft"), ("update", "signed")]


def test_a_stray_save_of_a_signed_note_fails(signed):
    signed.summary = "stray"
    with pytest.raises((InternalError, DatabaseError)), transaction.atomic():
        signed.save()
