"""Reports on referrals: made, connected and completed, by category.

``referral_counts(referrals, start, end)`` is the one place report pages and exports read from. It takes
any queryset of referrals (scope it first: ``Referral.objects.visible_to(user).filter(client__program=…)``,
one peer's, one funder's participants…) and a period, and counts the referrals **made** in the period
(``made_on`` from ``start`` to ``end``, both included) and, of those, how many have **connected** (their
status is connected or completed now) and how many are **completed**; ``not_completed`` counts those that
ended without connecting (any reason), ``open`` those still made or connected. One query, one row per
category (referrals without a category come last, as "No category").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from referrals.models.referrals import OPEN_STATUSES, Status

NO_CATEGORY = _("No category")


@dataclass(frozen=True)
class CategoryCounts:
    category: str
    made: int
    connected: int
    completed: int
    not_completed: int
    open: int

    @property
    def connected_percent(self) -> int | None:
        return round(100 * self.connected / self.made) if self.made else None


def referral_counts(referrals: QuerySet, start: datetime.date, end: datetime.date) -> list[CategoryCounts]:
    rows = (referrals.filter(made_on__gte=start, made_on__lte=end)
            .values("category__name", "category__position")
            .annotate(made=Count("pk"),
                      connected=Count("pk", filter=Q(status__in=[Status.CONNECTED, Status.COMPLETED])),
                      completed=Count("pk", filter=Q(status=Status.COMPLETED)),
                      not_completed=Count("pk", filter=Q(status=Status.NOT_COMPLETED)),
                      open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
            .order_by("category__position", "category__name"))
    result = [CategoryCounts(category=r["category__name"] or str(NO_CATEGORY), made=r["made"], connected=r["connected"],
                             completed=r["completed"], not_completed=r["not_completed"], open=r["open"])
              for r in rows]
    return sorted(result, key=lambda c: c.category == NO_CATEGORY)  # stable: keeps the categories' order
