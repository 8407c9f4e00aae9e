"""The participant page's outcomes section (added through clients.sections.section_add): the recovery
check-in trend, the latest answers as strengths and needs, and whether a check-in is due. A fixed number
of queries whatever the number of check-ins."""

from __future__ import annotations

from django.utils.translation import gettext

from clients.models import Client, RecoveryPlan
from clients.sections import latest_plan
from outcomes import schedule
from outcomes.chart import trend
from outcomes.models import Answer, CheckIn, OutcomeSettings, Scale
from recovery.compiled import ID_STAND_IN, compiled_list

CHART_POINTS = 24


def latest_answers(scale: Scale, checkin: CheckIn | None) -> list[dict]:
    """Each item's answer in ``checkin``, in plain words, strength or need."""
    if checkin is None:
        return []
    values = dict(Answer.objects.filter(checkin=checkin).values_list("item_id", "value"))
    rows = []
    for item in scale.items:
        value = values.get(item.pk)
        rows.append({"item": item, "value": value,
                     "phrase": scale.phrase(value) if value is not None else gettext("skipped"),
                     "strength": value is not None and scale.is_strength(item, value)})
    return rows


def outcome_summary(client, scale: Scale, *, limit: int = CHART_POINTS) -> dict:
    """The chart, table rows and latest answers for ``client`` on ``scale``'s instrument (three queries)."""
    checkins = list(CheckIn.objects.filter(client=client, instrument=scale.instrument)
                    .select_related("recorded_by").order_by("-taken_on", "-created_at")[:limit])
    checkins.reverse()
    for checkin in checkins:
        checkin.client = client  # their links name the participant: no query per row
    marker = scale.marker
    latest = checkins[-1] if checkins else None
    return {
        "scale": scale, "checkins": checkins, "latest": latest,
        "band": scale.band(latest.score) if latest else None,
        "chart": trend(checkins, scale.low * len(scale.items), scale.high * len(scale.items),
                       marker.min_score if marker else None),
        "answers": latest_answers(scale, latest),
    }


def current_plan(client, page) -> RecoveryPlan | None:
    """The participant's current plan (there is at most one): the latest plan the page already read when it
    is the current one, none without any plan, else asked for."""
    latest = latest_plan(client, page)
    if latest is None or latest.status == RecoveryPlan.Status.ACTIVE:
        return latest  # no plan at all, or the current one
    return RecoveryPlan.objects.filter(client=client, status=RecoveryPlan.Status.ACTIVE).order_by("-version").first()


def outcomes(request, client, page) -> dict | None:
    settings = OutcomeSettings.of(client.program)
    instrument = schedule.scheduled_instrument(settings)
    if instrument is None:
        return None
    scale = Scale.load(instrument)
    # Built and compiled once per process for its inputs (recovery.compiled), run on every visit.
    # (the participant's id put in on every call: one kept query for all participants)
    key = ("outcomes.sections.due", instrument.pk, settings.checkin_interval_days, page["today"])
    due = next(iter(compiled_list(key, lambda: (
        schedule.with_checkin_due(Client.objects.filter(pk=ID_STAND_IN), instrument_id=instrument.pk,
                                  interval_days=settings.checkin_interval_days, today=page["today"])
        .values("checkin_due_on", "checkin_occasion")[:1]), {ID_STAND_IN: client.pk})), None)
    plan = current_plan(client, page)
    return {"client": client, "can_edit": page["can_edit"], "plan": plan, "due": due, "today": page["today"],
            "gpra": settings.gpra_enabled, **outcome_summary(client, scale)}
