"""In-app notifications name the participant, group repeats and speak proper English (issue 15, defect 4).

The stored title never names anyone (emails are built from it); the page looks the name up when it
renders, through ``visible_to``, so a reader who can no longer see the participant never sees the name.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from clients import reminders as clients_reminders
from clients.services import client_assign
from recovery.models import AccessLog, Notification
from recovery.notify import notifications_grouped
from recovery.reminders import sweep_run
from recovery.tasks import deliver_due_emails
from tests.factories import ClientFactory, FollowUpFactory, RecoveryPlanFactory

TODAY = date(2026, 6, 1)
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))
NAMES = ["Mina Mine", "Nico Noble", "Oona Orchard"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def three_overdue(program, peer):
    """Three of ``peer``'s participants, each with a follow-up 5 days overdue; the sweep has run."""
    participants = [ClientFactory(program=program, primary_peer=peer, full_name=name) for name in NAMES]
    for participant in participants:
        FollowUpFactory(client=participant, due_on=TODAY - timedelta(days=5))
    sweep_run(clients_reminders.followup_due, program, TODAY)
    return participants


def test_three_overdue_follow_ups_are_one_line_naming_each_participant(login, peer, three_overdue):
    notifications = Notification.objects.filter(recipient=peer)
    assert notifications.count() == 3
    assert all(name not in n.title for n in notifications for name in NAMES)  # never stored
    assert {n.client_uuid for n in notifications} == {p.uuid for p in three_overdue}
    response = login(peer).get(reverse("notifications"))
    html = response.content.decode()
    assert "3 follow-ups overdue" in html
    for name in NAMES:
        assert f'<span class="notification-subject">{name}</span>: A follow-up is 5 days overdue' in html
    [entry] = response.context["entries"]
    assert len(entry["items"]) == 3
    assert AccessLog.objects.filter(user=peer, object_type="recovery.notifications").count() == 1


def test_the_email_of_the_same_notifications_names_nobody(peer, three_overdue, mailoutbox):
    deliver_due_emails()
    text = " ".join(m.subject + m.body + "".join(a[0] for a in m.alternatives) for m in mailoutbox)
    assert mailoutbox and all(name not in text for name in NAMES)


def test_a_reader_who_can_no_longer_see_the_participant_sees_no_name(login, peer, other_peer, supervisor,
                                                                     three_overdue):
    moved = three_overdue[0]
    client_assign(client=moved, peer=other_peer, by=supervisor, reason="Caseload balance")
    html = login(peer).get(reverse("notifications")).content.decode()
    assert "3 follow-ups overdue" in html
    assert NAMES[0] not in html and NAMES[1] in html


def test_no_name_on_the_page_writes_no_access_log(login, peer):
    Notification.objects.create(recipient=peer, kind="account_security", title="Your two-factor was reset")
    login(peer).get(reverse("notifications"))
    assert not AccessLog.objects.filter(user=peer).exists()


def test_one_day_overdue_is_singular_and_a_past_review_was_due(program, peer):
    participant = ClientFactory(program=program, primary_peer=peer)
    FollowUpFactory(client=participant, due_on=TODAY - timedelta(days=3))
    program.followup_escalation_days = 1
    program.save()
    FollowUpFactory(client=ClientFactory(program=program, primary_peer=peer), due_on=TODAY - timedelta(days=1))
    RecoveryPlanFactory(client=participant, started_on=TODAY - timedelta(days=90),
                        review_on=TODAY - timedelta(days=6))
    sweep_run(clients_reminders.followup_due, program, TODAY)
    sweep_run(clients_reminders.plan_review, program, TODAY)
    titles = set(Notification.objects.filter(recipient=peer).values_list("title", flat=True))
    assert {"A follow-up is 1 day overdue", "A follow-up is 3 days overdue",
            "A recovery plan review was due 6 days ago"} <= titles
    assert not any("is due" in t and "ago" in t for t in titles)


def test_a_single_notification_is_not_grouped(peer):
    n = Notification.objects.create(recipient=peer, kind="followup_due", title="A follow-up is 2 days overdue",
                                    dedupe_key="followup_overdue:x:y")
    [entry] = notifications_grouped([n])
    assert entry["title"] is None and entry["items"] == [n]


@pytest.mark.parametrize("count", [3, 60])
def test_the_named_list_keeps_its_query_budget(login, program, peer, count, django_assert_max_num_queries):
    for n in range(count):
        participant = ClientFactory(program=program, primary_peer=peer)
        Notification.objects.create(recipient=peer, kind="followup_due", title="A follow-up is 5 days overdue",
                                    dedupe_key=f"followup_overdue:{n}", client_uuid=participant.uuid)
    http = login(peer)
    with django_assert_max_num_queries(12):
        assert http.get(reverse("notifications")).status_code == 200
