"""Closing the loop: open referrals with no update for the program's number of days show on My day and are
reminded once; the supervisor's dashboard counts referrals without an outcome; reports count referrals
made, connected and completed by category; the demo has a directory and referrals in every status."""

from __future__ import annotations

import datetime

from django.urls import reverse

from recovery.models import Notification
from recovery.reminders import sweep_run
from referrals.models import Referral, Resource
from referrals.reminders import referral_no_update
from referrals.reports import NO_CATEGORY, referral_counts
from referrals.services import referral_update
from tests.factories import ResourceFactory, days, referral_for, resource_categories


def test_an_open_referral_shows_on_my_day_once_it_has_had_no_update_for_the_programs_days(login, peer, program,
                                                                                           mine):
    assert program.referral_no_update_days == 14
    resource = ResourceFactory(program=program, organisation="Harbor House")
    referral_for(mine, resource, made_on=days(-13))
    http = login(peer)
    assert "Referrals with no update" not in http.get(reverse("home")).content.decode()
    quiet = referral_for(mine, resource, made_on=days(-14))
    page = http.get(reverse("home")).content.decode()
    assert "Referrals with no update" in page and quiet.get_absolute_url() in page
    assert "no update for 14 days" in page
    referral_update(referral=quiet, by=peer, status="connected", on=days(0))
    assert "Referrals with no update" not in http.get(reverse("home")).content.decode()


def test_a_closed_referral_never_shows_as_waiting(login, peer, program, mine):
    referral = referral_for(mine, ResourceFactory(program=program), made_on=days(-40))
    referral_update(referral=referral, by=peer, status="not_completed", reason="declined", on=days(-39))
    assert "Referrals with no update" not in login(peer).get(reverse("home")).content.decode()


def test_the_no_update_reminder_is_sent_once_per_quiet_spell_and_names_no_participant(program, peer, mine):
    referral = referral_for(mine, ResourceFactory(program=program), made_on=days(-30))
    today = program.today()
    Referral.objects.filter(pk=referral.pk).update(made_on=today - datetime.timedelta(days=20),
                                                   status_on=today - datetime.timedelta(days=14))
    assert sweep_run(referral_no_update, program, today - datetime.timedelta(days=1)) == 0
    assert sweep_run(referral_no_update, program, today) == 1
    assert sweep_run(referral_no_update, program, today) == 0
    assert sweep_run(referral_no_update, program, today + datetime.timedelta(days=1)) == 0
    note = Notification.objects.get(kind="referral_no_update")
    assert note.recipient == peer and note.url == referral.get_absolute_url()
    assert mine.full_name not in note.title and "no update for 14 days" in note.title
    # A new status starts a new spell: reminded again when that one has been quiet as long.
    referral_update(referral=referral, by=peer, status="connected", on=today - datetime.timedelta(days=1))
    assert sweep_run(referral_no_update, program, today + datetime.timedelta(days=13)) == 1
    assert Notification.objects.filter(kind="referral_no_update").count() == 2


def test_the_no_update_days_are_a_program_setting(program, mine):
    referral_for(mine, ResourceFactory(program=program), made_on=days(-5))
    program.referral_no_update_days = 5
    program.save()
    assert sweep_run(referral_no_update, program, program.today()) == 1


def test_reports_count_made_connected_and_completed_by_category_for_a_period(program, peer, mine):
    categories = resource_categories()
    housing = ResourceFactory(program=program, categories=["recovery-housing"])
    food = ResourceFactory(program=program, categories=["food"])
    made = [referral_for(mine, housing, made_on=days(-10), category=categories["recovery-housing"])
            for _ in range(3)]
    referral_update(referral=made[0], by=peer, status="connected", on=days(-5))
    referral_update(referral=made[1], by=peer, status="connected", on=days(-5))
    referral_update(referral=made[1], by=peer, status="completed", on=days(-1))
    referral_update(referral=made[2], by=peer, status="not_completed", reason="no_show", on=days(-3))
    referral_for(mine, food, made_on=days(-2), category=categories["food"])
    referral_for(mine, None, made_on=days(-2))  # a one-off, no category
    referral_for(mine, food, made_on=days(-100), category=categories["food"])  # before the period
    rows = referral_counts(Referral.objects.filter(client__program=program), days(-30), days(0))
    table = {r.category: (r.made, r.connected, r.completed, r.not_completed, r.open) for r in rows}
    assert table == {"Recovery housing": (3, 2, 1, 1, 1), "Food": (1, 0, 0, 0, 1), NO_CATEGORY: (1, 0, 0, 0, 1)}
    assert [r.category for r in rows] == ["Recovery housing", "Food", NO_CATEGORY]
    assert rows[0].connected_percent == 67


def test_the_supervisor_dashboard_counts_referrals_without_an_outcome(login, supervisor, peer, program, mine):
    resource = ResourceFactory(program=program)
    referral_for(mine, resource)
    connected = referral_for(mine, resource)
    referral_update(referral=connected, by=peer, status="connected", on=days(0))
    done = referral_for(mine, resource)
    referral_update(referral=done, by=peer, status="completed", on=days(0))
    http = login(supervisor)
    rows = http.get(reverse("supervision:dashboard")).context["rows"]
    numbers = {metric.slug: n for metric, n in next(r for r in rows if r.membership.user == peer).numbers}
    assert numbers["open-referrals"] == 2
    listed = http.get(reverse("supervision:metric", args=[peer.uuid, "open-referrals"]))
    assert listed.status_code == 200 and "Referral to" in listed.content.decode()


def test_the_demo_has_a_directory_of_about_60_with_some_stale_and_referrals_in_every_status(db):
    from recovery import demo

    ctx = demo.seed()
    program = ctx.program
    resources = Resource.objects.filter(program=program)
    assert 55 <= resources.count() <= 65
    assert set(resources.values_list("categories__code", flat=True)) == set(resource_categories())
    stale = resources.stale(program, program.today()).count()
    assert 5 <= stale < resources.count() // 2
    referrals = Referral.objects.filter(client__program=program)
    assert set(referrals.values_list("status", flat=True)) == set(Referral.Status.values)
    assert set(referrals.exclude(not_completed_reason="").values_list("not_completed_reason", flat=True)) == set(
        Referral.Reason.values)
    assert referrals.quiet_since(program.today() - datetime.timedelta(days=program.referral_no_update_days - 1)
                                 ).exists()
    counts = (resources.count(), referrals.count())
    demo.seed()
    assert (Resource.objects.filter(program=program).count(), referrals.count()) == counts
