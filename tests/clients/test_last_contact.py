"""A participant's last contact (``clients.LastContact``) is kept by the notes' triggers under every write:
a draft written, edited, retyped or discarded, a signature, an addendum, a merge, a bulk load; setting a
record aside leaves it out of the dashboard's count as from its list. It always equals the latest contact
note's date (what ``with_contact`` reads from the notes)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Max

from clients.models import Client, LastContact, SessionNote
from clients.models.notes import _CONTACT_SQL, last_contacts_rebuild
from clients.services import notes as note_services
from clients.services.merge import client_merge
from clients.services.set_aside import client_set_aside
from supervision.dashboard import BY_SLUG, Context, metric_counts, metric_list
from tests.factories import ClientFactory, SessionNoteFactory


def days(n: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=n)


def stored(client) -> datetime.date | None:
    row = LastContact.objects.filter(client=client).first()
    return row.session_date if row else None


def from_notes(client) -> datetime.date | None:
    return (SessionNote.objects.filter(client=client).contacts()
            .aggregate(last=Max("session_date"))["last"])


def draft(client, on: int, **fields) -> SessionNote:
    note = SessionNote(session_date=days(on), start_time=datetime.time(10), end_time=datetime.time(11),
                       duration_minutes=60, summary="Met at the library.", **fields)
    return note_services.note_create(note=note, client=client, author=client.primary_peer)


@pytest.fixture
def client_(program, peer):
    return ClientFactory(program=program, primary_peer=peer)


def test_the_triggers_name_exactly_the_contact_types():
    assert "(" + ", ".join(f"'{t}'" for t in SessionNote.CONTACT_TYPES) + ")" == _CONTACT_SQL


def test_a_new_draft_of_a_contact_sets_the_last_contact_and_an_outreach_attempt_does_not(client_):
    assert stored(client_) is None
    draft(client_, -5, contact_type=SessionNote.ContactType.OUTREACH)
    assert stored(client_) is None
    draft(client_, -7)
    assert stored(client_) == days(-7) == from_notes(client_)
    draft(client_, -3, contact_type=SessionNote.ContactType.PHONE)
    assert stored(client_) == days(-3) == from_notes(client_)


def test_editing_a_drafts_date_or_type_moves_the_last_contact_back(client_, peer):
    draft(client_, -10)
    note = draft(client_, -2)
    note.session_date = days(-20)
    note_services.note_update(note=note, by=peer, goals=[], services=[])
    assert stored(client_) == days(-10) == from_notes(client_)
    note.session_date, note.contact_type = days(-1), SessionNote.ContactType.COLLATERAL
    note_services.note_update(note=note, by=peer, goals=[], services=[])
    assert stored(client_) == days(-10) == from_notes(client_)


def test_discarding_a_draft_falls_back_to_the_contact_before_it_or_to_none(client_, peer):
    earlier = draft(client_, -9)
    later = draft(client_, -1)
    note_services.note_discard(note=later, by=peer)
    assert stored(client_) == days(-9)
    note_services.note_discard(note=earlier, by=peer)
    assert stored(client_) is None
    assert from_notes(client_) is None


def test_signing_a_note_and_adding_an_addendum_keep_the_last_contact(client_, peer):
    note = draft(client_, -4)
    note_services.note_sign(note=note, by=peer)
    assert stored(client_) == days(-4)
    note.refresh_from_db()
    note_services.note_addendum_add(note=note, author=peer, text="The meeting was at the clinic.")
    assert stored(client_) == days(-4) == from_notes(client_)


def test_a_merge_gives_the_kept_record_the_later_contact_of_both_and_the_duplicate_none(program, peer, admin):
    kept = ClientFactory(program=program, primary_peer=peer)
    duplicate = ClientFactory(program=program, primary_peer=peer)
    SessionNoteFactory(client=kept, session_date=days(-40), signed=True)
    SessionNoteFactory(client=duplicate, session_date=days(-6), signed=True)
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason="Same person typed twice.")
    assert stored(kept) == days(-6) == from_notes(kept)
    assert stored(duplicate) is None


def test_notes_written_in_bulk_set_each_participants_last_contact(program, peer):
    clients = [ClientFactory(program=program, primary_peer=peer) for _ in range(3)]
    SessionNote.objects.bulk_create([SessionNoteFactory.build(client=c, session_date=days(-n), author=peer)
                                     for n, c in enumerate(clients, start=1) for _ in range(2)])
    assert [stored(c) for c in clients] == [days(-1), days(-2), days(-3)]


def test_the_rebuild_writes_what_the_triggers_kept(program, peer, client_):
    draft(client_, -8)
    other = ClientFactory(program=program, primary_peer=peer)
    SessionNoteFactory(client=other, session_date=days(-2), signed=True)
    kept = dict(LastContact.objects.values_list("client_id", "session_date"))
    LastContact.objects.all().delete()
    assert last_contacts_rebuild([program.pk]) == 2
    assert dict(LastContact.objects.values_list("client_id", "session_date")) == kept


def test_the_no_contact_count_matches_its_list_and_leaves_out_a_record_set_aside(program, peer, supervisor, admin):
    quiet = ClientFactory(program=program, primary_peer=peer)  # reached 40 days ago
    SessionNoteFactory(client=quiet, session_date=days(-40), signed=True)
    never = ClientFactory(program=program, primary_peer=peer)  # never reached; the intake is older than 30 days
    never.episodes.update(started_on=days(-60))
    reached = ClientFactory(program=program, primary_peer=peer)
    SessionNoteFactory(client=reached, session_date=days(-2))
    new = ClientFactory(program=program, primary_peer=peer)  # never reached, came in today
    new.episodes.update(started_on=days(0))
    ctx = Context(viewer=supervisor, program=program, today=program.today(), now=datetime.datetime.now(datetime.UTC))
    metric = BY_SLUG["no-contact"]
    index = list(BY_SLUG).index("no-contact")

    def count_and_list() -> tuple[int, set[int]]:
        listed = {c.pk for c in metric_list(metric, ctx, peer.memberships.get(program=program))}
        return metric_counts(ctx, [peer.pk]).get((index, peer.pk), 0), listed

    assert count_and_list() == (2, {quiet.pk, never.pk})
    client_set_aside(client=Client.objects.get(pk=never.pk), by=admin, reason="Typed for the wrong person.")
    assert count_and_list() == (1, {quiet.pk})
