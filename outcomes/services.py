"""Outcome workflows: recording a check-in, GPRA interviews and demographic observations."""

from __future__ import annotations

import datetime

from django.db import transaction

from outcomes.models import Answer, CheckIn, Interview, Observation, Scale


@transaction.atomic
def checkin_record(*, client, scale: Scale, answers: dict[int, int | None], taken_on: datetime.date,
                   occasion: str, by) -> CheckIn:
    """A final check-in with its answers (skipped items have none) and its score, if the rule gives one."""
    given = {item.pk: answers.get(item.pk) for item in scale.items}
    answered = sum(1 for value in given.values() if value is not None)
    checkin = CheckIn.objects.create(
        client=client, instrument=scale.instrument, taken_on=taken_on, occasion=occasion,
        score=scale.score(given), answered=answered, skipped=len(given) - answered, recorded_by=by)
    Answer.objects.bulk_create([Answer(checkin=checkin, item_id=item_id, value=value)
                                for item_id, value in given.items() if value is not None])
    return checkin


@transaction.atomic
def interview_record(*, client, kind: str, held_on: datetime.date, outcome: str, outcome_detail: str,
                     by) -> Interview:
    """Record (or correct) the participant's interview of ``kind``: one of each kind per participant."""
    interview, _ = Interview.objects.update_or_create(
        client=client, kind=kind,
        defaults={"held_on": held_on, "outcome": outcome, "outcome_detail": outcome_detail, "recorded_by": by})
    return interview


@transaction.atomic
def observations_record(*, client, observed_on: datetime.date, answers: dict[str, tuple[bool, list[str], str]],
                        current: dict[str, Observation], by) -> list[Observation]:
    """New observations for the questions whose answer changed (``answers``: question → (declined, codes,
    text)); an unchanged answer adds nothing, so history shows only changes."""
    rows = []
    for question, (declined, codes, text) in answers.items():
        latest = current.get(question)
        if latest and (latest.declined, sorted(latest.codes), latest.text) == (declined, sorted(codes), text):
            continue
        rows.append(Observation(client=client, question=question, observed_on=observed_on, declined=declined,
                                codes=codes, text=text, recorded_by=by))
    return Observation.objects.bulk_create(rows)
