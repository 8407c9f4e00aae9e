"""Demographics: optional answers, "declined" apart from "not asked", history kept, scoped."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from outcomes import demographics
from outcomes.forms import ANSWER_OR_DECLINE
from outcomes.models import Observation
from recovery.models import AccessLog
from tests.factories import ClientFactory, days


def edit_url(client):
    return reverse("outcomes:demographics_edit", kwargs={"client_uuid": client.uuid})


def post(http, client, **answers):
    data = {"observed_on": answers.pop("observed_on", days(0).isoformat())}
    for question in ("gender", "race_ethnicity", "language", "veteran", "housing", "employment", "insurance",
                     "medicaid_id"):
        data[f"{question}_state"] = "not_asked"
    data.update(answers)
    return http.post(edit_url(client), data)


def test_answers_declines_and_not_asked_are_recorded_apart(login, peer, mine, barc):
    http = login(peer)
    response = post(http, mine, race_ethnicity_state="answered", race_ethnicity=["black", "hispanic-latino"],
                    veteran_state="declined", language_state="answered", language="Spanish")
    assert response.status_code == 302
    rows = {o.question: o for o in Observation.objects.filter(client=mine)}
    assert set(rows) == {"race_ethnicity", "veteran", "language"}
    assert sorted(rows["race_ethnicity"].codes) == ["black", "hispanic-latino"]
    assert rows["veteran"].declined and rows["veteran"].codes == []
    page = http.get(reverse("outcomes:demographics", kwargs={"client_uuid": mine.uuid})).content.decode()
    assert "Declined to answer" in page and "Not asked" in page and "Hispanic or Latino" in page


def test_an_answer_is_required_when_answered_is_chosen_and_typed_data_stays(login, peer, mine, barc):
    response = post(login(peer), mine, housing_state="answered", language_state="answered", language="Tagalog")
    assert response.status_code == 200 and response.context["form"].errors["housing"] == [ANSWER_OR_DECLINE]
    assert response.context["form"]["language"].value() == "Tagalog"
    assert not Observation.objects.exists()


def test_status_changes_keep_their_history_and_unchanged_answers_add_nothing(login, peer, mine, barc):
    http = login(peer)
    post(http, mine, observed_on=days(-200).isoformat(), housing_state="answered", housing="shelter")
    post(http, mine, observed_on=days(-100).isoformat(), housing_state="answered", housing="shelter")
    post(http, mine, observed_on=days(-1).isoformat(), housing_state="answered", housing="stable")
    assert list(Observation.objects.filter(client=mine).order_by("observed_on").values_list("codes", flat=True)) == [
        ["shelter"], ["stable"]]
    labels = demographics.category_labels(mine.program_id)
    changes = {b["question"]: b["rows"] for b in demographics.status_changes(
        type(mine).objects.filter(pk=mine.pk), labels)}
    housing = {label: (first, now) for label, first, now in changes["Housing status"]}
    assert housing["Shelter"] == (1, 0) and housing["Stably housed (own or rented)"] == (0, 1)


def test_the_report_counts_declined_and_not_asked_apart(program, peer, barc):
    people = [ClientFactory(program=program, primary_peer=peer) for _ in range(4)]
    when = datetime.date(2026, 1, 1)
    Observation.objects.create(client=people[0], question="veteran", observed_on=when, codes=["yes"],
                               recorded_by=peer)
    Observation.objects.create(client=people[1], question="veteran", observed_on=when, declined=True,
                               recorded_by=peer)
    Observation.objects.create(client=people[2], question="veteran", observed_on=when, declined=True,
                               recorded_by=peer)
    # A later answer replaces an earlier decline: the latest counts.
    Observation.objects.create(client=people[2], question="veteran", observed_on=when.replace(month=3),
                               codes=["no"], recorded_by=peer)
    report = demographics.report(type(people[0]).objects.filter(program=program),
                                 demographics.category_labels(program.pk))
    veteran = next(r for r in report["rows"] if r["question"] == "Veteran status")
    assert (veteran["answered"], veteran["declined"], veteran["not_asked"]) == (2, 1, 1)
    assert dict(veteran["categories"]) == {"Veteran": 1, "Not a veteran": 1}


def test_the_database_refuses_a_decline_that_carries_an_answer(mine, peer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(client=mine, question="veteran", observed_on=days(0), declined=True,
                                   codes=["yes"], recorded_by=peer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(client=mine, question="veteran", observed_on=days(0), recorded_by=peer)


@pytest.mark.parametrize(("who", "read", "write"), [("peer", 200, 200), ("supervisor", 200, 403),
                                                     ("admin", 200, 403), ("other_peer", 404, 404),
                                                     ("outsider", 404, 404)])
def test_demographics_are_scoped_and_reads_logged(request, login, mine, barc, who, read, write):
    user = request.getfixturevalue(who)
    http = login(user)
    assert http.get(reverse("outcomes:demographics", kwargs={"client_uuid": mine.uuid})).status_code == read
    assert http.get(edit_url(mine)).status_code == write
    assert AccessLog.objects.filter(user=user, client_uuid=mine.uuid).exists() == (read == 200)


def test_the_report_only_counts_participants_the_user_sees(login, peer, other_peer, mine, theirs, barc):
    report = login(peer).get(reverse("outcomes:demographics_report")).context["report"]
    assert report["total"] == 1
