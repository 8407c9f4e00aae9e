"""Querysets of the peers app: scoping and THE computation of credential status and progress.

Dates are relative to a ``today`` the caller passes (``program.today()``), never the database clock,
so a program's time zone and frozen time in tests are respected.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from recovery.scoping import staff_q

HOURS_FIELD = DecimalField(max_digits=10, decimal_places=2)
ZERO = Value(Decimal(0), output_field=HOURS_FIELD)


class MonthsBefore(Func):
    """``date - n months`` as a date (PostgreSQL clamps to the month's end: 31 Mar - 1 month = 28/29 Feb)."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return f"(({day_sql}) - make_interval(months => {months_sql}))::date", (*day_params, *months_params)


class DaysBetween(Func):
    """``later - earlier`` in whole days (PostgreSQL's date subtraction gives an integer)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        later_sql, later_params = compiler.compile(self.source_expressions[0])
        earlier_sql, earlier_params = compiler.compile(self.source_expressions[1])
        return f"(({later_sql}) - ({earlier_sql}))", (*later_params, *earlier_params)


def _sum_subquery(queryset: models.QuerySet, field: str) -> Coalesce:
    total = queryset.order_by().values("membership_id").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=HOURS_FIELD), ZERO, output_field=HOURS_FIELD)


# Hours a staff member spent in supervision that other apps record (supervision: signed sessions
# attended). Each provider takes the name of the membership id to match (an ``OuterRef`` target) and
# returns a subquery expression of hours; supervision appends its own in ``SupervisionConfig.ready()``,
# so peers never reads supervision's tables (ARCHITECTURE.md: recovery ← peers ← clients ← supervision).
SUPERVISED_HOURS: list[Callable[[str], Expression]] = []

# The same sessions one by one, so the supervision total on a trainee's record can be explained: each
# provider takes the staff member's membership and the viewer, and returns the sessions it counted
# (``supervision.trainee_hours.supervision_sessions_attended``; filled in SupervisionConfig.ready()).
SUPERVISED_SESSIONS: list[Callable[[object, object], list]] = []


def supervised_sessions(membership, viewer) -> list:
    """The sessions whose hours ``SUPERVISED_HOURS`` adds to ``membership``'s supervision hours."""
    return [row for provider in SUPERVISED_SESSIONS for row in provider(membership, viewer)]


def trainee_hours_logged(kind: str, membership_ref: str = "membership_id") -> Expression:
    """Hours of ``kind`` a staff member has logged toward certification: the one place progress is summed.

    Sources: ``peers.TraineeHours`` entries and, for supervision, the providers in ``SUPERVISED_HOURS``
    (``supervision.trainee_hours``: the signed supervision sessions the staff member attended).
    """
    entries = apps.get_model("peers", "TraineeHours").objects.filter(membership_id=OuterRef(membership_ref),
                                                                     kind=kind)
    logged = _sum_subquery(entries, "hours")
    if kind != "supervision" or not SUPERVISED_HOURS:
        return logged
    total = sum((provider(membership_ref) for provider in SUPERVISED_HOURS), start=logged)
    return ExpressionWrapper(total, output_field=HOURS_FIELD)


def _needed(required: str, logged: str) -> Greatest:
    return Greatest(F(required) - F(logged), ZERO, output_field=HOURS_FIELD)


class CredentialTypeQuerySet(models.QuerySet):
    def for_program(self, program) -> CredentialTypeQuerySet:
        """The types a program uses: its own, and the shared defaults it has not replaced."""
        replaced = self.model.objects.filter(program=program, replaces=OuterRef("pk"))
        return self.filter(Q(program=program) | Q(program__isnull=True) & ~Exists(replaced))


class CredentialQuerySet(models.QuerySet):
    def visible_to(self, user) -> CredentialQuerySet:
        return self.filter(staff_q(user, "membership__"))

    def open(self) -> CredentialQuerySet:
        """Not ended: held, or still being trained toward."""
        return self.filter(ended_on__isnull=True)

    def held(self) -> CredentialQuerySet:
        return self.open().filter(issued_on__isnull=False)

    def in_training(self) -> CredentialQuerySet:
        return self.open().filter(issued_on__isnull=True)

    def expiring(self, *, today: date, within: int | None = None) -> CredentialQuerySet:
        """Held credentials that expire between ``today`` and ``within`` days from it (inclusive).

        ``within`` defaults to each program's ``expiring_window_days``; the reminders pass 90/60/30/7/0.
        """
        held = self.held().filter(expires_on__gte=today)
        if within is not None:
            return held.filter(expires_on__lte=today + timedelta(days=within))
        return held.alias(days_left=DaysBetween(F("expires_on"), Value(today, output_field=models.DateField()))).filter(
            days_left__lte=F("membership__program__expiring_window_days")
        )

    def expired(self, *, today: date) -> CredentialQuerySet:
        return self.held().filter(expires_on__lt=today)

    def billable_on(self, on_date: date) -> CredentialQuerySet:
        """Credentials that let their holder bill on ``on_date``: a billable type, issued, not yet expired
        (valid through the expiry date) and not ended (an end date is the first day it no longer counts).
        """
        return self.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on_date),
            type__makes_billable=True, issued_on__lte=on_date, expires_on__gte=on_date,
        )

    def with_status(self, today: date, *, progress: bool = True, status_only: bool = False) -> CredentialQuerySet:
        """Annotate status, days to expiry, the current cycle's CE and the hours still needed.

        * ``cycle_start``: the later of the issue date and expiry minus the type's cycle; CE completed from
          then up to the expiry date counts.
        * ``ce_logged`` / ``ethics_logged`` and ``ce_needed`` / ``ethics_needed`` (never below zero).
        * ``training_logged`` … ``supervision_needed``: progress of a credential in training.
        * ``days_to_expiry``: 0 on the expiry day, negative after it.
        * ``status`` (one value, first that applies): ended, in training, expired (after the expiry
          day), expiring (within the program's ``expiring_window_days``, the expiry day included), CE
          short, current. ``is_ce_short`` is set whatever the status, so an expiring credential can still
          show its CE shortfall.

        **CE short** (the one definition; the board, its counts, the staff page and the reminders read
        it): a held credential, not yet expired, that expires within the program's
        ``ce_short_window_days`` (the expiry day included) while the hours logged this cycle (total, or
        ethics) are below the type's requirement. Hours not yet logged earlier in the cycle are "still to
        do", not a shortfall: on the first day of a new cycle nothing is logged and nothing is short.

        ``progress=False`` leaves out the training hours (``training_logged`` … ``supervision_needed``): the
        status does not depend on them, and the supervision hours are a join per credential.
        ``status_only`` (with ``progress=False``) selects ``status`` and ``is_ce_short`` alone: the figures
        they are made of are aliases, written into them (a page that shows only the badge compiles and
        sends half the SQL).
        """
        ce = apps.get_model("peers", "ContinuingEducation").objects.filter(
            membership_id=OuterRef("membership_id"),
            completed_on__gte=OuterRef("cycle_start"), completed_on__lte=OuterRef("expires_on"),
        )
        if status_only and progress:
            raise ValueError("status_only leaves out the progress: pass progress=False")
        qs = self.alias if status_only else self.annotate
        qs = qs(
            cycle_start=Greatest(F("issued_on"), MonthsBefore(F("expires_on"), F("type__cycle_months"))),
            days_to_expiry=DaysBetween(F("expires_on"), Value(today, output_field=models.DateField())),
        )
        qs = (qs.alias if status_only else qs.annotate)(
            ce_logged=_sum_subquery(ce, "hours"),
            ethics_logged=_sum_subquery(ce, "ethics_hours"),
        )
        if not status_only:
            qs = qs.annotate(
                ce_needed=_needed("type__ce_hours", "ce_logged"),
                ethics_needed=_needed("type__ethics_hours", "ethics_logged"),
            )
        if progress:
            qs = qs.annotate(
                training_logged=trainee_hours_logged("training"),
                experience_logged=trainee_hours_logged("experience"),
                supervision_logged=trainee_hours_logged("supervision"),
            ).annotate(
                training_needed=_needed("type__training_hours_required", "training_logged"),
                experience_needed=_needed("type__experience_hours_required", "experience_logged"),
                supervision_needed=_needed("type__supervision_hours_required", "supervision_logged"),
            )
        from peers.models import Status  # models imports this module

        ce_missing = Q(ce_logged__lt=F("type__ce_hours")) | Q(ethics_logged__lt=F("type__ethics_hours"))
        ce_short = ce_missing & Q(days_to_expiry__gte=0,
                                  days_to_expiry__lte=F("membership__program__ce_short_window_days"))
        return qs.annotate(
            is_ce_short=Case(
                When(issued_on__isnull=True, then=Value(False)), When(ce_short, then=Value(True)), default=Value(False)
            ),
            status=Case(
                When(ended_on__isnull=False, then=Value(Status.ENDED)),
                When(issued_on__isnull=True, then=Value(Status.IN_TRAINING)),
                When(expires_on__lt=today, then=Value(Status.EXPIRED)),
                When(days_to_expiry__lte=F("membership__program__expiring_window_days"), then=Value(Status.EXPIRING)),
                When(ce_short, then=Value(Status.CE_SHORT)),
                default=Value(Status.CURRENT),
                output_field=models.CharField(),
            ),
        )


class ContinuingEducationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContinuingEducationQuerySet:
        return self.filter(staff_q(user, "membership__"))


class TraineeHoursQuerySet(models.QuerySet):
    def visible_to(self, user) -> TraineeHoursQuerySet:
        return self.filter(staff_q(user, "membership__"))
