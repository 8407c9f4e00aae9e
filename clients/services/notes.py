"""Workflows on session notes (STYLE.md: ``noun_verb``).

Views decide who may call these (``recovery.scoping``: only the peer who carries the participant writes,
only a note's author signs it); these functions keep notes, units and follow-ups consistent. A signed
note is final in the database too (triggers on ``clients.SessionNote`` and its goals and services).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.models import Client, FollowUp, Goal, NoteAddendum, SessionNote, SupportService
from clients.models.followups import NOTE_DISCARDED
from clients.models.notes import session_ended_at
from clients.note_events import addendum_added_publish, note_signed_publish
from clients.reminders import shown_later
from clients.services.followups import followup_cancel, followup_complete
from clients.units import units_assess
from recovery.models import Membership, Program, User
from recovery.notify import notification_send

NOT_THE_AUTHOR = gettext_noop("Only the author of a note can change, sign or discard it.")
ALREADY_SIGNED = gettext_noop("This note is signed and can no longer change: add an addendum instead.")
ADDENDUM_NEEDS_SIGNED_NOTE = gettext_noop("A draft is corrected by editing it: addenda are for signed notes.")
FOLLOW_UP_DATE_REMOVED = "The follow-up date was removed from the note."


def _follow_up_purpose(note: SessionNote) -> str:
    return note.follow_up_purpose.strip() or f"Follow up after the session on {note.session_date:%b %-d, %Y}."


def _sync_follow_up(note: SessionNote, by: User) -> None:
    """Keep the follow-up asked for by the note's follow-up date in step with the (draft) note."""
    created = list(note.followups_created.all())
    still_open = [f for f in created if f.is_open]
    if note.follow_up_on is None:
        for followup in still_open:
            followup_cancel(followup=followup, by=by, reason=FOLLOW_UP_DATE_REMOVED)
    elif still_open:
        FollowUp.objects.filter(pk__in=[f.pk for f in still_open]).update(
            due_on=note.follow_up_on, purpose=_follow_up_purpose(note))
    elif not created:
        FollowUp.objects.create(client_id=note.client_id, due_on=note.follow_up_on, assignee=note.author,
                                purpose=_follow_up_purpose(note), from_note=note, created_by=by)


def note_crisis_notify(note: SessionNote, program: Program) -> None:
    """A crisis flag tells the author's supervisor at once (the program's admins when they have none).

    The text names the author, never the participant; the link leads to the note, which is scoped.
    """
    if not note.crisis_flag:
        return
    supervisor_ids = list(Membership.objects.filter(user_id=note.author_id, program=program, is_active=True,
                                                    supervisor__isnull=False).values_list("supervisor_id", flat=True))
    if not supervisor_ids:
        supervisor_ids = list(Membership.objects.filter(program=program, is_active=True,
                                                        role=Membership.Role.ADMIN).values_list("user_id", flat=True))
    for recipient in User.objects.filter(pk__in=supervisor_ids, is_active=True):
        notification_send(recipient=recipient, kind="crisis_flag", program=program,
                          title=shown_later(_("Crisis flag on a session note by %(name)s"), name=note.author.full_name),
                          body=_("A session note was flagged as a crisis. Open it to see what happened."),
                          url=note.get_absolute_url(), dedupe_key=f"crisis_flag:{note.uuid}",
                          client_uuid=note.client.uuid)


def _set_times(note: SessionNote, program: Program) -> None:
    note.ended_at = session_ended_at(program.zone, note.session_date, note.start_time, note.end_time,
                                     note.duration_minutes)


@transaction.atomic
def note_create(*, note: SessionNote, client: Client, author: User, goals: Iterable[Goal] = (),
                services: Iterable[SupportService] = (), completes: Iterable[FollowUp] = ()) -> SessionNote:
    """Save a new draft (built by the form): its goals and services, the follow-up its date asks for, the
    follow-ups it took care of, and the crisis notification."""
    note.client, note.author, note.status = client, author, SessionNote.Status.DRAFT
    _set_times(note, client.program)
    note.save()
    note.goals.set(goals)
    note.services.set(services)
    _sync_follow_up(note, author)
    for followup in completes:
        followup_complete(followup=followup, by=author, note=note)
    note_crisis_notify(note, client.program)
    return note


def _locked_draft(note: SessionNote, by: User) -> SessionNote:
    current = SessionNote.objects.select_for_update().get(pk=note.pk)
    if current.author_id != by.pk:
        raise ValidationError(gettext(NOT_THE_AUTHOR))
    if current.is_signed:
        raise ValidationError(gettext(ALREADY_SIGNED))
    return current


@transaction.atomic
def note_update(*, note: SessionNote, by: User, goals: Iterable[Goal],
                services: Iterable[SupportService]) -> SessionNote:
    """Save the author's changes to a draft (``note`` carries them; a signed note refuses)."""
    _locked_draft(note, by)
    _set_times(note, note.client.program)
    note.save()
    note.goals.set(goals)
    note.services.set(services)
    _sync_follow_up(note, by)
    note_crisis_notify(note, note.client.program)
    return note


@transaction.atomic
def note_sign(*, note: SessionNote, by: User) -> SessionNote:
    """Sign a draft: stamp who and when, fix its units (capped, with the reason) and the late-entry and
    billing flags. Signing an already signed note changes nothing (a second click)."""
    # Signatures of one participant's notes take turns, so two cannot both use the last units of a cap.
    client = Client.objects.select_for_update(of=("self",)).select_related("program").get(pk=note.client_id)
    current = SessionNote.objects.select_for_update(of=("self",)).select_related("service_code", "author").get(
        pk=note.pk)
    if current.author_id != by.pk:
        raise ValidationError(gettext(NOT_THE_AUTHOR))
    if current.is_signed:
        return current
    program = client.program
    assessment = units_assess(current, program)
    now = timezone.now()
    current.status, current.signed_at, current.signed_by = SessionNote.Status.SIGNED, now, by
    current.late_entry = now > current.sign_deadline(program)
    current.units_computed, current.units_billable = assessment.computed, assessment.billable
    current.units_note = assessment.reason_text
    current.billing_flagged, current.billing_flag_reason = bool(assessment.flag_reason), assessment.flag_reason
    current.save()
    note_signed_publish(note=current)  # supervision queues the review, in this transaction
    return current


@transaction.atomic
def note_discard(*, note: SessionNote, by: User) -> None:
    """Delete a draft: the follow-up it asked for is cancelled, those it marked done are open again."""
    current = _locked_draft(note, by)
    FollowUp.objects.filter(from_note=current, status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.CANCELLED, closed_at=timezone.now(), closed_by=by, close_reason=NOTE_DISCARDED)
    FollowUp.objects.filter(done_in_note=current).update(
        status=FollowUp.Status.OPEN, closed_at=None, closed_by=None, close_reason="", done_in_note=None)
    current.delete()


@transaction.atomic
def note_addendum_add(*, note: SessionNote, author: User, text: str) -> NoteAddendum:
    """Add a correction under a signed note (a draft is edited instead)."""
    if not note.is_signed:
        raise ValidationError(gettext(ADDENDUM_NEEDS_SIGNED_NOTE))
    addendum = NoteAddendum.objects.create(note=note, author=author, text=text)
    addendum_added_publish(addendum=addendum)  # a returned note goes back to its reviewer
    return addendum
