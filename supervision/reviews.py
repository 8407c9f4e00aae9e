"""Workflows of the note review queue (STYLE.md: ``noun_verb``, keyword-only, atomic).

Two of them handle the notes' events (``clients.note_events``, subscribed in
``SupervisionConfig.ready()``): ``note_review_enqueue`` when a note is signed and
``note_review_addendum_added`` when an addendum is written, each inside the notes service's transaction;
the supervision views call the others.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peers.models import Credential
from recovery.models import Membership, Program, User
from recovery.notify import notification_send
from supervision.models import NoteReview, NoteReviewDecision

NOT_THE_REVIEWER = _("Only the author's supervisor reviews this note.")
NOT_PENDING = _("This note is not waiting for review.")
RETURN_NEEDS_COMMENT = _("Say what the addendum should add or correct.")
RETURNED_TITLE = _("A session note was returned to you for an addendum")
RETURNED_BODY = _("Your supervisor asked for an addendum to a signed note. Open it to read the comment.")


def _share_picks(note) -> int:
    """A stable number from 0 to 99 for a note: the same note is always in (or out of) a given share."""
    return int.from_bytes(hashlib.sha256(note.uuid.bytes).digest()[:8], "big") % 100


def note_review_reason(note, author_membership: Membership) -> str | None:
    """Why the program's policy puts ``note`` in the review queue, or None when it does not."""
    program = author_membership.program
    policy = program.note_review_policy
    if policy == Program.NoteReviewPolicy.ALL:
        return NoteReview.Reason.ALL
    if policy == Program.NoteReviewPolicy.SHARE:
        return NoteReview.Reason.SHARE if _share_picks(note) < program.note_review_share_percent else None
    if policy == Program.NoteReviewPolicy.TRAINEES:
        in_training = Credential.objects.in_training().filter(membership=author_membership).exists()
        return NoteReview.Reason.TRAINEE if in_training else None
    if policy == Program.NoteReviewPolicy.CRISIS:
        return NoteReview.Reason.CRISIS if note.crisis_flag else None
    return None


def note_review_enqueue(*, note) -> NoteReview | None:
    """Put a just-signed note in its author's supervisor's review queue, if the program's policy picks it.

    Handles ``clients.note_events.NOTE_SIGNED``: runs inside ``note_sign``'s transaction. Notes of staff
    without a supervisor are not queued (nobody could review them). Idempotent: a note is queued once.
    """
    if not note.is_signed:
        return None
    author_membership = (Membership.objects.select_related("program")
                         .filter(user_id=note.author_id, program_id=note.client.program_id).first())
    if author_membership is None or author_membership.supervisor_id is None:
        return None
    reason = note_review_reason(note, author_membership)
    if reason is None:
        return None
    queued_at = note.signed_at or timezone.now()
    review, _created = NoteReview.objects.get_or_create(note=note, defaults={
        "author_membership": author_membership, "reason": reason, "first_queued_at": queued_at,
        "queued_at": queued_at,
    })
    return review


def _decide(review: NoteReview, *, by: User, decision: str, comment: str = "") -> NoteReview:
    now = timezone.now()
    NoteReviewDecision.objects.create(review=review, decision=decision, comment=comment, decided_by=by,
                                      decided_at=now, waited=now - review.queued_at)
    review.status, review.decided_at = decision, now
    review.save(update_fields=["status", "decided_at"])
    return review


def _locked_pending(review: NoteReview, by: User) -> NoteReview:
    review = NoteReview.objects.select_for_update().select_related("author_membership", "note").get(pk=review.pk)
    if review.author_membership.supervisor_id != by.pk:
        raise PermissionDenied(NOT_THE_REVIEWER)
    if not review.is_pending:
        raise ValidationError(NOT_PENDING)
    return review


@transaction.atomic
def note_review_approve(*, review: NoteReview, by: User) -> NoteReview:
    """The supervisor approves the note: it leaves the queue for good."""
    return _decide(_locked_pending(review, by), by=by, decision=NoteReviewDecision.Decision.APPROVED)


@transaction.atomic
def note_review_return(*, review: NoteReview, by: User, comment: str) -> NoteReview:
    """The supervisor returns the note with a comment; its author is asked for an addendum (notified,
    without the participant's name)."""
    if not comment.strip():
        raise ValidationError({"comment": RETURN_NEEDS_COMMENT})
    review = _decide(_locked_pending(review, by), by=by, decision=NoteReviewDecision.Decision.RETURNED,
                     comment=comment.strip())
    rounds = review.decisions.count()
    notification_send(recipient=review.author_membership.user, kind="note_review", title=RETURNED_TITLE,
                      body=RETURNED_BODY, url=review.get_absolute_url(),
                      program=review.author_membership.program_id,
                      dedupe_key=f"note_review_returned:{review.uuid}:{rounds}")
    return review


def note_review_addendum_added(*, addendum) -> NoteReview | None:
    """The author's addendum to a returned note puts it back in the queue (handles
    ``clients.note_events.ADDENDUM_ADDED``, inside ``note_addendum_add``'s transaction)."""
    note = addendum.note
    if addendum.author_id != note.author_id:
        return None
    moved = NoteReview.objects.filter(note=note, status=NoteReview.Status.RETURNED).update(
        status=NoteReview.Status.PENDING, queued_at=addendum.created_at or timezone.now())
    return NoteReview.objects.get(note=note) if moved else None
