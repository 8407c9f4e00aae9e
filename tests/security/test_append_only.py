"""The access log, security events and the change history cannot be altered, whatever SQL is sent.

Truncating, disabling triggers and the other ways around them: tests/security/test_database_roles.py."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from pghistory.core import event_models

from recovery.models import AccessLog, Membership, SecurityEvent
from tests.factories import AccessLogFactory, SecurityEventFactory

# The trigger refuses (any role), and the runtime role the tests run as lacks the privilege in the first place.
REFUSED = "Cannot update or delete rows|permission denied"


def raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def assert_refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError, match=REFUSED):
        raw(sql, params)


def test_raw_sql_cannot_update_or_delete_access_log_rows(program, peer):
    row = AccessLogFactory(program=program, user=peer)
    table = AccessLog._meta.db_table
    assert_refused(f'UPDATE "{table}" SET "reason" = %s WHERE id = %s', ["edited", row.pk])
    assert_refused(f'DELETE FROM "{table}" WHERE id = %s', [row.pk])
    assert_refused(f'DELETE FROM "{table}"')
    row.refresh_from_db()
    assert row.reason == ""


def test_the_orm_cannot_delete_access_log_rows_either(program, peer):
    AccessLogFactory(program=program, user=peer)
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


def test_raw_sql_cannot_update_or_delete_security_events(program, peer):
    event = SecurityEventFactory(program=program, user=peer)
    table = SecurityEvent._meta.db_table
    assert_refused(f'UPDATE "{table}" SET "reason" = %s WHERE id = %s', ["edited", event.pk])
    assert_refused(f'DELETE FROM "{table}" WHERE id = %s', [event.pk])


def test_raw_sql_cannot_update_or_delete_change_history(program, peer):
    membership = Membership.objects.get(user=peer)
    membership.is_active = False
    membership.save()
    for model in [m for m in event_models() if m.pgh_tracked_model in (Membership, type(peer))]:
        table = model._meta.db_table
        assert model.objects.exists(), table
        assert_refused(f'UPDATE "{table}" SET "pgh_label" = %s', ["edited"])
        assert_refused(f'DELETE FROM "{table}"')
    assert Membership.pgh_event_model.objects.filter(pgh_label="update", is_active=False).count() == 1


def test_every_change_history_table_of_the_project_has_the_append_only_trigger(db):
    models = event_models()
    assert len(models) >= 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'pgtrigger_append_only_%%' AND NOT t.tgisinternal"
        )
        protected = {name for (name,) in cursor.fetchall()}
    missing = sorted(m._meta.db_table for m in models if m._meta.db_table not in protected)
    assert missing == [], f"event tables that can be altered: {missing}"
