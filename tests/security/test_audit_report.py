"""/audit/: a program admin examines reads, changes and sign-in events of their program, and exports them."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta

import pghistory
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recovery.audit_report import ACCESS, CHANGES, SECURITY, csv_safe
from recovery.forms import DATE_ORDER_ERROR
from recovery.models import AccessLog, Membership
from recovery.sessions import TOUCH_INTERVAL
from tests.factories import AccessLogFactory, SecurityEventFactory, make_staff

REPORT = reverse("audit:report")
EXPORT = reverse("audit:export")


def at(program, day: int, hour: int = 10) -> datetime:
    """A moment in March 2026, in the program's time zone."""
    return datetime(2026, 3, day, hour, 0, tzinfo=program.zone)


def read(program, user, client_uuid, moment, **fields) -> AccessLog:
    with time_machine.travel(moment, tick=False):
        return AccessLogFactory(program=program, user=user, client_uuid=client_uuid, **fields)


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def reads(program, other_program, peer, other_peer, outsider):
    """Reads of two participants by two peers over a week, and one read in another program."""
    alice, bob = uuid.uuid4(), uuid.uuid4()
    rows = {
        "peer_alice_2nd": read(program, peer, alice, at(program, 2)),
        "peer_alice_4th": read(program, peer, alice, at(program, 4)),
        "peer_alice_4th_late": read(program, peer, alice, at(program, 4, 23)),  # late evening, program time
        "peer_alice_6th": read(program, peer, alice, at(program, 6)),
        "peer_bob_4th": read(program, peer, bob, at(program, 4)),
        "other_peer_alice_4th": read(program, other_peer, alice, at(program, 4)),
        "outsider": read(other_program, outsider, alice, at(program, 4)),
    }
    return alice, bob, rows


def test_report_finds_a_users_reads_of_a_participant_in_a_date_range_and_the_export_matches(
    login, admin, peer, program, reads
):
    alice, _, rows = reads
    client = login(admin)
    query = {"user": str(peer.uuid), "participant": str(alice), "date_from": "2026-03-03", "date_to": "2026-03-04"}

    response = client.get(REPORT, query)

    assert response.status_code == 200
    found = list(response.context["page"].object_list)
    assert found == [rows["peer_alice_4th_late"], rows["peer_alice_4th"]]  # newest first
    exported = csv_rows(client.get(EXPORT, query))
    assert [(r["When"], r["Staff member"], r["Participant ID"], r["Page"]) for r in exported] == [
        (row.at.astimezone(program.zone).isoformat(timespec="seconds"), peer.full_name, str(alice), row.path)
        for row in found
    ]


def test_the_export_is_logged_and_is_not_part_of_its_own_file(login, admin, program, reads):
    client = login(admin)
    response = client.get(EXPORT, {"sort": "user"})
    assert response["Content-Disposition"].startswith('attachment; filename="lantern-audit-access-')
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    exported = csv_rows(response)
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.user, entry.program, entry.object_type) == (admin, program, "audit.access")
    assert "sort=user" in entry.path
    assert len(exported) == 6  # the program's six reads; not the outsider's, not the export itself
    assert [r["Staff member"] for r in exported] == sorted(r["Staff member"] for r in exported)


def test_each_filter_narrows_the_rows(login, admin, peer, reads):
    _, bob, rows = reads
    client = login(admin)

    def ids(**query):
        return {row.pk for row in client.get(REPORT, query).context["page"].object_list}

    assert ids() == {r.pk for key, r in rows.items() if key != "outsider"}
    assert ids(user=str(peer.uuid)) == {r.pk for key, r in rows.items() if key.startswith("peer_")}
    assert ids(participant=str(bob)) == {rows["peer_bob_4th"].pk}
    assert ids(date_from="2026-03-05") == {rows["peer_alice_6th"].pk}
    assert ids(date_to="2026-03-02") == {rows["peer_alice_2nd"].pk}
    assert ids(action=AccessLog.Action.EXPORT) == set()


@pytest.mark.parametrize("tab", [ACCESS, CHANGES, SECURITY], ids=lambda t: t.key)
def test_every_column_sorts_both_ways(login, admin, reads, tab):
    client = login(admin)
    SecurityEventFactory(program=admin.memberships.get().program, user=admin)
    for column in tab.columns:
        for sort in (column.key, f"-{column.key}"):
            response = client.get(REPORT, {"tab": tab.key, "sort": sort})
            assert response.status_code == 200, sort
            header = response.context["headers"][[c.key for c in tab.columns].index(column.key)]
            assert header["aria_sort"] == ("descending" if sort.startswith("-") else "ascending")


def test_sorting_orders_the_rows_and_unknown_sorts_are_ignored(login, admin, peer, other_peer, reads):
    client = login(admin)
    by_user = [r.user for r in client.get(REPORT, {"sort": "user"}).context["page"].object_list]
    assert by_user == sorted(by_user, key=lambda u: u.full_name)
    oldest = client.get(REPORT, {"sort": "at"}).context["page"].object_list[0]
    assert oldest == reads[2]["peer_alice_2nd"]
    hostile = client.get(REPORT, {"sort": "user__password"})
    assert hostile.status_code == 200
    assert list(hostile.context["page"].object_list) == list(client.get(REPORT).context["page"].object_list)


def test_rejected_filters_keep_what_was_typed_and_show_the_error_at_the_field(login, admin, reads):
    response = login(admin).get(REPORT, {"date_from": "2026-03-05", "date_to": "2026-03-01", "participant": "abc"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_to"] == [DATE_ORDER_ERROR]
    assert "participant" in form.errors
    assert form["participant"].value() == "abc"
    assert "Correct the filters" in response.content.decode()
    assert login(admin).get(EXPORT, {"date_from": "2026-03-05", "date_to": "2026-03-01"}).status_code == 302


def test_the_report_is_paginated(login, admin, peer, program):
    for n in range(55):
        read(program, peer, uuid.uuid4(), at(program, 1) + timedelta(minutes=n))
    client = login(admin)
    first = client.get(REPORT)
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(REPORT, {"page": 2}).context["page"].object_list) == 5
    assert len(csv_rows(client.get(EXPORT))) == 55


def test_changes_tab_lists_who_changed_the_programs_records_and_from_where(login, admin, program, peer, outsider):
    membership = Membership.objects.get(user=peer)
    with pghistory.context(user=admin.pk, url="/staff/people/"):
        membership.is_active = False
        membership.save()
    other = Membership.objects.get(user=outsider)
    with pghistory.context(user=outsider.pk, url="/staff/elsewhere/"):
        other.role = Membership.Role.SUPERVISOR
        other.save()

    response = login(admin).get(REPORT, {"tab": "changes", "user": str(admin.uuid)})

    events = list(response.context["page"].object_list)
    assert [(e.pgh_obj_model, e.pgh_obj_id, e.pgh_label, e.url, e.user) for e in events] == [
        ("recovery.Membership", str(membership.pk), "update", "/staff/people/", admin)]
    html = response.content.decode()
    assert "Is active: yes → no" in html and "Ada Admin" in html and "is_active" not in html
    everything = login(admin).get(REPORT, {"tab": "changes"}).context["page"].object_list
    assert "/staff/elsewhere/" not in {e.url for e in everything}
    people = {e.pgh_obj_id for e in everything if e.pgh_obj_model == "recovery.User"}
    staff = {str(pk) for pk in Membership.objects.filter(program=program).values_list("user_id", flat=True)}
    assert people == staff and str(outsider.pk) not in people  # the program's staff records only

    exported = csv_rows(login(admin).get(EXPORT, {"tab": "changes", "user": str(admin.uuid)}))
    assert [(r["Changed by"], r["Record type"], r["Changes"], r["Page"]) for r in exported] == [
        ("Ada Admin", "Membership", "Is active: yes → no", "/staff/people/")]


def test_changes_tab_covers_participant_records_through_their_program(login, admin, program, peer, outsider):
    from tests.factories import ClientFactory

    participant = ClientFactory(program=program, primary_peer=peer)
    elsewhere = ClientFactory(program=outsider.memberships.get().program, primary_peer=None)
    response = login(admin).get(REPORT, {"tab": "changes"})
    events = list(response.context["page"].object_list)
    assert ("clients.Client", str(participant.pk)) in {(e.pgh_obj_model, e.pgh_obj_id) for e in events}
    assert "clients.Episode" in {e.pgh_obj_model for e in events}  # reaches the program through the client
    assert str(elsewhere.pk) not in {e.pgh_obj_id for e in events if e.pgh_obj_model == "clients.Client"}
    # Change details show participant data: viewing them is logged as a read.
    logged = AccessLog.objects.get(action=AccessLog.Action.LIST, object_type="audit.changes")
    assert (logged.user, logged.program) == (admin, program)


def test_changes_tab_filters_by_record_type(login, admin, program, peer):
    response = login(admin).get(REPORT, {"tab": "changes", "record": "recovery.UserEvent"})
    assert {e.pgh_obj_model for e in response.context["page"].object_list} == {"recovery.User"}


def test_the_changes_tab_compiles_its_queries_once_and_still_shows_a_new_change_at_once(
        login, admin, program, peer, monkeypatch):
    from recovery import audit_report

    built = []
    light = audit_report._light
    monkeypatch.setattr(audit_report, "_light", lambda *args: built.append(args[0]) or light(*args))
    monkeypatch.setattr(audit_report, "_COMPILED", audit_report.OrderedDict())
    membership = Membership.objects.get(user=peer)
    with pghistory.context(user=admin.pk, url="/staff/earlier/"):
        for n in range(60):  # more than a page: the first page's window stays 0-50 as events come
            membership.is_active = n % 2 == 0
            membership.save()
    http = login(admin)
    http.get(REPORT, {"tab": "changes"})
    assert built  # the first request builds the event tables' queries
    built.clear()
    with pghistory.context(user=admin.pk, url="/staff/people/"):
        membership.is_active = not membership.is_active
        membership.save()

    response = http.get(REPORT, {"tab": "changes"})

    assert built == []  # the same program, filters, order and page: the compiled SQL is reused
    shown = {(e.pgh_obj_model, e.pgh_obj_id, e.url) for e in response.context["page"].object_list}
    assert ("recovery.Membership", str(membership.pk), "/staff/people/") in shown
    http.get(REPORT, {"tab": "changes", "user": str(admin.uuid)})
    assert built  # other filters: other SQL


def test_security_tab_lists_resets_and_enrolments(login, admin, supervisor, program, outsider):
    from recovery.models import SecurityEvent

    SecurityEventFactory(program=program, user=supervisor, actor=admin, kind=SecurityEvent.Kind.TWO_FACTOR_RESET,
                         reason="Lost phone")
    SecurityEventFactory(program=outsider.memberships.get().program, user=outsider)
    response = login(admin).get(REPORT, {"tab": "security", "user": str(supervisor.uuid)})
    events = list(response.context["page"].object_list)
    assert [(e.user, e.actor, e.reason) for e in events] == [(supervisor, admin, "Lost phone")]
    exported = csv_rows(login(admin).get(EXPORT, {"tab": "security"}))
    assert [(r["Staff member"], r["By"], r["Reason"]) for r in exported] == [
        (supervisor.full_name, admin.full_name, "Lost phone")]


def test_peers_and_supervisors_get_403(login, peer, supervisor):
    for user in (peer, supervisor):
        client = login(user)
        assert client.get(REPORT).status_code == 403
        assert client.get(EXPORT).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_an_outsider_sees_nothing_of_the_program(login, outsider, reads):
    response = login(outsider).get(REPORT)
    assert [row.pk for row in response.context["page"].object_list] == [reads[2]["outsider"].pk]
    assert all(r["Staff member"] == outsider.full_name for r in csv_rows(login(outsider).get(EXPORT)))
    # Nor can they pick the program's people in the filter.
    assert login(outsider).get(REPORT, {"user": str(reads[2]["peer_alice_2nd"].user.uuid)}).context["form"].errors


def test_anonymous_visitors_go_to_login_and_post_is_refused(client, login, admin, db):
    for url in (REPORT, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client = login(admin)
    assert client.post(EXPORT).status_code == 405  # the report takes a POST only to find a participant by name


def test_only_admins_see_the_audit_link(login, admin, supervisor):
    assert f'href="{REPORT}"' in login(admin).get("/").content.decode()
    assert f'href="{REPORT}"' not in login(supervisor).get("/").content.decode()


def test_csv_cells_cannot_start_a_formula():
    assert csv_safe(["=HYPERLINK(1)", "+1", "-1", "@x", "plain", None, 3]) == [
        "'=HYPERLINK(1)", "'+1", "'-1", "'@x", "plain", "", "3"]


@pytest.mark.parametrize("tab", ["access", "changes", "security"])
def test_the_report_and_export_run_a_fixed_number_of_queries(frozen_time, login, admin, program, peer, tab,
                                                              django_assert_max_num_queries, django_assert_num_queries):
    client = login(admin)
    read(program, peer, uuid.uuid4(), at(program, 1))
    SecurityEventFactory(program=program, user=peer)
    with django_assert_max_num_queries(20) as few:
        client.get(REPORT, {"tab": tab, "sort": "user"})
    with django_assert_max_num_queries(20) as few_export:
        b"".join(client.get(EXPORT, {"tab": tab}).streaming_content)

    for n in range(60):
        user = make_staff(program, Membership.Role.PEER, email=f"staff{n}@example.org")
        read(program, user, uuid.uuid4(), at(program, 2))
        SecurityEventFactory(program=program, user=user)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(REPORT, {"tab": tab, "sort": "user"})
    assert len(response.context["page"].object_list) == 50
    with django_assert_num_queries(len(few_export.captured_queries)):
        rows = csv_rows(client.get(EXPORT, {"tab": tab}))
    assert len(rows) > 60


def test_a_minute_between_two_requests_adds_the_session_write_and_nothing_else(login, admin, program, peer):
    """Why the budgets above run in frozen time (the 9 vs 12 once seen on the changes tab in a full run).

    The session middleware writes the last activity at most once a minute (recovery/sessions.py): the
    request that crosses that minute makes three more queries (SAVEPOINT, UPDATE django_session, RELEASE).
    On a loaded machine the "few rows" and "many rows" requests could fall on either side of it; with
    time frozen neither writes, and the budgets compare like with like.
    """
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(admin)
        with CaptureQueriesContext(connection) as first:
            client.get(REPORT, {"tab": "changes", "sort": "user"})
    with time_machine.travel(start + timedelta(seconds=TOUCH_INTERVAL + 1), tick=False), \
            CaptureQueriesContext(connection) as later:
        client.get(REPORT, {"tab": "changes", "sort": "user"})

    assert len(later.captured_queries) == len(first.captured_queries) + 3
    write = [q["sql"] for q in later.captured_queries[-3:]]
    assert write[0].startswith("SAVEPOINT") and write[2].startswith("RELEASE SAVEPOINT")
    assert write[1].startswith('UPDATE "django_session"')


def test_the_changes_tab_says_what_changed_in_words_with_staff_by_name(login, admin, program, peer, other_peer, mine):
    from clients import services

    with pghistory.context(user=admin.pk, url="/clients/assign/"):
        services.client_assign(client=mine, peer=other_peer, by=admin, reason="Pat is on leave.")
    http = login(admin)
    html = http.get(REPORT, {"tab": "changes", "record": "clients.ClientEvent"}).content.decode()
    assert f"Peer specialist: {peer.full_name} → {other_peer.full_name}" in html
    assert "primary_peer" not in html and "→ 5" not in html
    assert "<td>Changed<div" in html
    exported = csv_rows(http.get(EXPORT, {"tab": "changes", "record": "clients.ClientEvent"}))
    assert {r["Action"] for r in exported} <= {"Created", "Changed"}
    assert all("_id" not in r["Changes"] for r in exported)


def test_the_access_tab_names_what_was_read_not_its_model_label(login, admin, program, peer, mine):
    login(peer).get(reverse("clients:detail", args=[mine.uuid]))
    login(peer).get(reverse("clients:caseload"))
    html = login(admin).get(REPORT, {"tab": "access", "user": str(peer.uuid)}).content.decode()
    assert "Participant<br>" in html and "Participant list" in html
    assert "clients.client" not in html and "clients.caseload" not in html


def test_the_audit_report_finds_a_participant_by_name_by_post_within_the_admins_scope(
        login, admin, program, peer, mine, outsider):
    from tests.factories import ClientFactory

    ClientFactory(program=outsider.memberships.get().program, full_name="Mina Elsewhere", primary_peer=None)
    http = login(admin)
    response = http.post(f"{REPORT}?tab=access", {"name": "mina"})
    assert response.status_code == 200
    assert [name for _, name, _ in response.context["found"]] == ["Mina Mine"]  # not the other program's Mina
    html = response.content.decode()
    assert f'href="?tab=access&amp;participant={mine.uuid}"' in html
    logged = AccessLog.objects.filter(user=admin, action=AccessLog.Action.SEARCH).get()
    assert logged.object_type == "audit.participant_search" and "mina" not in logged.path.lower()
    # the participant's ID filters the log, as before
    assert http.get(REPORT, {"tab": "access", "participant": str(mine.uuid)}).status_code == 200


def test_finding_a_participant_needs_a_name_and_says_so_in_the_error_summary(login, admin):
    response = login(admin).post(f"{REPORT}?tab=access", {"name": ""})
    assert response.context["find_form"].errors["name"]
    assert 'href="#id_name"' in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.SEARCH).exists()


def test_the_name_search_answers_in_a_fixed_number_of_queries(login, admin, program, peer,
                                                               django_assert_max_num_queries):
    from tests.factories import ClientFactory

    ClientFactory.create_batch(30, program=program, primary_peer=peer, full_name="Sam Same")
    http = login(admin)
    with django_assert_max_num_queries(25):
        response = http.post(f"{REPORT}?tab=access", {"name": "sam same"})
    assert len(response.context["found"]) == 20


# The access tab's former row template: the reference for ``{% access_row %}`` (recovery/templatetags/audit_report.py).
ACCESS_ROW_TEMPLATE = """{% load audit_report %}{% for row in rows %}  <tr>
    <td class="text-nowrap"><time datetime="{{ row.at|date:'c' }}">{{ row.at|date:"Y-m-d H:i:s" }}</time></td>
    <td>{{ row.user.full_name }}</td>
    <td>{{ row.get_action_display }}</td>
    <td class="small">{{ row.object_type|object_type }}{% if row.object_id %}<br><span class="font-monospace">{{ row.object_id }}</span>{% endif %}</td>
    <td class="small font-monospace">{% if row.client_uuid %}<a href="?tab=access&amp;participant={{ row.client_uuid }}">{{ row.client_uuid }}</a>{% endif %}</td>
    <td class="small font-monospace">{{ row.ip|default:"" }}</td>
    <td class="small text-break">{{ row.path }}</td>
    <td class="small">{{ row.reason }}</td>
  </tr>
{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("zone", ["America/Chicago", "Pacific/Auckland", "UTC"])
def test_the_access_row_tag_writes_what_the_row_template_wrote(program, peer, language, zone):
    from zoneinfo import ZoneInfo

    from django.template import engines
    from django.utils import translation

    peer.full_name = "Dee O'Neil & <Sons>"
    peer.save(update_fields=["full_name"])
    moment = datetime(2026, 3, 8, 7, 59, 58, 123456, tzinfo=ZoneInfo("UTC"))  # a DST change in Chicago
    for action in AccessLog.Action.values:
        read(program, peer, uuid.uuid4(), moment, action=action, reason="Crisis & <follow-up>",
             path="/clients/x/?q=<script>&a=1")
    read(program, peer, None, moment, object_type="clients.caseload", object_id="", ip=None, path="/clients/")
    read(program, peer, None, moment + timedelta(hours=13), object_type="unknown.thing_type", object_id="7")
    rows = list(AccessLog.objects.select_related("user").order_by("pk"))
    engine = engines["django"]
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        context = {"rows": rows}
        ours = engine.from_string("{% load audit_report %}{% for row in rows %}{% access_row row %}{% endfor %}")
        assert ours.render(context) == engine.from_string(ACCESS_ROW_TEMPLATE).render(context)
