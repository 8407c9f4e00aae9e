"""Referral measures: referrals made in the period and how far they got (connected, completed), by
category. A referral belongs to the period of the day it was made; its status is its status now."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from referrals.models import Referral
from referrals.models.referrals import Status
from reports.measures import measure
from reports.scope import Base


def _made(base: Base) -> QuerySet:
    return Referral.objects.filter(base.in_period("made_on"), client__in=base.clients()).order_by("made_on", "pk")


@measure("referrals_made", "referrals", _("Referrals made, by category"), group="category__name", headline=True,
         counted=_("Referrals (to a directory entry or a one-off organisation) made in the period for participants "
                   "in scope, whatever became of them; by the referral's category."))
def referrals_made(base: Base):
    return _made(base)


@measure("referrals_connected", "referrals", _("Connected (or completed)"), of="referrals_made",
         group="category__name",
         counted=_("Referrals made in the period whose participant has connected with the service: status connected "
                   "or completed now."))
def referrals_connected(base: Base):
    return _made(base).filter(status__in=[Status.CONNECTED, Status.COMPLETED])


@measure("referrals_completed", "referrals", _("Completed"), of="referrals_made", group="category__name",
         counted=_("Referrals made in the period marked completed (the participant received the service)."))
def referrals_completed(base: Base):
    return _made(base).filter(status=Status.COMPLETED)


@measure("referrals_not_completed", "referrals", _("Not completed"), of="referrals_made",
         group="not_completed_reason", group_labels=dict(Referral._meta.get_field("not_completed_reason").choices),
         counted=_("Referrals made in the period that ended without connecting, by reason (declined, no show, not "
                   "eligible, waitlisted, unreachable)."))
def referrals_not_completed(base: Base):
    return _made(base).filter(status=Status.NOT_COMPLETED)
