"""Emergency access ("break the glass", Done when 6): with a reason it works, without one it is refused,
and the program admins are told.

``mine`` is carried by ``peer``. ``other_peer`` (same team, not carrying ``mine``) is on the program's
emergency-access list unless a test says otherwise.
"""

from __future__ import annotations

import datetime
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from clients.forms.emergency import CHOOSE_ONE, NO_MATCH
from clients.models import Client
from recovery.emergency import NOT_ON_THE_LIST, REASON_TOO_SHORT, emergency_access_grant, emergency_members_set
from recovery.models import AccessLog, EmergencyAccessGrant, EmergencyAccessMember, Membership, Notification
from recovery.models.emergency import GRANT_DURATION
from recovery.scoping import can_edit_participant, forget_reach, participant_q
from tests.factories import ClientFactory, RecoveryPlanFactory, bulk_clients, make_staff

PAGE = reverse("clients:emergency")
MEMBERS_PAGE = reverse("emergency_members")
REASON = "Crisis line called: she is at the ER and her peer specialist is on leave."
BIRTH = datetime.date(1979, 4, 2)


@pytest.fixture
def mine(program, peer):
    return ClientFactory(program=program, primary_peer=peer, full_name="Mina Mine", birth_date=BIRTH)


@pytest.fixture
def listed(program, other_peer, admin):
    """``other_peer`` may use emergency access in ``program``."""
    EmergencyAccessMember.objects.create(program=program, user=other_peer, added_by=admin)
    return other_peer


def search(client, full_name="Mina Mine", birth_date=BIRTH, reason=REASON, **extra):
    data = {"full_name": full_name, "birth_date": birth_date.isoformat() if birth_date else "", "reason": reason,
            "form_token": str(uuid.uuid4()), **extra}
    return client.post(PAGE, data)


def detail(client_obj) -> str:
    return reverse("clients:detail", args=[client_obj.uuid])


# --- Works with a reason -----------------------------------------------------------------------------

def test_a_listed_peer_opens_a_participant_outside_their_caseload_after_giving_a_reason(
    login, listed, mine, admin, django_capture_on_commit_callbacks
):
    client = login(listed)
    assert client.get(detail(mine)).status_code == 404  # not in their caseload

    with django_capture_on_commit_callbacks(execute=True):
        response = search(client)

    assert response.status_code == 302 and response.url == detail(mine)
    grant = EmergencyAccessGrant.objects.get()
    assert (grant.user, grant.client, grant.program_id, grant.reason) == (listed, mine, mine.program_id, REASON)
    assert grant.expires_at - grant.granted_at == GRANT_DURATION
    logged = AccessLog.objects.get(action=AccessLog.Action.EMERGENCY)
    assert (logged.user, logged.client_uuid, logged.reason, logged.program_id) == (listed, mine.uuid, REASON,
                                                                                    mine.program_id)
    page = client.get(detail(mine))
    assert page.status_code == 200
    assert "Emergency access" in page.content.decode()
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW, user=listed, client_uuid=mine.uuid).exists()


def test_the_program_admins_are_told_at_once_without_the_participants_name(
    login, listed, mine, admin, outsider, django_capture_on_commit_callbacks
):
    second_admin = make_staff(mine.program, Membership.Role.ADMIN, full_name="Abe Secondadmin")
    with django_capture_on_commit_callbacks(execute=True):
        search(login(listed))

    notes = Notification.objects.filter(kind="emergency_access")
    assert {n.recipient for n in notes} == {admin, second_admin}  # not the outsider, not the user
    note = notes.get(recipient=admin)
    assert listed.full_name in note.title
    assert note.url.startswith(reverse("audit:report")) and str(mine.uuid) in note.url
    emails = [m for m in mail.outbox if admin.email in m.to]
    assert len(emails) == 1
    for text in (note.title, note.body, emails[0].subject, emails[0].body, emails[0].alternatives[0][0]):
        assert "Mina" not in text and "Mine" not in text and "1979" not in text
        assert REASON not in text  # the reason may name the participant: it stays in the audit log


def test_the_admins_link_finds_the_use_and_its_reason_in_the_audit_report(login, listed, mine, admin):
    search(login(listed))
    note = Notification.objects.get(recipient=admin, kind="emergency_access")
    report = login(admin).get(note.url)
    rows = list(report.context["page"].object_list)
    assert [(r.action, r.user, r.reason) for r in rows] == [(AccessLog.Action.EMERGENCY, listed, REASON)]


def test_names_match_as_the_duplicate_check_compares_them(login, listed, mine):
    response = search(login(listed), full_name="  MINA   mine ")
    assert response.status_code == 302 and response.url == detail(mine)


def test_the_grant_reads_but_never_writes(login, listed, mine):
    plan = RecoveryPlanFactory(client=mine)
    client = login(listed)
    search(client)
    assert client.get(reverse("clients:plan_detail", args=[plan.uuid])).status_code == 200
    assert client.get(reverse("clients:edit", args=[mine.uuid])).status_code == 403
    response = client.post(reverse("clients:edit", args=[mine.uuid]), {"full_name": "Changed"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.full_name == "Mina Mine"
    forget_reach(listed)
    assert not can_edit_participant(listed, mine)
    assert "Edit details" not in client.get(detail(mine)).content.decode()


def test_the_grant_ends_after_its_hours(login, listed, mine):
    client = login(listed)
    search(client)
    later = EmergencyAccessGrant.objects.get().expires_at + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        forget_reach(listed)
        assert not Client.objects.visible_to(listed).filter(pk=mine.pk).exists()
    with time_machine.travel(later - timedelta(minutes=2), tick=False):
        forget_reach(listed)
        assert Client.objects.visible_to(listed).filter(pk=mine.pk).exists()


def test_a_cached_answer_does_not_outlive_the_grant(listed, mine, rf):
    """``reach()`` is cached on the user object for the request: each grant carries its own end."""
    request = rf.post(PAGE)
    request.user = listed
    emergency_access_grant(request=request, client=mine, reason=REASON)
    assert Client.objects.visible_to(listed).filter(pk=mine.pk).exists()  # caches the answer
    with time_machine.travel(timezone.now() + GRANT_DURATION + timedelta(seconds=1), tick=False):
        assert not Client.objects.visible_to(listed).filter(pk=mine.pk).exists()  # same cached answer


def test_taking_someone_off_the_list_ends_their_access_at_once(login, listed, mine, admin):
    client = login(listed)
    search(client)
    assert client.get(detail(mine)).status_code == 200
    emergency_members_set(program=mine.program, users=[], by=admin)
    assert client.get(detail(mine)).status_code == 404
    assert client.get(PAGE).status_code == 403


def test_a_double_submitted_form_grants_once_and_tells_once(login, listed, mine, admin):
    client = login(listed)
    data = {"full_name": "Mina Mine", "birth_date": BIRTH.isoformat(), "reason": REASON,
            "form_token": str(uuid.uuid4())}
    first = client.post(PAGE, data)
    second = client.post(PAGE, data)
    assert first.url == second.url == detail(mine)
    assert EmergencyAccessGrant.objects.count() == 1
    assert Notification.objects.filter(kind="emergency_access", recipient=admin).count() == 1
    assert AccessLog.objects.filter(action=AccessLog.Action.EMERGENCY).count() == 1


def test_several_participants_with_the_same_name_and_birth_date_are_told_apart(login, listed, mine, program,
                                                                               other_team_peer):
    twin = ClientFactory(program=program, primary_peer=other_team_peer, full_name="Mina Mine", birth_date=BIRTH,
                         duplicate_reason="A different person: another address and phone.")
    client = login(listed)
    response = search(client)
    assert response.status_code == 200
    assert response.context["form"].errors["participant"] == [CHOOSE_ONE]
    assert str(twin.uuid)[:8] in response.content.decode()
    assert not EmergencyAccessGrant.objects.exists()

    response = search(client, participant=str(twin.uuid))
    assert response.url == detail(twin)
    assert EmergencyAccessGrant.objects.get().client == twin


def test_a_participant_already_in_reach_opens_without_a_grant(login, supervisor, mine, program, admin):
    EmergencyAccessMember.objects.create(program=program, user=supervisor, added_by=admin)
    response = search(login(supervisor))  # their team's participant
    assert response.url == detail(mine)
    assert not EmergencyAccessGrant.objects.exists()
    assert not Notification.objects.filter(kind="emergency_access").exists()


# --- Refused without a reason, and for anyone not on the list --------------------------------------

@pytest.mark.parametrize("reason", ["", "   ", "urgent", "x" * 19])
def test_refused_without_a_reason_and_what_was_typed_is_kept(login, listed, mine, reason):
    response = search(login(listed), reason=reason)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["reason"]
    assert form.errors["reason"] in ([REASON_TOO_SHORT], ["This field is required."])
    assert form["full_name"].value() == "Mina Mine"
    assert 'value="Mina Mine"' in response.content.decode()
    assert not EmergencyAccessGrant.objects.exists()
    assert not Notification.objects.exists()
    assert not AccessLog.objects.filter(client_uuid=mine.uuid).exists()


def test_the_service_refuses_a_short_reason_too(listed, mine, rf):
    from django.core.exceptions import ValidationError

    request = rf.post(PAGE)
    request.user = listed
    with pytest.raises(ValidationError):
        emergency_access_grant(request=request, client=mine, reason="because")
    assert not EmergencyAccessGrant.objects.exists()


@pytest.mark.parametrize("persona", ["peer", "other_peer", "supervisor", "admin", "outsider"])
def test_refused_for_staff_not_on_the_list(request, login, mine, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert search(client).status_code == 403
    assert not EmergencyAccessGrant.objects.exists()


def test_the_403_page_says_why(login, other_peer, mine):
    response = login(other_peer).get(PAGE)
    assert response.status_code == 403
    assert NOT_ON_THE_LIST.replace("'", "&#x27;") in response.content.decode()
    assert 'href="/clients/emergency/"' in login(other_peer).get("/").content.decode()  # in the menu


def test_anonymous_visitors_go_to_login(client, db):
    for url in (PAGE, MEMBERS_PAGE):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_listed_person_who_left_the_program_is_refused(login, listed, mine):
    Membership.objects.filter(user=listed).update(is_active=False)
    forget_reach(listed)
    with pytest.raises(PermissionDenied):
        from recovery.emergency import ensure_may_use_emergency_access

        ensure_may_use_emergency_access(listed, mine.program_id)


def test_never_crosses_programs(login, listed, other_program, outsider, mine, rf):
    foreign_peer = make_staff(other_program, Membership.Role.PEER, full_name="Fern Foreign")
    foreign = ClientFactory(program=other_program, primary_peer=foreign_peer, full_name="Flo Foreign",
                            birth_date=BIRTH)
    response = search(login(listed), full_name="Flo Foreign")
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [NO_MATCH]
    # Nor through the service, nor by writing the row directly.
    request = rf.post(PAGE)
    request.user = listed
    with pytest.raises(PermissionDenied):
        emergency_access_grant(request=request, client=foreign, reason=REASON)
    now = timezone.now()
    with pytest.raises(DatabaseError), transaction.atomic():
        EmergencyAccessGrant.objects.create(program=listed.memberships.get().program, user=listed, client=foreign,
                                            reason=REASON, granted_at=now, expires_at=now + GRANT_DURATION)
    assert not Client.objects.visible_to(listed).filter(pk=foreign.pk).exists()


def test_an_outsider_on_their_own_programs_list_cannot_reach_this_program(login, other_program, outsider, mine):
    foreign_peer = make_staff(other_program, Membership.Role.PEER, full_name="Fern Foreign")
    EmergencyAccessMember.objects.create(program=other_program, user=foreign_peer, added_by=outsider)
    response = search(login(foreign_peer))
    assert response.context["form"].errors["full_name"] == [NO_MATCH]
    assert not EmergencyAccessGrant.objects.exists()


def test_the_database_refuses_what_the_service_refuses(listed, peer, mine, program):
    now = timezone.now()
    fields = {"program": program, "client": mine, "granted_at": now}
    cases = [
        {"user": peer, "reason": REASON, "expires_at": now + GRANT_DURATION},  # not on the list
        {"user": listed, "reason": "short", "expires_at": now + GRANT_DURATION},  # no real reason
        {"user": listed, "reason": REASON, "expires_at": now + timedelta(days=2)},  # far too long
        {"user": listed, "reason": REASON, "expires_at": now},  # ends as it starts
    ]
    for values in cases:
        with pytest.raises(DatabaseError), transaction.atomic():
            EmergencyAccessGrant.objects.create(**fields, **values)
    assert not EmergencyAccessGrant.objects.exists()


def test_grants_are_never_changed_or_deleted(listed, mine, rf):
    request = rf.post(PAGE)
    request.user = listed
    grant = emergency_access_grant(request=request, client=mine, reason=REASON)
    with pytest.raises(DatabaseError), transaction.atomic():
        EmergencyAccessGrant.objects.filter(pk=grant.pk).update(expires_at=grant.expires_at + timedelta(days=1))
    with pytest.raises(DatabaseError), transaction.atomic():
        EmergencyAccessGrant.objects.filter(pk=grant.pk).delete()
    assert EmergencyAccessGrant.objects.get().expires_at == grant.expires_at


def test_searches_that_find_nobody_are_logged_too(login, listed, mine):
    search(login(listed), full_name="Nobody Known")
    logged = AccessLog.objects.get()
    assert (logged.action, logged.object_type, logged.reason, logged.client_uuid) == (
        AccessLog.Action.SEARCH, "clients.emergency", REASON, None)
    assert "Nobody" not in logged.path  # names travel by POST only


# --- Scoping: one place, cached, fixed query counts -------------------------------------------------

def test_visibility_comes_from_participant_q_for_every_participant_model(listed, mine, rf):
    plan = RecoveryPlanFactory(client=mine)
    from clients.models import RecoveryPlan

    assert not RecoveryPlan.objects.visible_to(listed).exists()
    request = rf.post(PAGE)
    request.user = listed
    emergency_access_grant(request=request, client=mine, reason=REASON)
    assert list(RecoveryPlan.objects.visible_to(listed)) == [plan]
    assert not Client.objects.filter(participant_q(listed, emergency=False)).filter(pk=mine.pk).exists()


def test_the_caseload_page_runs_the_same_queries_with_and_without_grants(
    frozen_time, login, listed, mine, program, peer, django_assert_num_queries, django_assert_max_num_queries, rf
):
    bulk_clients(program, peer, 30, prefix="Grant")
    bulk_clients(program, listed, 3, prefix="Own")
    client = login(listed)
    url = reverse("clients:caseload")
    client.get(url)  # the session's first write happens here, outside the counts
    with django_assert_max_num_queries(50) as without:
        assert client.get(url).status_code == 200

    request = rf.post(PAGE)
    request.user = listed
    for other in Client.objects.filter(program=program).exclude(primary_peer=listed)[:22]:
        emergency_access_grant(request=request, client=other, reason=REASON)
    with django_assert_num_queries(len(without.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25  # their 3 and the 22 opened by emergency access
    membership_queries = [q for q in many.captured_queries if "emergency_clients" in q["sql"]]
    assert len(membership_queries) == 1  # reach() ran once for the whole page


def test_the_emergency_page_runs_a_fixed_number_of_queries(frozen_time, login, listed, mine, program, peer,
                                                           django_assert_max_num_queries):
    client = login(listed)
    client.get(PAGE)
    with django_assert_max_num_queries(30) as few:
        search(client, full_name="Nobody Known")
    bulk_clients(program, peer, 200, prefix="Many")
    for n in range(5):
        ClientFactory(program=program, primary_peer=peer, full_name="Nobody Known", birth_date=BIRTH + timedelta(n + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        search(client, full_name="Nobody Known")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(PAGE).status_code == 200


def test_opening_a_record_costs_the_same_queries_with_one_admin_or_many(
    frozen_time, login, listed, mine, program, peer, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    second = ClientFactory(program=program, primary_peer=peer, full_name="Sam Second", birth_date=BIRTH)
    client = login(listed)
    client.get(PAGE)
    with django_capture_on_commit_callbacks(), django_assert_max_num_queries(40) as one_admin:
        assert search(client).status_code == 302
    for n in range(12):
        make_staff(program, Membership.Role.ADMIN, email=f"admin{n}@example.org")
    with django_capture_on_commit_callbacks(), django_assert_max_num_queries(len(one_admin.captured_queries)):
        assert search(client, full_name="Sam Second").url == detail(second)
    assert Notification.objects.filter(kind="emergency_access").count() == 1 + 13


# --- The admins' page: who may use it --------------------------------------------------------------

def test_an_admin_names_who_may_use_emergency_access(login, admin, program, peer, other_peer, supervisor):
    client = login(admin)
    assert f'href="{MEMBERS_PAGE}"' in client.get("/").content.decode()  # in the admin's menu
    page = client.get(MEMBERS_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert peer.full_name in html and supervisor.full_name in html
    assert set(page.context["form"].fields["members"].queryset) == {peer, other_peer, supervisor}  # no admins

    response = client.post(MEMBERS_PAGE, {"members": [str(peer.uuid), str(supervisor.uuid)]})
    assert response.status_code == 302
    assert set(EmergencyAccessMember.objects.values_list("user", flat=True)) == {peer.pk, supervisor.pk}
    client.post(MEMBERS_PAGE, {"members": [str(supervisor.uuid)]})
    client.post(MEMBERS_PAGE, {"members": [str(supervisor.uuid)]})  # the same form again changes nothing
    assert list(EmergencyAccessMember.objects.values_list("user", flat=True)) == [supervisor.pk]
    row = EmergencyAccessMember.objects.get()
    assert row.added_by == admin
    # Who was added and taken off, and by whom, stays in the change history.
    events = EmergencyAccessMember.pgh_event_model.objects.order_by("pgh_id")
    assert sorted((e.pgh_label, e.user_id) for e in events) == sorted([
        ("insert", peer.pk), ("insert", supervisor.pk), ("delete", peer.pk)])
    assert events.last().pgh_label == "delete"


def test_an_admin_cannot_list_someone_of_another_program(login, admin, outsider, program):
    response = login(admin).post(MEMBERS_PAGE, {"members": [str(outsider.uuid)]})
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not EmergencyAccessMember.objects.exists()


@pytest.mark.parametrize("persona", ["peer", "supervisor"])
def test_only_admins_edit_the_list(request, login, persona, program, peer):
    client = login(request.getfixturevalue(persona))
    assert client.get(MEMBERS_PAGE).status_code == 403
    assert client.post(MEMBERS_PAGE, {"members": [str(peer.uuid)]}).status_code == 403
    assert not EmergencyAccessMember.objects.exists()


def test_an_outsider_edits_only_their_own_programs_list(login, outsider, other_program, peer):
    client = login(outsider)
    assert peer.full_name not in client.get(MEMBERS_PAGE).content.decode()
    client.post(MEMBERS_PAGE, {"members": [str(peer.uuid)]})
    assert not EmergencyAccessMember.objects.exists()


def test_the_admins_page_shows_the_latest_uses(login, admin, listed, mine, rf):
    request = rf.post(PAGE)
    request.user = listed
    emergency_access_grant(request=request, client=mine, reason=REASON)
    html = login(admin).get(MEMBERS_PAGE).content.decode()
    assert REASON in html and listed.full_name in html and detail(mine) in html
    assert "Mina" not in html  # a link to the record, not the name


def test_the_admins_page_runs_a_fixed_number_of_queries(frozen_time, login, admin, program, listed, mine, rf,
                                                       django_assert_max_num_queries):
    client = login(admin)
    client.get(MEMBERS_PAGE)
    with django_assert_max_num_queries(30) as few:
        client.get(MEMBERS_PAGE)
    request = rf.post(PAGE)
    for n in range(25):
        user = make_staff(program, Membership.Role.PEER, email=f"listed{n}@example.org")
        EmergencyAccessMember.objects.create(program=program, user=user, added_by=admin)
        request.user = user
        emergency_access_grant(request=request, client=mine, reason=REASON)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MEMBERS_PAGE)
    assert len(response.context["grants"]) == 20
