"""Recovery plans: goals in the participant's own words, tagged with recovery dimensions, with action steps
and progress. A new version of a plan supersedes the old one, which stays readable and unchangeable.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from recovery.db import (
    CreatedAtModel,
    CreatedByModel,
    ReferenceItem,
    UuidModel,
    append_only,
    locked_with_parent,
    never_deleted,
    not_before,
    not_blank,
    offered_flag,
    required_unless,
    unchanged_when,
    unique_per_program,
)
from recovery.links import uuid_url
from recovery.scoping import ParticipantRecordQuerySet
from recovery.tracking import track

PLAN_READ_ONLY = gettext_noop("This version of the plan is closed: it can be read but not changed.")


def _plan_is_open_trigger(name: str, plan_id_sql: str) -> pgtrigger.Trigger:
    """Refuse inserts, updates and deletes of a plan's parts unless the plan is the active version.

    ``plan_id_sql`` finds the plan id from a row variable ``r`` (the OLD or NEW row).
    """
    return locked_with_parent(
        name, variable="plan_status",
        # plan_id_sql is a constant of this module, never input.
        lookup=f"SELECT p.status INTO plan_status FROM clients_recoveryplan p WHERE p.id = ({plan_id_sql})",  # noqa: S608
        refuse_if="plan_status IS DISTINCT FROM 'active'",
        message="clients: % of a closed plan version cannot change",  # i18n: ignore (a database error)
    )


@track()
class Dimension(ReferenceItem):
    """A recovery dimension a goal can be tagged with: each program's list (defaults: clients.dimensions),
    edited by its admins. A dimension in use is retired, never deleted: old goals keep it, new ones are not
    offered it."""

    class Framework(models.TextChoices):
        RECOVERY = "recovery", _("SAMHSA's four dimensions of recovery")
        WELLNESS = "wellness", _("SAMHSA's eight dimensions of wellness")

    name = models.CharField(max_length=60)
    framework = models.CharField(max_length=20, choices=Framework)
    description = models.CharField(max_length=300, blank=True)
    is_active = offered_flag(_("offered for new goals"), _("A retired dimension stays on old goals only."))

    class Meta(ReferenceItem.Meta):
        ordering = ["framework", "position", "name"]
        verbose_name = _("recovery dimension")
        constraints = [
            *unique_per_program("dimension", "code"),
            models.UniqueConstraint(fields=["program", "framework", "name"], name="dimension_name_per_program"),
        ]


@track()
class RecoveryPlan(UuidModel, CreatedByModel):
    """One version of a participant's recovery plan. Only the active version changes."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Current")
        SUPERSEDED = "superseded", _("Replaced by a newer version")
        CLOSED = "closed", _("Closed at discharge")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    started_on = models.DateField(_("plan date"))
    review_on = models.DateField(_("review date"), null=True, blank=True,
                                 help_text=_("When you and the participant will look at the plan again."))
    agreed_on = models.DateField(_("date the participant agreed"), null=True, blank=True)
    strengths = models.TextField(blank=True, help_text=_("What the participant brings: in their own words."))
    backup_plan = models.TextField(_("backup and crisis plan"), blank=True,
                                   help_text=_("What to do, and whom to call, when things get hard."))
    closed_on = models.DateField(null=True, blank=True)

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("recovery plan")
        indexes = [
            # The plan-review reminder sweep reads current plans by review date.
            models.Index(fields=["review_on"], name="plan_review_due_idx",
                         condition=Q(status="active", review_on__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(status="active"), name="plan_one_active_per_client"),
            not_before("review_on", "started_on", name="plan_review_after_start"),
            not_before("agreed_on", "started_on", name="plan_agreed_after_start"),
            models.CheckConstraint(condition=Q(status="active", closed_on__isnull=True)
                                   | (~Q(status="active") & Q(closed_on__isnull=False)),
                                   name="plan_closed_has_date"),
        ]
        triggers = [
            never_deleted("plan_never_deleted"),
            unchanged_when("plan_closed_is_final", ~pgtrigger.Q(old__status="active"), merge_movable=True),
        ]

    def __str__(self) -> str:
        return f"Recovery plan, version {self.version}"

    def get_absolute_url(self) -> str:
        return uuid_url("clients:plan_detail", self.uuid)

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.ACTIVE


class GoalQuerySet(ParticipantRecordQuerySet):
    participant_path = "plan__client__"


@track()
class Goal(UuidModel, CreatedAtModel):
    """A goal, in the participant's own words, tagged with one or more dimensions."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        REVISED = "revised", _("Revised")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(_("goal, in the participant's own words"))
    dimensions = models.ManyToManyField(Dimension, through="GoalDimension", related_name="+")
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    position = models.PositiveSmallIntegerField(default=0)
    # The goal of the previous plan version this one carries forward.
    carried_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [not_blank("text", name="goal_has_text")]
        triggers = [_plan_is_open_trigger("goal_plan_is_open", "r.plan_id")]

    def __str__(self) -> str:
        return f"Goal {self.position}"


# Tags are added and removed, never updated: both are kept in the history.
@track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class GoalDimension(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="goal_dimensions")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Goal dimension")  # as the participant's history has always named it (the catalogue's msgid)
        constraints = [models.UniqueConstraint(fields=["goal", "dimension"], name="goal_dimension_unique")]
        triggers = [_plan_is_open_trigger(
            "goal_dimension_plan_is_open", "SELECT g.plan_id FROM clients_goal g WHERE g.id = r.goal_id")]

    def __str__(self) -> str:
        return f"Goal {self.goal_id} / {self.dimension_id}"


class ObjectiveQuerySet(ParticipantRecordQuerySet):
    participant_path = "goal__plan__client__"


@track()
class Objective(UuidModel):
    """A measurable step toward a goal, with a target date (DOMAIN: goal → objectives → action steps)."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="objectives")
    text = models.TextField("objective", help_text=_("Something you can both see happen: what, how much, how often."))
    target_on = models.DateField(_("target date"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [not_blank("text", name="objective_has_text")]
        triggers = [_plan_is_open_trigger(
            "objective_plan_is_open", "SELECT g.plan_id FROM clients_goal g WHERE g.id = r.goal_id")]

    def __str__(self) -> str:
        return f"Objective {self.position}"


class ActionStepQuerySet(ParticipantRecordQuerySet):
    participant_path = "goal__plan__client__"


@track()
class ActionStep(UuidModel, CreatedAtModel):
    """What will be done toward a goal, by whom, by when."""

    class Who(models.TextChoices):
        PARTICIPANT = "participant", _("The participant")
        PEER = "peer", _("Peer specialist")
        OTHER = "other", _("Someone else")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="steps")
    # The objective the step serves, when the goal has objectives (a step may serve the goal as a whole).
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, null=True, blank=True, related_name="steps",
                                  verbose_name=_("toward the objective"))
    description = models.TextField("what")
    who = models.CharField(max_length=20, choices=Who, default=Who.PARTICIPANT)
    who_detail = models.CharField(_("who else"), max_length=150, blank=True,
                                  help_text=_("When someone else: their name or role."))
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ActionStepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("action step")
        constraints = [
            not_blank("description", name="step_has_description"),
            required_unless("who_detail", ~Q(who="other"), name="step_other_is_named"),
        ]
        triggers = [_plan_is_open_trigger(
            "step_plan_is_open", "SELECT g.plan_id FROM clients_goal g WHERE g.id = r.goal_id")]

    def __str__(self) -> str:
        return f"Step {self.position}"

    @property
    def who_text(self) -> str:
        return self.who_detail if self.who == self.Who.OTHER else self.get_who_display()


class GoalProgressQuerySet(ParticipantRecordQuerySet):
    participant_path = "goal__plan__client__"


@track()
class GoalProgress(CreatedAtModel):
    """A dated note of progress toward a goal. Added, never edited."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    noted_on = models.DateField("date")
    text = models.TextField("progress")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = GoalProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-noted_on", "-pk"]
        verbose_name = _("progress note")
        constraints = [not_blank("text", name="progress_has_text")]
        triggers = [
            append_only("progress_is_append_only"),
            _plan_is_open_trigger("progress_plan_is_open",
                                  "SELECT g.plan_id FROM clients_goal g WHERE g.id = r.goal_id"),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.noted_on:%Y-%m-%d}"
