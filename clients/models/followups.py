"""Follow-ups: what a peer promised to do for a participant, by when. Open until done or cancelled."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import CreatedByModel, UuidModel, never_deleted, not_blank, required_unless
from recovery.links import uuid_url
from recovery.scoping import ParticipantRecordQuerySet
from recovery.tracking import track

DISCHARGED = "Discharged."
NOTE_DISCARDED = "The note that asked for it was discarded."


class FollowUpQuerySet(ParticipantRecordQuerySet):
    def open(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUp.Status.OPEN)

    def due_by(self, day: datetime.date) -> FollowUpQuerySet:
        """Open follow-ups due on ``day`` or earlier (overdue ones included)."""
        return self.open().filter(due_on__lte=day)

    def on_desk_of(self, user) -> FollowUpQuerySet:
        """Assigned to ``user``, or about a participant they carry (whoever it was first assigned to)."""
        return self.filter(Q(assignee=user) | Q(client__primary_peer=user))

    def listed_for(self, membership, user) -> FollowUpQuerySet:
        """The open follow-ups the list (and its export) shows: a peer's own desk, a supervisor's team, an
        admin's program (as far as this queryset reaches). Soonest first."""
        rows = self.open().filter(client__program=membership.program)
        if membership.is_peer:
            rows = rows.on_desk_of(user)
        return rows.select_related("client", "assignee").order_by("due_on", "pk")


# The audit report's changes tab reads a program's events newest first: an index on the event time.
@track(meta={"indexes": [models.Index(fields=["pgh_created_at", "pgh_id"], name="followup_event_at_idx")]})
class FollowUp(UuidModel, CreatedByModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    client = participant_key("followups")
    due_on = models.DateField(_("due date"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("who will do it"))
    purpose = models.CharField(_("what for"), max_length=300)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    # The note whose follow-up date asked for it, and the note of the contact that did it.
    from_note = models.ForeignKey("clients.SessionNote", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="followups_created")
    done_in_note = models.ForeignKey("clients.SessionNote", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="followups_done", verbose_name=_("done in the session of"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    close_reason = models.CharField("why", max_length=300, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True, closed_by__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False, closed_by__isnull=False)),
                name="followup_closed_has_who_and_when",
            ),
            models.CheckConstraint(condition=Q(done_in_note__isnull=True) | Q(status="done"),
                                   name="followup_note_only_when_done"),
            required_unless("close_reason", ~Q(status="cancelled"), name="followup_cancel_has_reason"),
            not_blank("purpose", name="followup_has_purpose"),
        ]
        indexes = [
            models.Index(fields=["client", "due_on"], name="followup_client_open_idx", condition=Q(status="open")),
            models.Index(fields=["assignee", "due_on"], name="followup_assignee_open_idx",
                         condition=Q(status="open")),
        ]
        triggers = [never_deleted("followup_never_deleted")]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return uuid_url("clients:followup_detail", self.uuid)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today
