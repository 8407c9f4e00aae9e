"""Billing measures: units delivered against units capped, the notes that bill nothing and why, and the
units billed under service authorizations (billing.models.ServiceAuthorization). Units are what
``clients.units`` fixed when each note was signed; a note belongs to the period of its service date."""

from __future__ import annotations

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from billing.models import ServiceAuthorization
from clients.models import SessionNote
from reports.measures import UNITS, bills_nothing, every, measure
from reports.scope import CAPPED, CODE_NOT_BILLABLE, NO_BILL_REASONS, NO_CODE, OUTREACH, TOO_SHORT, Base


@measure("units_over_cap", "billing", _("Units over a cap (delivered, not billable)"), kind=UNITS,
         field="units_over_cap", group="service_code__code", unit=_("units"), cube=(every, "units_over_cap"),
         counted=_("For the signed notes dated in the period under a billable service code (not outreach attempts): "
                   "the units delivered minus the units billable, that is the units a daily or yearly cap per "
                   "participant held back; by service code. Units delivered = units billable + these + the units of "
                   "notes that bill nothing for another reason."))
def units_over_cap(base: Base):
    return (base.notes().filter(service_code__billable=True).exclude(contact_type=SessionNote.ContactType.OUTREACH)
            .annotate(units_over_cap=F("units_computed") - F("units_billable")).filter(units_over_cap__gt=0))


@measure("notes_not_billable", "billing", _("Notes that bill nothing, by reason"), group="no_bill_reason",
         group_labels=NO_BILL_REASONS, cube=(bills_nothing, "notes"),
         counted=_("Signed notes dated in the period that bill no unit, by the first reason that applies (as "
                   "clients.units decides at signing): no service code; a service code that is not billable; an "
                   "outreach attempt; a session too short for one unit; or the participant's daily or yearly cap for "
                   "the code already reached."))
def notes_not_billable(base: Base):
    reason = Case(
        When(service_code__isnull=True, then=Value(NO_CODE)),
        When(service_code__billable=False, then=Value(CODE_NOT_BILLABLE)),
        When(contact_type=SessionNote.ContactType.OUTREACH, then=Value(OUTREACH)),
        When(Q(units_computed__isnull=True) | Q(units_computed=0), then=Value(TOO_SHORT)),
        default=Value(CAPPED), output_field=CharField())
    return base.notes().exclude(units_billable__gt=0).annotate(no_bill_reason=reason)


def _authorized(base: Base) -> QuerySet:
    in_period = ServiceAuthorization.objects.filter(starts_on__lte=base.period.end, ends_on__gte=base.period.start,
                                                    client__in=base.clients())
    covering = ServiceAuthorization.objects.filter(
        client=OuterRef("client_id"), service_code=OuterRef("service_code_id"),
        starts_on__lte=OuterRef("session_date"), ends_on__gte=OuterRef("session_date"))
    # Only the participants with an authorization in the period: their notes are found by index.
    return base.notes().filter(client_id__in=in_period.values("client_id"), units_billable__gt=0).filter(
        Exists(covering))


@measure("authorized_units_used", "billing", _("Units billed under a service authorization"), kind=UNITS,
         field="units_billable", group="service_code__code", unit=_("units"),
         counted=_("Billable units of the signed notes dated in the period that a service authorization of the same "
                   "participant and service code covers (the note's date within the authorization's dates): the "
                   "units used against authorizations, by service code. A note under two overlapping authorizations "
                   "counts once."))
def authorized_units_used(base: Base):
    return _authorized(base)
