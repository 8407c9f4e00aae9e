"""Check-ins: the phone form (skips counted and confirmed, double submit → one), final in the database."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from outcomes.forms import CONFIRM_SKIPS
from outcomes.models import Answer, CheckIn
from recovery.dbroles import append_only_tables
from recovery.models import AccessLog
from tests.factories import days
from tests.outcomes.conftest import record


def raw(sql: str, params: list) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def form_data(scale, values, **extra) -> dict:
    data = {"taken_on": days(0).isoformat(), "occasion": "routine", "form_token": extra.pop("token", "")}
    for item, value in zip(scale.items, values, strict=True):
        if value is not None:
            data[f"item_{item.pk}"] = str(value)
    return {**data, **extra}


def new_url(client) -> str:
    return reverse("outcomes:checkin_new", kwargs={"client_uuid": client.uuid})


def token_of(response) -> str:
    return str(response.context["form"]["form_token"].value())


def test_a_peer_records_a_check_in_item_by_item_and_sees_its_score(login, peer, mine, barc):
    http = login(peer)
    page = http.get(new_url(mine))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio"') == 60 and "Strongly agree" in html
    response = http.post(new_url(mine), form_data(barc, [5] * 9 + [6], token=token_of(page)))
    checkin = CheckIn.objects.get(client=mine)
    assert response.status_code == 302 and response.url == checkin.get_absolute_url()
    assert checkin.score == 51 and checkin.recorded_by == peer
    detail = http.get(response.url).content.decode()
    assert "51" in detail and "Housing" in detail


def test_a_double_submit_records_one_check_in(login, peer, mine, barc):
    http = login(peer)
    data = form_data(barc, [4] * 10, token=token_of(http.get(new_url(mine))))
    first, second = http.post(new_url(mine), data), http.post(new_url(mine), data)
    assert first.url == second.url
    assert CheckIn.objects.filter(client=mine).count() == 1


def test_skipped_items_are_counted_and_must_be_confirmed_keeping_the_answers(login, peer, mine, barc):
    http = login(peer)
    token = token_of(http.get(new_url(mine)))
    values = [5] * 7 + [None, None, 3]
    response = http.post(new_url(mine), form_data(barc, values, token=token))
    assert response.status_code == 200 and not CheckIn.objects.exists()
    error = response.context["form"].errors["confirm_skips"][0]
    assert error.startswith("2 items are unanswered") and "at most 1 item" in error and CONFIRM_SKIPS in error
    assert response.context["form"][f"item_{barc.items[9].pk}"].value() == "3"  # the typed answers stay
    assert response.content.decode().count("checked") >= 8
    confirmed = http.post(new_url(mine), form_data(barc, values, token=token, confirm_skips="on"))
    checkin = CheckIn.objects.get()
    assert confirmed.status_code == 302 and checkin.score is None and checkin.skipped == 2
    assert "no score" in http.get(confirmed.url).content.decode()


def test_a_check_in_cannot_be_dated_in_the_future(login, peer, mine, barc):
    http = login(peer)
    data = form_data(barc, [4] * 10, token=token_of(http.get(new_url(mine))), taken_on=days(1).isoformat())
    response = http.post(new_url(mine), data)
    assert response.status_code == 200 and "taken_on" in response.context["form"].errors
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("supervisor", 403), ("admin", 403), ("other_peer", 404),
                                              ("outsider", 404)])
def test_only_the_carrying_peer_records_check_ins(request, login, mine, barc, who, status):
    http = login(request.getfixturevalue(who))
    assert http.get(new_url(mine)).status_code == status
    assert http.post(new_url(mine), form_data(barc, [4] * 10, token="")).status_code == status
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("peer", 200), ("supervisor", 200), ("admin", 200),
                                              ("other_peer", 404), ("outsider", 404)])
def test_check_ins_are_read_within_scope_and_each_read_is_logged(request, login, mine, barc, who, status):
    checkin = record(mine, barc, days(-3))
    user = request.getfixturevalue(who)
    http = login(user)
    for url in (checkin.get_absolute_url(), reverse("outcomes:checkin_list", kwargs={"client_uuid": mine.uuid})):
        assert http.get(url).status_code == status
    logged = AccessLog.objects.filter(user=user, client_uuid=mine.uuid).count()
    assert logged == (2 if status == 200 else 0)


def test_an_instrument_of_another_program_cannot_be_used(login, peer, mine, barc, other_program):
    from outcomes.models import Instrument

    theirs = Instrument.objects.create(program=other_program, code="x", name="Theirs")
    assert login(peer).get(new_url(mine) + f"?instrument={theirs.uuid}").status_code == 404


# --- Final in the database --------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "UPDATE outcomes_checkin SET score = 60 WHERE id = %s",
    "UPDATE outcomes_checkin SET taken_on = taken_on - 1 WHERE id = %s",
    "DELETE FROM outcomes_checkin WHERE id = %s",
    "UPDATE outcomes_answer SET value = 6 WHERE checkin_id = %s",
    "DELETE FROM outcomes_answer WHERE checkin_id = %s",
])
def test_raw_sql_cannot_change_or_delete_a_check_in_or_its_answers(mine, barc, sql):
    checkin = record(mine, barc, days(-1), 3, 3, 3, 3, 3, 3, 3, 3, 3, 3)
    with pytest.raises(DatabaseError):
        raw(sql, [checkin.pk])
    checkin.refresh_from_db()
    assert checkin.score == 30 and checkin.answers.count() == 10
    assert set(checkin.answers.values_list("value", flat=True)) == {3}


def test_the_orm_cannot_delete_a_check_in_either(mine, barc):
    record(mine, barc, days(-1))
    with pytest.raises(DatabaseError), transaction.atomic():
        CheckIn.objects.all().delete()
    assert CheckIn.objects.count() == 1


def test_check_in_tables_are_in_the_runtime_roles_append_only_revokes():
    assert {"outcomes_checkin", "outcomes_answer"} <= set(append_only_tables())


@pytest.mark.django_db(transaction=True)
def test_no_answer_can_be_added_to_a_check_in_after_its_transaction(peer, mine, barc):
    checkin = record(mine, barc, days(-1), 4, 4, 4, 4, 4, 4, 4, 4, 4, None)
    with pytest.raises(DatabaseError, match="check-in is final"), transaction.atomic():
        Answer.objects.create(checkin=checkin, item=barc.items[9], value=1)
    assert checkin.answers.count() == 9
