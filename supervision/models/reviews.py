"""The note review queue: signed notes of supervisees that their supervisor reads, then approves or returns.

A note enters the queue when it is signed, if the program's ``note_review_policy`` picks it
(``supervision.services.note_review_enqueue``). The author's supervisor approves it (it leaves the
queue) or returns it with a comment (it waits for the author's addendum, which puts it back in the
queue). Each decision is kept, with how long the note waited for it: the turnaround.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recovery.db import UuidModel, append_only, never_deleted, required_unless, unchanged_when
from recovery.links import uuid_url
from recovery.scoping import participant_q, staff_q
from recovery.tracking import track


class NoteReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> NoteReviewQuerySet:
        """Reviews of notes the user may see (by their participant) written by staff the user may see."""
        return self.filter(participant_q(user, prefix="note__client__"), staff_q(user, "author_membership__"))

    def pending(self) -> NoteReviewQuerySet:
        return self.filter(status=NoteReview.Status.PENDING)

    def returned(self) -> NoteReviewQuerySet:
        return self.filter(status=NoteReview.Status.RETURNED)

    def queue_order(self) -> NoteReviewQuerySet:
        """The queue's order (the queue, "approve and next", My day): crisis notes first, then the longest
        waiting."""
        return self.order_by("-note__crisis_flag", "queued_at", "pk")

    def for_reviewer(self, user) -> NoteReviewQuerySet:
        """Reviews ``user`` decides: those of notes written by the staff they directly supervise."""
        return self.filter(author_membership__supervisor=user, author_membership__is_active=True)


# The audit report's changes tab reads a program's events newest first: an index on the event time.
@track(meta={"indexes": [models.Index(fields=["pgh_created_at", "pgh_id"], name="notereview_event_at_idx")]})
class NoteReview(UuidModel):
    """A signed session note in (or through) the review queue."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned for an addendum")
        APPROVED = "approved", _("Approved")

    class Reason(models.TextChoices):
        # Why the note was picked: the program's policy when it was signed.
        ALL = "all", _("Every signed note is reviewed")
        SHARE = "share", _("Picked for the program's share of notes")
        TRAINEE = "trainee", _("Written by staff in training")
        CRISIS = "crisis", _("Crisis flag")

    note = models.OneToOneField("clients.SessionNote", on_delete=models.PROTECT, related_name="review")
    # The author's membership in the note's program: who reviews it (its supervisor) and scoping.
    author_membership = models.ForeignKey("recovery.Membership", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    first_queued_at = models.DateTimeField(help_text=_("When the signed note first entered the queue."))
    queued_at = models.DateTimeField(help_text=_("When the note (last) entered the queue."))
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = NoteReviewQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("note review")
        constraints = [
            models.CheckConstraint(condition=Q(queued_at__gte=models.F("first_queued_at")),
                                   name="note_review_queued_after_first"),
            models.CheckConstraint(condition=Q(status="pending") | Q(decided_at__isnull=False),
                                   name="note_review_decision_has_time"),
        ]
        indexes = [
            models.Index(fields=["author_membership", "status", "queued_at"], name="note_review_queue_idx"),
            # An admin's whole-program queue: the pending reviews oldest first, without reading the decided
            # ones (99 % of the table after a year).
            models.Index(fields=["queued_at", "id"], name="note_review_pending_idx", condition=Q(status="pending")),
        ]
        triggers = [
            # The record of review is kept: an approved review is final and no review is deleted.
            never_deleted("note_review_never_deleted"),
            unchanged_when("note_review_approved_is_final", pgtrigger.Q(old__status="approved")),
        ]

    def __str__(self) -> str:
        return f"Review of a note ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return uuid_url("supervision:review_detail", self.uuid)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class NoteReviewDecision(models.Model):
    """One decision on a review: approved, or returned with a comment. Written once, never changed."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for an addendum")

    review = models.ForeignKey(NoteReview, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    # How long the note waited in the queue for this decision (from queued_at).
    waited = models.DurationField()

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("note review decision")
        constraints = [
            required_unless("comment", ~Q(decision="returned"), name="note_review_return_has_comment"),
        ]
        indexes = [models.Index(fields=["decided_by", "decided_at"], name="note_review_decided_idx"),
                   # the review queue's turnaround: the last month of a program's decisions
                   models.Index(fields=["decided_at"], name="note_review_decision_at_idx")]
        triggers = [
            append_only("note_review_decision_final"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.decided_at:%Y-%m-%d}"
