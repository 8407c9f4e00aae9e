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


def test_compiled_value_is_built_once_and_its_query_runs_every_time(db, program, peer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recovery.compiled import compiled_value

    calls = []

    def build():
        calls.append(1)
        return Client.objects.filter(program=program, full_name__startswith="Counted").count()

    key = ("test.value.count", program.pk)
    assert compiled_value(key, build) == 0
    ClientFactory(program=program, primary_peer=peer, full_name="Counted One")
    with CaptureQueriesContext(connection) as queries:
        assert compiled_value(key, build) == 1  # the kept statement, run again: the new row counts
    assert calls == [1] and len(queries) == 1
    assert compiled_value(("test.value.empty",), lambda: Client.objects.filter(pk__in=[]).count()) == 0

    def two_queries():
        calls.append(2)
        Client.objects.filter(program=program).exists()
        return Client.objects.filter(program=program).count()

    assert compiled_value(("test.value.two", program.pk), two_queries) == 1
    assert compiled_value(("test.value.two", program.pk), two_queries) == 1
    assert calls == [1, 2, 2]  # more than one query: nothing kept, built every time


def test_a_reports_kept_queries_count_new_rows_and_each_filter_apart(db, program, admin, peer):
    from reports.measures import by_key
    from reports.periods import Period
    from reports.scope import Base, Filters
    from tests.factories import ResourceFactory, referral_for

    other = make_staff(program, Membership.Role.PEER, full_name="Other Peer")
    mine, theirs = ClientFactory(program=program, primary_peer=peer), ClientFactory(program=program, primary_peer=other)
    resource = ResourceFactory(program=program)
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "Q1")
    made = by_key()["referrals_made"]

    def numbers(**filters):
        base = Base(admin, program, period, datetime.date(2026, 11, 30), Filters(**filters))
        return made.value(base), [(g, n) for g, _label, n in made.breakdown(base)]

    referral_for(mine, resource, by=peer, made_on=datetime.date(2026, 2, 1))
    assert numbers()[0] == 1 and numbers(peer_id=peer.pk)[0] == 1 and numbers(peer_id=other.pk)[0] == 0
    referral_for(theirs, resource, by=other, made_on=datetime.date(2026, 2, 2))
    (total, groups), (by_other, _groups) = numbers(), numbers(peer_id=other.pk)
    assert (total, by_other, sum(n for _g, n in groups)) == (2, 1, 2)
