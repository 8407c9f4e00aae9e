"""The partial indexes on session notes match the filters the pages use (else PostgreSQL cannot use them)."""

from django.db.models import Q

from clients.models import SessionNote


def test_the_contact_index_covers_exactly_the_contact_types_the_pages_count():
    index = next(i for i in SessionNote._meta.indexes if i.name == "note_contact_idx")
    assert index.condition == Q(contact_type__in=[str(t) for t in SessionNote.CONTACT_TYPES])


def test_the_contact_date_index_covers_exactly_the_contact_types_the_pages_count():
    index = next(i for i in SessionNote._meta.indexes if i.name == "note_contact_date_idx")
    assert index.condition == Q(contact_type__in=[str(t) for t in SessionNote.CONTACT_TYPES])
