"""A second factor protects every program its owner works in: only someone who administers all of them (or a
superuser) removes it, and every one of those programs' audits shows the reset."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.middleware import SESSION_KEY
from recovery.models import Membership, Notification, SecurityEvent
from recovery.twofactor import RESET_DJANGO_STAFF, RESET_OTHER_PROGRAM
from tests.factories import MembershipFactory, UserFactory, enrol_device, make_staff

REASON = "Lost phone; identity confirmed by a call to their desk number"
STAFF = reverse("twofactor:staff")
AUDIT = reverse("audit:report")


def reset_url(user) -> str:
    return reverse("twofactor:reset", args=[user.uuid])


@pytest.fixture
def pat(program, other_program):
    """Pat: program admin of the other program, and a peer in ``program`` (where ``admin`` is admin)."""
    pat = make_staff(other_program, Membership.Role.ADMIN, full_name="Pat Twoprograms", email="pat@example.org")
    MembershipFactory(user=pat, program=program, role=Membership.Role.PEER)
    enrol_device(pat)
    return pat


def works_in(client, program):
    session = client.session
    session[SESSION_KEY] = program.pk
    session.save()
    return client


def security_events_in_audit(client, program) -> list[SecurityEvent]:
    response = works_in(client, program).get(AUDIT, {"tab": "security"})
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_an_admin_cannot_reset_someone_who_also_works_in_a_program_they_do_not_administer(login, admin, pat):
    response = login(admin).post(reset_url(pat), {"reason": REASON})

    assert response.status_code == 403
    assert RESET_OTHER_PROGRAM.format(name=pat.full_name) in response.content.decode()
    assert "ask a superuser" in response.content.decode()
    assert TOTPDevice.objects.filter(user=pat).exists() and StaticDevice.objects.filter(user=pat).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).exists()
    assert not Notification.objects.filter(recipient=pat).exists()


def test_a_refused_reset_is_refused_even_without_a_reason(login, admin, pat):
    response = login(admin).post(reset_url(pat), {"reason": ""})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=pat).exists()


def test_being_a_supervisor_in_the_other_program_is_not_enough(login, admin, pat, program, other_program):
    MembershipFactory(user=admin, program=other_program, role=Membership.Role.SUPERVISOR)
    assert works_in(login(admin), program).post(reset_url(pat), {"reason": REASON}).status_code == 403
    assert TOTPDevice.objects.filter(user=pat).exists()


def test_the_staff_page_disables_the_reset_and_says_why(login, admin, pat, supervisor):
    enrol_device(supervisor)
    response = login(admin).get(STAFF)
    rows = {row["membership"].user: row for row in response.context["rows"]}
    assert rows[pat]["refusal"] == RESET_OTHER_PROGRAM.format(name=pat.full_name)
    assert rows[supervisor]["refusal"] is None
    html = response.content.decode()
    assert f'href="?reset={pat.uuid}"' not in html
    assert f'href="?reset={supervisor.uuid}"' in html
    assert "disabled" in html and RESET_OTHER_PROGRAM.format(name=pat.full_name) in html


def test_the_reset_panel_shows_the_refusal_instead_of_the_form(login, admin, pat):
    response = login(admin).get(STAFF, {"reset": str(pat.uuid)})
    assert response.context["reset_refusal"] == RESET_OTHER_PROGRAM.format(name=pat.full_name)
    assert f'action="{reset_url(pat)}"' not in response.content.decode()


def test_an_admin_of_both_programs_resets_and_both_audits_show_it(login, admin, pat, program, other_program,
                                                                   outsider):
    MembershipFactory(user=admin, program=other_program, role=Membership.Role.ADMIN)
    client = login(admin)
    response = works_in(client, program).post(reset_url(pat), {"reason": REASON})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=pat).exists()
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET, user=pat)
    assert [e.program for e in events] == [program]  # recorded once, where the admin works now
    assert {(e.actor, e.reason) for e in events} == {(admin, REASON)}
    assert Notification.objects.filter(recipient=pat).count() == 1
    for audited in (program, other_program):
        shown = security_events_in_audit(client, audited)
        assert [(e.kind, e.user, e.actor) for e in shown] == [(SecurityEvent.Kind.TWO_FACTOR_RESET, pat, admin)]
    # The other program's own admin (outsider administers it) sees the reset in their audit too.
    shown = security_events_in_audit(login(outsider), other_program)
    assert [(e.user, e.actor, e.reason) for e in shown] == [(pat, admin, REASON)]


def test_after_switching_program_the_admin_of_both_still_resets_and_both_audits_show_it(
        login, admin, pat, program, other_program):
    MembershipFactory(user=admin, program=other_program, role=Membership.Role.ADMIN)
    client = works_in(login(admin), other_program)
    assert client.get(STAFF, {"reset": str(pat.uuid)}).context["reset_refusal"] is None

    assert client.post(reset_url(pat), {"reason": REASON}).status_code == 302
    assert list(SecurityEvent.objects.filter(user=pat).values_list("program", flat=True)) == [other_program.pk]
    assert Notification.objects.get(recipient=pat).program == other_program
    for audited in (program, other_program):
        shown = security_events_in_audit(client, audited)
        assert [(e.kind, e.user, e.actor) for e in shown] == [(SecurityEvent.Kind.TWO_FACTOR_RESET, pat, admin)]


def test_switching_to_a_program_one_only_supervises_gives_no_reset_at_all(login, admin, pat, other_program):
    MembershipFactory(user=admin, program=other_program, role=Membership.Role.SUPERVISOR)
    client = works_in(login(admin), other_program)
    assert client.post(reset_url(pat), {"reason": REASON}).status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=pat).exists()


def test_a_same_program_reset_is_logged_in_that_program_only(login, admin, supervisor, program, outsider):
    enrol_device(supervisor)
    assert login(admin).post(reset_url(supervisor), {"reason": REASON}).status_code == 302
    assert list(SecurityEvent.objects.filter(user=supervisor).values_list("program", flat=True)) == [program.pk]
    assert security_events_in_audit(login(outsider), outsider.memberships.get().program) == []


def test_a_former_membership_elsewhere_does_not_block_the_reset(login, admin, pat, other_program):
    Membership.objects.filter(user=pat, program=other_program).update(is_active=False)
    assert login(admin).post(reset_url(pat), {"reason": REASON}).status_code == 302
    assert not TOTPDevice.objects.filter(user=pat).exists()


def test_a_superuser_resets_anyone_and_every_program_of_the_person_sees_it(login, program, other_program, pat):
    root = UserFactory(is_superuser=True, is_staff=True, full_name="Rhea Root")
    MembershipFactory(user=root, program=program, role=Membership.Role.ADMIN)
    assert login(root).post(reset_url(pat), {"reason": REASON}).status_code == 302
    assert not TOTPDevice.objects.filter(user=pat).exists()
    assert SecurityEvent.objects.filter(user=pat, kind=SecurityEvent.Kind.TWO_FACTOR_RESET).count() == 1
    assert [(e.user, e.actor) for e in security_events_in_audit(login(root), program)] == [(pat, root)]


def test_only_a_superuser_resets_someone_with_django_admin_access(login, admin, program):
    staff = make_staff(program, Membership.Role.PEER, full_name="Dana Djangostaff", is_staff=True)
    enrol_device(staff)
    response = login(admin).post(reset_url(staff), {"reason": REASON})
    assert response.status_code == 403
    assert RESET_DJANGO_STAFF.format(name=staff.full_name) in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_the_service_itself_refuses(rf, admin, pat):
    from django.core.exceptions import PermissionDenied

    from recovery.twofactor import two_factor_reset

    request = rf.post("/")
    request.user, request.membership = admin, admin.active_memberships[0]
    with pytest.raises(PermissionDenied):
        two_factor_reset(request=request, user=pat, reason=REASON)
    assert TOTPDevice.objects.filter(user=pat).exists()


def test_the_staff_page_query_budget_holds_with_people_of_many_programs(frozen_time, login, admin, program,
                                                                       other_program,
                                                                       django_assert_max_num_queries):
    client = login(admin)
    with django_assert_max_num_queries(12) as few:
        client.get(STAFF)
    for n in range(20):
        user = make_staff(program, Membership.Role.PEER, email=f"many{n}@example.org")
        if n % 2:
            MembershipFactory(user=user, program=other_program, role=Membership.Role.PEER)
        enrol_device(user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(STAFF)
    assert sum(1 for row in response.context["rows"] if row["refusal"]) == 10
