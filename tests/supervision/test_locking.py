"""A signed supervision session cannot be changed, even by raw SQL (Done when 4): PostgreSQL refuses.

Only the two things that happen after signing go through: a supervisee's acknowledgement (once) and an
action item's done state. Corrections are addenda, which are never changed either.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from supervision.models import Attendance, SessionParticipant, SessionTopic, SupervisionAddendum, SupervisionSession
from tests.factories import SupervisionSessionFactory, action_item, sign, topics


def run(sql: str, params: list) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refused(sql: str, params: list) -> bool:
    try:
        run(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def locked(supervisor, peer, other_peer, mine):
    session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer], participants=[mine])
    item = action_item(session, peer)
    sign(session)
    return session, item


@pytest.mark.parametrize(("sql", "what"), [
    ("UPDATE supervision_supervisionsession SET notes = 'rewritten' WHERE id = %s", "notes"),
    ("UPDATE supervision_supervisionsession SET duration_minutes = 480 WHERE id = %s", "duration"),
    ("UPDATE supervision_supervisionsession SET signed_at = NULL WHERE id = %s", "unsigning"),
    ("DELETE FROM supervision_supervisionsession WHERE id = %s", "deleting"),
])
def test_a_signed_session_cannot_be_changed_by_raw_sql(locked, sql, what):
    session, _ = locked
    assert refused(sql, [session.pk]), what
    assert SupervisionSession.objects.get(pk=session.pk).notes == "Talked through the week."


def test_a_signed_sessions_supervisees_topics_and_participants_cannot_change(locked, admin, theirs):
    session, _ = locked
    attendance = session.attendances.first()
    assert refused("DELETE FROM supervision_attendance WHERE id = %s", [attendance.pk])
    assert refused("UPDATE supervision_attendance SET membership_id = %s WHERE id = %s",
                   [admin.memberships.get().pk, attendance.pk])
    assert refused("INSERT INTO supervision_attendance (session_id, membership_id) VALUES (%s, %s)",
                   [session.pk, admin.memberships.get().pk])
    assert refused("DELETE FROM supervision_sessiontopic WHERE session_id = %s", [session.pk])
    assert refused("INSERT INTO supervision_sessiontopic (session_id, topic_id) VALUES (%s, %s)",
                   [session.pk, topics()["skills"].pk])
    assert refused("DELETE FROM supervision_sessionparticipant WHERE session_id = %s", [session.pk])
    assert refused("INSERT INTO supervision_sessionparticipant (session_id, client_id) VALUES (%s, %s)",
                   [session.pk, theirs.pk])
    assert session.attendances.count() == 2
    assert SessionTopic.objects.filter(session=session).count() == 1
    assert SessionParticipant.objects.filter(session=session).count() == 1


def test_a_supervisee_acknowledges_a_signed_session_once(locked):
    session, _ = locked
    attendance = session.attendances.first()
    assert run("UPDATE supervision_attendance SET acknowledged_at = now() WHERE id = %s", [attendance.pk]) == 1
    assert refused("UPDATE supervision_attendance SET acknowledged_at = now() - interval '1 day' WHERE id = %s",
                   [attendance.pk]), "an acknowledgement is not rewritten"
    assert refused("UPDATE supervision_attendance SET acknowledged_at = NULL WHERE id = %s", [attendance.pk])


def test_a_draft_cannot_be_acknowledged(supervisor, peer):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    attendance = draft.attendances.get()
    assert refused("UPDATE supervision_attendance SET acknowledged_at = now() WHERE id = %s", [attendance.pk])


def test_an_action_item_of_a_signed_session_can_only_be_marked_done(locked, peer):
    _, item = locked
    assert run("UPDATE supervision_actionitem SET done_at = now(), done_by_id = %s WHERE id = %s",
               [peer.pk, item.pk]) == 1
    assert run("UPDATE supervision_actionitem SET done_at = NULL, done_by_id = NULL WHERE id = %s", [item.pk]) == 1
    assert refused("UPDATE supervision_actionitem SET description = 'something else' WHERE id = %s", [item.pk])
    assert refused("UPDATE supervision_actionitem SET due_on = due_on + 30 WHERE id = %s", [item.pk])
    assert refused("DELETE FROM supervision_actionitem WHERE id = %s", [item.pk])
    assert refused("INSERT INTO supervision_actionitem (uuid, session_id, assignee_id, description, due_on, "
                   "created_at) SELECT gen_random_uuid(), session_id, assignee_id, 'new', due_on, now() "
                   "FROM supervision_actionitem WHERE id = %s", [item.pk])


def test_a_supervisee_must_be_staff_of_the_sessions_program_and_not_its_supervisor(supervisor, peer, outsider):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    assert refused("INSERT INTO supervision_attendance (session_id, membership_id) VALUES (%s, %s)",
                   [draft.pk, outsider.memberships.get().pk])
    assert refused("INSERT INTO supervision_attendance (session_id, membership_id) VALUES (%s, %s)",
                   [draft.pk, supervisor.memberships.get().pk])


def test_a_draft_can_be_changed_and_deleted_with_its_parts(supervisor, peer, other_peer):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    action_item(draft, peer)
    assert run("UPDATE supervision_supervisionsession SET notes = 'better' WHERE id = %s", [draft.pk]) == 1
    draft.delete()
    assert not SupervisionSession.objects.filter(pk=draft.pk).exists()
    assert not Attendance.objects.filter(session_id=draft.pk).exists()


def test_addenda_belong_to_signed_sessions_and_never_change(locked, supervisor):
    session, _ = locked
    addendum = SupervisionAddendum.objects.create(session=session, author=supervisor, text="Also: 20 minutes on CE.")
    assert refused("UPDATE supervision_supervisionaddendum SET text = 'nothing' WHERE id = %s", [addendum.pk])
    assert refused("DELETE FROM supervision_supervisionaddendum WHERE id = %s", [addendum.pk])
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[session.attendances.first().membership.user])
    assert refused("INSERT INTO supervision_supervisionaddendum (uuid, session_id, author_id, text, created_at) "
                   "VALUES (gen_random_uuid(), %s, %s, 'x', now())", [draft.pk, supervisor.pk])
