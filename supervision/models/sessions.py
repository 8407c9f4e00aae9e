"""Supervision sessions: who met whom, when, for how long, about what; action items; addenda.

A session is a draft until its supervisor signs it. From then on it is locked in PostgreSQL, like a
signed session note: the session row and its parts (supervisees, topics, participants discussed, action
items) refuse changes, except the two things that happen after signing: each supervisee's
acknowledgement, and an action item being marked done. Corrections are addenda.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recovery.db import (
    CreatedAtModel,
    ReferenceItem,
    UuidModel,
    append_only,
    before_insert,
    locked_when,
    merge_move,
    not_blank,
    offered_flag,
    set_together,
    unique_per_program,
)
from recovery.scoping import reach, staff_q
from recovery.tracking import track

SESSION_TABLE = "supervision_supervisionsession"
MAX_MINUTES = 8 * 60
LOCKED_MESSAGE = "supervision: % of a signed supervision session cannot change"  # i18n: ignore (trigger)


def _session_part_trigger(name: str, *, update_allowed: str = "FALSE", extra: str = "") -> pgtrigger.Trigger:
    """Refuse inserts, updates and deletes of a session's part once the session is signed.

    ``update_allowed`` (SQL on OLD and NEW, a constant of this module) names the one change a signed
    session's part may still take; ``extra`` adds checks on NEW for inserts and updates.
    """
    raise_locked = f"RAISE EXCEPTION '{LOCKED_MESSAGE}', TG_TABLE_NAME USING ERRCODE = 'check_violation';"
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("old_signed", "TIMESTAMPTZ"), ("new_signed", "TIMESTAMPTZ")],
        func=f"""
            IF TG_OP <> 'INSERT' THEN
                SELECT s.signed_at INTO old_signed FROM {SESSION_TABLE} s WHERE s.id = OLD.session_id;
            END IF;
            IF TG_OP = 'DELETE' THEN
                IF old_signed IS NOT NULL THEN {raise_locked} END IF;
                RETURN OLD;
            END IF;
            SELECT s.signed_at INTO new_signed FROM {SESSION_TABLE} s WHERE s.id = NEW.session_id;
            IF TG_OP = 'INSERT' AND new_signed IS NOT NULL THEN {raise_locked} END IF;
            IF TG_OP = 'UPDATE' AND (old_signed IS NOT NULL OR new_signed IS NOT NULL)
               AND NOT (NEW.id = OLD.id AND NEW.session_id = OLD.session_id AND ({update_allowed})) THEN
                {raise_locked}
            END IF;
            {extra}
            RETURN NEW;
        """,  # noqa: S608 (the SQL pieces are constants of this module, never input)
    )


@track()
class Topic(ReferenceItem):
    """What a supervision session can cover: each program's data (defaults: supervision.topics), edited
    by its admins, retired rather than deleted."""

    is_active = offered_flag(_("offered for new sessions"), _("A retired topic stays on old sessions only."))

    class Meta(ReferenceItem.Meta):
        constraints = unique_per_program("supervision_topic", "code", "name")


class SupervisionSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SupervisionSessionQuerySet:
        """Sessions the user led (in a program they still belong to), and signed sessions where a
        supervisee is staff the user may see (themselves, their supervisees, anyone of a program they
        administer)."""
        attended = Attendance.objects.filter(staff_q(user, "membership__"), session=OuterRef("pk"))
        led = Q(supervisor_id=user.pk, program_id__in=sorted(reach(user).program_ids)) if user.is_authenticated \
            else Q(pk__in=[])
        # A draft is its supervisor's work in progress: only they see it.
        return self.filter(led | Q(Exists(attended), signed_at__isnull=False))

    def signed(self) -> SupervisionSessionQuerySet:
        return self.filter(signed_at__isnull=False)

    def attended_by(self, membership) -> SupervisionSessionQuerySet:
        """Sessions where ``membership`` (a staff member in one program) was a supervisee."""
        return self.filter(Exists(Attendance.objects.filter(session=OuterRef("pk"), membership=membership)))


@track()
class SupervisionSession(UuidModel, CreatedAtModel):
    """One supervision contact: individual (one supervisee) or group (two or more)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Phone")

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="supervision_sessions")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="supervision_sessions_led")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.INDIVIDUAL)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    format = models.CharField(max_length=20, choices=Format, default=Format.IN_PERSON)
    supervisees = models.ManyToManyField("recovery.Membership", through="Attendance", related_name="+")
    topics = models.ManyToManyField(Topic, through="SessionTopic", related_name="+")
    participants_discussed = models.ManyToManyField("clients.Client", through="SessionParticipant",
                                                    related_name="+")
    notes = models.TextField(_("discussion notes"), blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("supervision session")
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=MAX_MINUTES),
                                   name="supervision_duration_within_a_day"),
        ]
        indexes = [
            models.Index(fields=["program", "supervisor", "held_on"], name="supervision_led_idx"),
            models.Index(fields=["program", "held_on"], name="supervision_program_date_idx"),
        ]
        triggers = [
            locked_when("supervision_signed_is_final", pgtrigger.Q(old__signed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} supervision, {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:session_detail", args=[self.uuid])

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.01"))


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttendanceQuerySet:
        return self.filter(session__in=SupervisionSession.objects.visible_to(user))


@track()
class Attendance(models.Model):
    """A supervisee (their membership in the session's program) at a session, and their acknowledgement."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey("recovery.Membership", on_delete=models.PROTECT, related_name="supervisions",
                                   verbose_name=_("supervisee"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervisee at a session")
        verbose_name_plural = _("supervisees at sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "membership"], name="supervision_attendance_once"),
        ]
        indexes = [models.Index(fields=["membership", "session"], name="supervision_attendance_idx")]
        triggers = [
            _session_part_trigger(
                "supervision_attendance_locked",
                # After signing, only the acknowledgement is written, once.
                update_allowed="NEW.membership_id = OLD.membership_id AND OLD.acknowledged_at IS NULL",
                extra="""
                    IF NEW.acknowledged_at IS NOT NULL AND new_signed IS NULL THEN
                        RAISE EXCEPTION 'supervision: only a signed session can be acknowledged'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    IF NOT EXISTS (
                        SELECT 1 FROM supervision_supervisionsession s
                        JOIN recovery_membership m ON m.id = NEW.membership_id
                        WHERE s.id = NEW.session_id AND m.program_id = s.program_id AND m.user_id <> s.supervisor_id
                    ) THEN
                        RAISE EXCEPTION 'supervision: a supervisee is staff of the program, not the supervisor'
                            USING ERRCODE = 'check_violation';
                    END IF;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"Supervisee at {self.session}"


@track()
class SessionTopic(models.Model):
    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="session_topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "topic"], name="supervision_topic_once")]
        triggers = [_session_part_trigger("supervision_topic_locked")]

    def __str__(self) -> str:
        return str(self.topic)


@track()
class SessionParticipant(models.Model):
    """A participant discussed at a session (only ones the supervisor may see: see the form)."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="session_participants")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("participant discussed")
        verbose_name_plural = _("participants discussed")
        constraints = [models.UniqueConstraint(fields=["session", "client"], name="supervision_participant_once")]
        triggers = [_session_part_trigger("supervision_participant_locked", update_allowed=merge_move())]

    def __str__(self) -> str:
        return "Participant discussed"


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionItemQuerySet:
        return self.filter(session__in=SupervisionSession.objects.visible_to(user))

    def open(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True)

    def of_signed_sessions(self) -> ActionItemQuerySet:
        return self.filter(session__signed_at__isnull=False)


@track()
class ActionItem(UuidModel, CreatedAtModel):
    """Something agreed at a session, for a supervisee (or the supervisor) to do by a date."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="action_items")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("who"))
    description = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("due by"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            set_together("done_at", "done_by", name="supervision_action_done_has_who"),
        ]
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"], name="supervision_action_todo_idx")]
        triggers = [
            _session_part_trigger(
                "supervision_action_locked",
                # After signing, only the done state changes (every other column is listed here).
                update_allowed="(NEW.uuid, NEW.assignee_id, NEW.description, NEW.due_on, NEW.created_at) "
                               "IS NOT DISTINCT FROM (OLD.uuid, OLD.assignee_id, OLD.description, OLD.due_on, "
                               "OLD.created_at)",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.due_on < today


@track(pghistory.InsertEvent())
class SupervisionAddendum(UuidModel, CreatedAtModel):
    """A correction or addition to a signed session. Written once, never changed."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("supervision addendum")
        verbose_name_plural = _("supervision addenda")
        constraints = [not_blank("text", name="supervision_addendum_has_text")]
        triggers = [
            append_only("supervision_addendum_final"),
            before_insert(
                "supervision_addendum_signed_only",
                func="""
                    IF NOT EXISTS (SELECT 1 FROM supervision_supervisionsession s
                                   WHERE s.id = NEW.session_id AND s.signed_at IS NOT NULL) THEN
                        RAISE EXCEPTION 'supervision: addenda are for signed sessions'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"Addendum of {self.created_at:%Y-%m-%d}"
