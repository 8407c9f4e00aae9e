"""Issue 15, point 13: a record entered in error is set aside by a program admin (kept, audited, hidden from
every list, search, count and sweep through one scoping rule) and restored by one."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from pghistory.models import Context

from clients import reminders as clients_reminders
from clients.models import Client, ClientEvent
from clients.services.set_aside import client_restore, client_set_aside
from recovery.models import Notification
from recovery.reminders import sweep_run
from reports.measures import by_key
from reports.scope import Base, Filters
from tests.factories import ClientFactory, FollowUpFactory, SessionNoteFactory, days
from tests.reports.conftest import Q1, note


@pytest.fixture
def mistaken(program, peer):
    return ClientFactory(program=program, primary_peer=peer, full_name="Mia Mistaken")


def set_aside(client, admin, reason="Typed twice: Mina Mine is already enrolled."):
    return client_set_aside(client=client, by=admin, reason=reason)


def test_an_admin_marks_a_record_entered_in_error_with_a_reason_and_the_history_keeps_who_when_why(
        login, admin, mistaken):
    http = login(admin)
    response = http.post(reverse("clients:set_aside", args=[mistaken.uuid]), {"reason": "A test entry."})
    assert response.status_code == 302 and response.url == mistaken.get_absolute_url()
    mistaken.refresh_from_db()
    assert (mistaken.set_aside_as, mistaken.set_aside_reason, mistaken.set_aside_by) == ("error", "A test entry.",
                                                                                         admin)
    event = ClientEvent.objects.filter(pgh_obj=mistaken).latest("pgh_id")
    assert (event.set_aside_as, event.set_aside_reason) == ("error", "A test entry.")
    assert Context.objects.get(pk=event.pgh_context_id).metadata["user"] == admin.pk
    assert Client.objects.filter(pk=mistaken.pk).exists()  # kept


def test_the_reason_is_required(login, admin, mistaken):
    response = login(admin).post(reverse("clients:set_aside", args=[mistaken.uuid]), {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    mistaken.refresh_from_db()
    assert not mistaken.is_set_aside


def test_other_roles_cannot_mark_or_restore(login, peer, supervisor, mistaken, admin, outsider):
    for who in (peer, supervisor):
        assert login(who).post(reverse("clients:set_aside", args=[mistaken.uuid]), {"reason": "x"}).status_code == 403
    assert login(outsider).post(reverse("clients:set_aside", args=[mistaken.uuid]),
                                {"reason": "x"}).status_code == 404
    set_aside(mistaken, admin)
    for who in (peer, supervisor):
        assert login(who).post(reverse("clients:restore", args=[mistaken.uuid])).status_code == 403
    assert login(outsider).post(reverse("clients:restore", args=[mistaken.uuid])).status_code == 404
    mistaken.refresh_from_db()
    assert mistaken.is_set_aside


def test_only_an_admin_opens_a_set_aside_record_and_sees_the_banner(login, admin, peer, supervisor, mistaken):
    set_aside(mistaken, admin)
    for who in (peer, supervisor):
        http = login(who)
        assert http.get(mistaken.get_absolute_url()).status_code == 404
        assert http.get(reverse("clients:edit", args=[mistaken.uuid])).status_code == 404
    page = login(admin).get(mistaken.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "This record was marked as entered in error by Ada Admin" in html
    assert "Typed twice: Mina Mine is already enrolled." in html and "Restore this record" in html
    assert not page.context["can_assign"] and not page.context["can_edit"]


def test_a_set_aside_record_leaves_every_caseload_and_search(login, admin, peer, supervisor, mistaken, mine):
    set_aside(mistaken, admin)
    for who in (peer, supervisor, admin):
        http = login(who)
        listed = http.get(reverse("clients:caseload"), {"status": "all"})
        assert mistaken not in [c for c, _ in listed.context["rows"]] and mine in [c for c, _ in listed.context["rows"]]
        found = http.post(reverse("clients:caseload"), {"q": "Mia", "status": "all"}, follow=True)
        assert found.context["rows"] == []
    assert list(Client.objects.visible_to(admin).filter(pk=mistaken.pk)) == []


def test_admins_find_set_aside_records_through_the_filter_and_restore_them(login, admin, peer, mistaken, mine):
    set_aside(mistaken, admin)
    http = login(admin)
    listed = http.get(reverse("clients:caseload"), {"status": "error"})
    rows = listed.context["rows"]
    assert [c for c, _ in rows] == [mistaken] and "Entered in error" in rows[0][1]
    peer_rows = login(peer).get(reverse("clients:caseload"), {"status": "error"}).context["rows"]
    assert [c for c, _ in peer_rows] == [mine]  # a peer has no such filter: the default list
    http = login(admin)
    response = http.post(reverse("clients:restore", args=[mistaken.uuid]))
    assert response.status_code == 302
    mistaken.refresh_from_db()
    assert not mistaken.is_set_aside
    assert mistaken in [c for c, _ in login(peer).get(reverse("clients:caseload")).context["rows"]]
    events = list(ClientEvent.objects.filter(pgh_obj=mistaken).order_by("pgh_id")
                  .values_list("set_aside_as", "set_aside_reason"))
    assert events[-2:] == [("error", "Typed twice: Mina Mine is already enrolled."), ("", "")]


def test_a_set_aside_record_leaves_my_day(login, admin, peer, mistaken):
    FollowUpFactory(client=mistaken, purpose="Call back", due_on=days(0))
    set_aside(mistaken, admin)
    response = login(peer).get(reverse("home"))
    section = next(s.context for s in response.context["sections"] if s.template == "clients/my_day/section.html")
    assert section["followups"] == []
    assert "Mia Mistaken" not in response.content.decode()


def test_a_set_aside_record_is_reminded_of_nothing(program, peer, admin, mistaken):
    today = program.today()
    SessionNoteFactory(client=mistaken, session_date=today - datetime.timedelta(days=90))
    FollowUpFactory(client=mistaken, purpose="Call back", due_on=today)
    set_aside(mistaken, admin)
    for sweep in (clients_reminders.no_contact, clients_reminders.followup_due, clients_reminders.consent_expiring,
                  clients_reminders.plan_review):
        sweep_run(sweep, program, today)
    assert not Notification.objects.filter(client_uuid=mistaken.uuid).exists()
    client_restore(client=mistaken, by=admin)
    sweep_run(clients_reminders.no_contact, program, today)
    assert Notification.objects.filter(client_uuid=mistaken.uuid, kind="no_contact").exists()


def test_a_set_aside_record_is_not_counted_in_reports(program, supervisor, admin, mistaken, mine):
    note(mine, datetime.date(2025, 2, 3))
    note(mistaken, datetime.date(2025, 2, 4))
    served = by_key()["served"]

    def count():
        admin.__dict__.pop("_lantern_reach", None)
        return served.value(Base(admin, program, Q1, datetime.date(2026, 11, 30), Filters()))

    assert count() == 2
    set_aside(mistaken, admin)
    assert count() == 1


def test_the_mark_page_keeps_to_its_query_budget(login, admin, mistaken, django_assert_max_num_queries):
    http = login(admin)
    http.get(reverse("clients:set_aside", args=[mistaken.uuid]))
    with django_assert_max_num_queries(12):
        assert http.get(reverse("clients:set_aside", args=[mistaken.uuid])).status_code == 200


def test_a_set_aside_record_is_not_counted_in_caseload_sizes_nor_handed_over(admin, peer, program, mistaken, mine):
    from clients.handover import carried_clients
    from clients.services import assignable_staff_with_caseloads
    from recovery.models import Membership

    set_aside(mistaken, admin)
    sizes = {u.pk: u.caseload_size for u in assignable_staff_with_caseloads(admin, program.pk)}
    assert sizes[peer.pk] == 1
    assert list(carried_clients(Membership.objects.get(user=peer, program=program))) == [mine]
