"""Reading demographic observations: current answers, the program's counts, status at intake vs now.

"Not asked" is a participant with no observation of the question; "declined" is an observation that says
so; both are counted apart from the answers (DOMAIN.md: declining is an answer).
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext

from outcomes.models import Category, Observation, Question
from outcomes.models.demographics import CATEGORY_QUESTIONS, MULTIPLE, STATUS_QUESTIONS

__all__ = ["MULTIPLE", "answer_text", "category_choices", "category_labels", "current_rows", "report",
           "status_changes"]


def category_labels(program_id: int) -> dict[tuple[str, str], str]:
    """(question, code) → label, for the shipped categories and the program's own (the program's win)."""
    rows = Category.objects.for_program(program_id).order_by("program_id", "position")
    labels: dict[tuple[str, str], str] = {}
    for category in rows:
        if category.program_id is None:
            labels.setdefault((category.question, category.code), gettext(category.label))  # shipped: translated
        else:
            labels[(category.question, category.code)] = category.label
    return labels


def category_choices(program_id: int) -> dict[str, list[tuple[str, str]]]:
    choices: dict[str, list[tuple[str, str]]] = {}
    for (question, code), label in category_labels(program_id).items():
        choices.setdefault(question, []).append((code, label))
    return choices


def answer_text(observation: Observation, labels: dict) -> str:
    if observation.declined:
        return gettext("Declined to answer")
    if observation.codes:
        return ", ".join(labels.get((observation.question, code), code) for code in observation.codes)
    return observation.text


def current_rows(history: list[Observation], labels: dict) -> list[dict]:
    """Each question's current answer (``history`` ordered by question, newest first)."""
    latest: dict[str, Observation] = {}
    for observation in history:
        latest.setdefault(observation.question, observation)
    rows = []
    for question in Question:
        obs = latest.get(question.value)
        rows.append({"question": question.label, "observation": obs,
                     "answer": answer_text(obs, labels) if obs else gettext("Not asked")})
    return rows


def report(clients, labels: dict) -> dict:
    """Per question: answered, declined, not asked, and the count of each category. Two queries."""
    total = clients.count()
    latest = Observation.objects.filter(client__in=clients).latest_per_question().values_list(
        "question", "declined", "codes")
    answered, declined, by_code = Counter(), Counter(), Counter()
    for question, was_declined, codes in latest:
        if was_declined:
            declined[question] += 1
        else:
            answered[question] += 1
            by_code.update((question, code) for code in codes)
    rows = []
    for question in Question:
        q = question.value
        categories = [(label, by_code[(qq, code)]) for (qq, code), label in labels.items() if qq == q] \
            if question in CATEGORY_QUESTIONS else []
        rows.append({"question": question.label, "answered": answered[q], "declined": declined[q],
                     "not_asked": total - answered[q] - declined[q], "categories": categories})
    return {"total": total, "rows": rows}


def status_changes(clients, labels: dict) -> list[dict]:
    """For each status question: how many were in each category at their first observation and now."""
    scoped = Observation.objects.filter(client__in=clients, question__in=[q.value for q in STATUS_QUESTIONS],
                                        declined=False)
    first = scoped.order_by("client_id", "question", "observed_on", "pk").distinct("client_id", "question")
    last = scoped.latest_per_question()
    at_first, now = Counter(), Counter()
    for counter, rows in ((at_first, first), (now, last)):
        for question, codes in rows.values_list("question", "codes"):
            counter.update((question, code) for code in codes)
    result = []
    for question in Question:
        if question not in STATUS_QUESTIONS:
            continue
        rows = [(label, at_first[(q, code)], now[(q, code)])
                for (q, code), label in labels.items() if q == question.value]
        result.append({"question": question.label, "rows": rows})
    return result
