"""Check-ins: a participant's answers to an instrument on one day, final once submitted.

PostgreSQL holds it: a check-in and its answers can be neither updated nor deleted (pgtrigger, and the
runtime role holds no UPDATE or DELETE on these tables: recovery/dbroles.py revokes them for every
unconditional Protect trigger), and answers can only be added in the transaction that created their
check-in. A correction is a new check-in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.functions import TransactionNow
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import UuidModel, append_only, before_insert
from recovery.scoping import ParticipantRecordQuerySet


class CheckIn(UuidModel):
    class Occasion(models.TextChoices):
        INTAKE = "intake", _("At intake")
        ROUTINE = "routine", _("Routine")
        DISCHARGE = "discharge", _("At discharge")

    client = participant_key("checkins")
    instrument = models.ForeignKey("outcomes.Instrument", on_delete=models.PROTECT, related_name="checkins")
    taken_on = models.DateField(_("date"))
    occasion = models.CharField(max_length=20, choices=Occasion, default=Occasion.ROUTINE)
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    skipped = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The transaction's start (PostgreSQL's now()): the answer trigger compares it with its own now().
    created_at = models.DateTimeField(db_default=TransactionNow(), editable=False)

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-taken_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "instrument", "taken_on"], name="checkin_client_idx")]
        triggers = [
            append_only("checkin_is_final", merge_movable=True),
        ]

    def __str__(self) -> str:
        return f"Check-in of {self.taken_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:checkin_detail", kwargs={"client_uuid": self.client.uuid, "checkin_uuid": self.uuid})


class Answer(models.Model):
    """One item's answer; no row for a skipped item."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey("outcomes.Item", on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkin", "item"], name="answer_once_per_item")]
        triggers = [
            append_only("answer_is_final"),
            # Answers come with their check-in, in the same transaction; never added to it later.
            before_insert(
                "answer_with_its_checkin", declare=[("created", "TIMESTAMPTZ")],
                func="""
                    SELECT c.created_at INTO created FROM outcomes_checkin c WHERE c.id = NEW.checkin_id;
                    IF created IS DISTINCT FROM now() THEN
                        RAISE EXCEPTION 'outcomes: a submitted check-in is final' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.value}"
