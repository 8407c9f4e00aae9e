"""Workflows of the supervision app (STYLE.md: ``noun_verb``, keyword-only, atomic).

Views check who may do what (``recovery.scoping`` and the helpers in ``supervision.views.common``);
these functions keep the records consistent. What the database must never allow (changing a signed
session, acknowledging a draft) is refused by triggers too (``supervision.models.sessions``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.models import Membership, Program, User
from supervision.models import ActionItem, Attendance, SupervisionAddendum, SupervisionSession, Topic

ALREADY_SIGNED = _("This session is signed: it can no longer change. Add an addendum instead.")
NOT_SIGNED = _("This session is not signed yet.")
NO_SUPERVISEES = _("Choose who was supervised.")
INDIVIDUAL_NEEDS_ONE = _("An individual session has exactly one supervisee: choose group for more.")
GROUP_NEEDS_TWO = _("A group session has at least two supervisees.")
ASSIGNEE_NOT_THERE = _("Choose a supervisee of this session, or yourself.")


@dataclass(frozen=True)
class SessionDetails:
    """What the session form collects (the form's ``cleaned_data``, checked)."""

    kind: str
    held_on: datetime.date
    duration_minutes: int
    format: str
    supervisees: list[Membership]
    topics: list[Topic]
    participants: list
    notes: str = ""

    @classmethod
    def from_form(cls, data: dict) -> SessionDetails:
        return cls(kind=data["kind"], held_on=data["held_on"], duration_minutes=data["duration_minutes"],
                   format=data["format"], supervisees=list(data["supervisees"]), topics=list(data["topics"]),
                   participants=list(data["participants_discussed"]), notes=data["notes"])


def supervisees_check(kind: str, supervisees: list) -> None:
    """Raise ``ValidationError`` (on the field) when the number of supervisees does not fit the kind."""
    if not supervisees:
        raise ValidationError({"supervisees": NO_SUPERVISEES})
    if kind == SupervisionSession.Kind.INDIVIDUAL and len(supervisees) != 1:
        raise ValidationError({"supervisees": INDIVIDUAL_NEEDS_ONE})
    if kind == SupervisionSession.Kind.GROUP and len(supervisees) < 2:
        raise ValidationError({"supervisees": GROUP_NEEDS_TWO})


def _write_parts(session: SupervisionSession, details: SessionDetails) -> None:
    """Make the session's supervisees, topics and participants discussed exactly those of ``details``."""
    session.supervisees.set(details.supervisees)
    session.topics.set(details.topics)
    session.participants_discussed.set(details.participants)
    # An action item of someone no longer at the session goes with them.
    keep = {m.user_id for m in details.supervisees} | {session.supervisor_id}
    session.action_items.exclude(assignee_id__in=keep).delete()


@transaction.atomic
def supervision_session_record(*, program: Program, supervisor: User, details: SessionDetails) -> SupervisionSession:
    """Record a draft session (the view runs it once per form token: ``recovery.once``)."""
    supervisees_check(details.kind, details.supervisees)
    session = SupervisionSession.objects.create(
        program=program, supervisor=supervisor, kind=details.kind, held_on=details.held_on,
        duration_minutes=details.duration_minutes, format=details.format, notes=details.notes,
    )
    _write_parts(session, details)
    return session


@transaction.atomic
def supervision_session_update(*, session: SupervisionSession, details: SessionDetails) -> SupervisionSession:
    """Change a draft session (a signed one is refused here and by the database)."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        raise ValidationError(ALREADY_SIGNED)
    supervisees_check(details.kind, details.supervisees)
    session.kind, session.held_on, session.duration_minutes = details.kind, details.held_on, details.duration_minutes
    session.format, session.notes = details.format, details.notes
    session.save()
    _write_parts(session, details)
    return session


@transaction.atomic
def supervision_session_sign(*, session: SupervisionSession) -> SupervisionSession:
    """Sign a draft: from now on its hours count toward trainees' certification and it is locked."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        return session  # signed already (a second click): nothing to do
    supervisees_check(session.kind, list(session.attendances.all()))
    session.signed_at = timezone.now()
    session.save(update_fields=["signed_at", "updated_at"])
    return session


@transaction.atomic
def supervision_session_discard(*, session: SupervisionSession) -> None:
    """Delete a draft session with its parts (a signed session is never deleted)."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        raise ValidationError(ALREADY_SIGNED)
    session.delete()


def supervision_session_acknowledge(*, attendance: Attendance) -> Attendance:
    """A supervisee confirms the signed session as recorded. Once: a second click changes nothing."""
    if not attendance.session.is_signed:
        raise ValidationError(NOT_SIGNED)
    now = timezone.now()
    if Attendance.objects.filter(pk=attendance.pk, acknowledged_at__isnull=True).update(acknowledged_at=now):
        attendance.acknowledged_at = now
    else:
        attendance.refresh_from_db(fields=["acknowledged_at"])
    return attendance


@transaction.atomic
def supervision_addendum_add(*, session: SupervisionSession, author: User, text: str) -> SupervisionAddendum:
    """Add a correction to a signed session."""
    if not session.is_signed:
        raise ValidationError(NOT_SIGNED)
    return SupervisionAddendum.objects.create(session=session, author=author, text=text)


@transaction.atomic
def action_item_add(*, session: SupervisionSession, assignee: User, description: str,
                    due_on: datetime.date) -> ActionItem:
    """Add an action item to a draft session, for one of its supervisees or the supervisor."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        raise ValidationError(ALREADY_SIGNED)
    if assignee.pk != session.supervisor_id and not session.attendances.filter(membership__user=assignee).exists():
        raise ValidationError({"assignee": ASSIGNEE_NOT_THERE})
    return ActionItem.objects.create(session=session, assignee=assignee, description=description, due_on=due_on)


def action_item_mark(*, item: ActionItem, by: User, done: bool) -> ActionItem:
    """Mark an action item done (or not done after all). Allowed on signed sessions too."""
    if done and item.done_at is None:
        ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=timezone.now(), done_by=by)
    elif not done and item.done_at is not None:
        ActionItem.objects.filter(pk=item.pk).update(done_at=None, done_by=None)
    item.refresh_from_db(fields=["done_at", "done_by"])
    return item
