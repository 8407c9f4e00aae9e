"""recovery.compiled: a queryset's SQL compiled once per key gives the same objects as evaluating it, runs
the query every time (current rows), and My day's keys hold the scope: a scope that changes between two
visits (a new supervisee, an emergency grant ending, a setting) shows at once."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, FollowUp
from recovery.compiled import compiled_list
from recovery.models import Membership
from recovery.scoping import forget_reach, scope_key
from tests.factories import ClientFactory, FollowUpFactory, days, make_staff, membership_of

TEMPLATE = "supervision/includes/my_day_oversight.html"


def _followups():
    return (FollowUp.objects.select_related("client", "client__primary_peer").annotate(total=Window(Count("pk")))
            .order_by("due_on", "pk"))


def test_compiled_rows_are_the_querysets_objects_with_related_rows_and_annotations(db, program, peer):
    client = ClientFactory(program=program, primary_peer=peer)
    FollowUpFactory(client=client, due_on=days(1))
    FollowUpFactory(client=client, due_on=days(2))
    calls = []

    def build():
        calls.append(1)
        return _followups()

    key = ("test.followups", program.pk, datetime.date(2026, 1, 1))
    first = compiled_list(key, build)
    assert first == list(_followups())
    assert [(f.client.primary_peer, f.total) for f in first] == [(peer, 2), (peer, 2)]
    FollowUpFactory(client=client, due_on=days(3))
    again = compiled_list(key, build)  # built once; the query runs again: the new row is there
    assert calls == [1] and len(again) == 3 and again[0].total == 3


def test_compiled_values_and_empty_results(db, program):
    assert compiled_list(("test.values",), lambda: Client.objects.filter(program=program).values("pk")) == []
    assert compiled_list(("test.empty",), lambda: Client.objects.filter(pk__in=[])) == []


def test_a_stand_in_parameter_takes_each_calls_value(db, program, peer):
    client = ClientFactory(program=program, primary_peer=peer)
    FollowUpFactory(client=client, due_on=days(1))
    stand_in = datetime.date(2000, 1, 1)
    calls = []

    def build():
        calls.append(1)
        return FollowUp.objects.filter(client__program=program, due_on__lt=stand_in).values_list("pk", flat=True)

    key = ("test.stand_in", program.pk)
    assert compiled_list(key, build, {stand_in: days(1)}) == []
    assert len(compiled_list(key, build, {stand_in: days(2)})) == 1
    assert calls == [1]
    with pytest.raises(ValueError, match="no parameter"):
        compiled_list(key, build, {datetime.date(1999, 1, 1): days(2)})


def test_the_scope_key_changes_with_supervisees(db, program, supervisor, peer):
    before = scope_key(supervisor)
    Membership.objects.filter(pk=membership_of(peer).pk).update(supervisor=None)
    forget_reach(supervisor)
    assert scope_key(supervisor) != before


def test_a_supervisors_my_day_shows_a_new_supervisees_participant_at_once(login, program, supervisor, peer):
    newcomer = make_staff(program, Membership.Role.PEER, full_name="New Comer")
    unseen = ClientFactory(program=program, primary_peer=newcomer, full_name="Quiet Person")
    Client.objects.filter(pk=unseen.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    http = login(supervisor)

    def unseen_rows():
        response = http.get(reverse("home"))
        section = next(s.context for s in response.context["sections"] if s.template == TEMPLATE)
        return [c for c, _ in section["unseen"]]

    assert unseen_rows() == []
    Membership.objects.filter(user=newcomer).update(supervisor=supervisor)
    assert unseen_rows() == [unseen]
    Membership.objects.filter(user=newcomer).update(supervisor=None)
    assert unseen_rows() == []
