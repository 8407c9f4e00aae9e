"""The Staff section's people pages: a program admin invites (with a role and, for a peer, a supervisor),
resends and revokes; changes a role or supervisor (kept in the change history, the person told); marks
someone former staff (their sessions end at once) and brings them back. Every role on every page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pghistory.models import Context

from clients.models import Client
from peers.services import CARRIES_AS_ADMIN, OWN_ROLE, STILL_SUPERVISES
from recovery.invitations import invitation_accept, invitation_create, invitation_path, token_hash
from recovery.models import Invitation, Membership, Notification, User
from recovery.once import TOKEN_FIELD
from recovery.sessions import DEACTIVATED_MESSAGE
from tests.factories import make_staff, membership_of

PERSONAS = ["peer", "other_peer", "supervisor", "other_supervisor", "admin", "outsider"]


def invite_data(**overrides):
    return {"full_name": "Nia Newcomer", "email": "nia@example.org", "language": "en", "role": "peer", "supervisor": "",
            TOKEN_FIELD: "6f1f1a52-8f43-4a2e-9d51-6a1f3a0b0c01", **overrides}


def waiting(program, admin, email="nia@example.org"):
    return invitation_create(program=program, email=email, full_name="Nia Newcomer", role="peer", by=admin,
                             send_email=False)


# --- Inviting -----------------------------------------------------------------------------------------


def test_an_admin_invites_a_peer_with_a_supervisor_and_the_email_goes_out(login, program, admin, supervisor,
                                                                         django_capture_on_commit_callbacks):
    client = login(admin)
    assert client.get(reverse("peers:invite")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("peers:invite"), invite_data(supervisor=str(supervisor.uuid)))
    assert response.status_code == 302 and response.url == reverse("peers:team")
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.supervisor, invitation.invited_by) == ("peer", supervisor, admin)
    assert mail.outbox[-1].to == ["nia@example.org"] and "/accounts/invitation/" in mail.outbox[-1].body


def test_the_invitation_goes_out_resent_and_starts_the_account_in_the_language_the_admin_chose(
        login, client, program, admin, supervisor, django_capture_on_commit_callbacks):
    http = login(admin)
    assert http.get(reverse("peers:invite")).context["form"]["language"].value() == "en"  # the admin's, at first
    with django_capture_on_commit_callbacks(execute=True):
        http.post(reverse("peers:invite"), invite_data(supervisor=str(supervisor.uuid), language="es"))
    invitation = Invitation.objects.get()
    first = mail.outbox[-1]
    assert invitation.language == "es"
    assert "You are invited" not in first.subject
    with translation.override("es"):
        assert gettext("You are invited to %(program)s") % {"program": program.name} in first.subject
    with django_capture_on_commit_callbacks(execute=True):
        http.post(reverse("peers:invitation_resend", args=[invitation.uuid]))
    assert mail.outbox[-1].subject == first.subject  # the resend too, whatever the admin's language then
    token = mail.outbox[-1].body.split("/accounts/invitation/")[1].split("/")[0]
    http.logout()
    invitation_accept(invitation=Invitation.objects.get(token_hash=token_hash(token)), full_name="Nia Newcomer",
                      password="a long river of quiet stones")
    assert User.objects.get(email="nia@example.org").language == "es"


def test_a_double_submit_sends_one_invitation(login, program, admin, supervisor):
    client = login(admin)
    data = invite_data(supervisor=str(supervisor.uuid))
    first, second = client.post(reverse("peers:invite"), data), client.post(reverse("peers:invite"), data)
    assert first.url == second.url and Invitation.objects.count() == 1


def test_a_peer_needs_a_supervisor_and_errors_keep_what_was_typed(login, program, admin, supervisor):
    response = login(admin).post(reverse("peers:invite"), invite_data(email="nia@example.org"))
    form = response.context["form"]
    assert response.status_code == 200 and "supervisor" in form.errors
    assert form["full_name"].value() == "Nia Newcomer"
    assert not Invitation.objects.exists()


def test_inviting_someone_who_works_here_already_is_refused_at_the_email(login, program, admin, peer, supervisor):
    response = login(admin).post(reverse("peers:invite"), invite_data(email=peer.email, role="supervisor"))
    assert response.status_code == 200 and "email" in response.context["form"].errors


def test_a_supervisor_of_another_program_cannot_be_named(login, program, admin, supervisor, other_program):
    elsewhere = make_staff(other_program, Membership.Role.SUPERVISOR)
    response = login(admin).post(reverse("peers:invite"), invite_data(supervisor=str(elsewhere.uuid)))
    assert "supervisor" in response.context["form"].errors


def test_resend_makes_a_new_link_and_revoke_ends_it(login, program, admin, django_capture_on_commit_callbacks):
    sent = waiting(program, admin)
    client = login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peers:invitation_resend", args=[sent.invitation.uuid]))
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token_hash(sent.token)
    new_token = mail.outbox[-1].body.split("/accounts/invitation/")[1].split("/")[0]
    assert invitation.token_hash == token_hash(new_token)

    client.post(reverse("peers:invitation_revoke", args=[invitation.uuid]))
    assert Invitation.objects.get().revoked_at is not None
    client.logout()
    assert client.get(invitation_path(new_token)).status_code == 410


def test_another_programs_invitation_is_out_of_reach(login, program, admin, other_program, outsider):
    theirs = waiting(other_program, outsider)
    client = login(admin)
    assert client.post(reverse("peers:invitation_revoke", args=[theirs.invitation.uuid])).status_code == 404
    assert client.post(reverse("peers:invitation_resend", args=[theirs.invitation.uuid])).status_code == 404
    assert Invitation.objects.get().revoked_at is None


@pytest.mark.parametrize("who", PERSONAS)
def test_every_role_on_the_invitation_pages(request, login, program, admin, who):
    sent = waiting(program, admin)
    client = login(request.getfixturevalue(who))
    expected = {"admin": 200, "outsider": 200}.get(who, 403)  # the outsider: their own program's pages
    assert client.get(reverse("peers:team")).status_code == expected
    assert client.get(reverse("peers:invite")).status_code == expected
    revoke = client.post(reverse("peers:invitation_revoke", args=[sent.invitation.uuid])).status_code
    assert revoke == {"admin": 302, "outsider": 404}.get(who, 403)


def test_the_people_page_lists_staff_former_staff_and_waiting_invitations(login, program, admin, peer,
                                                                          other_peer):
    Membership.objects.filter(user=other_peer, program=program).update(is_active=False)
    waiting(program, admin)
    page = login(admin).get(reverse("peers:team"))
    assert peer in [m.user for m in page.context["current"]]
    assert [m.user for m in page.context["former"]] == [other_peer]
    assert [i.email for i in page.context["invitations"]] == ["nia@example.org"]


def test_the_people_page_costs_the_same_with_many_staff(login, program, admin, supervisor,
                                                        django_assert_max_num_queries, frozen_time):
    client = login(admin)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("peers:team"))
    for n in range(30):
        make_staff(program, Membership.Role.PEER, supervisor=supervisor)
        waiting(program, admin, email=f"n{n}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("peers:team"))


def test_the_invite_and_role_pages_cost_a_fixed_number_of_queries(login, program, admin, peer,
                                                                  django_assert_max_num_queries, frozen_time):
    client = login(admin)
    for _ in range(20):
        make_staff(program, Membership.Role.SUPERVISOR)
    with django_assert_max_num_queries(15):
        client.get(reverse("peers:invite"))
    with django_assert_max_num_queries(15):
        client.get(reverse("peers:role_edit", args=[peer.uuid]))


# --- Role and supervisor --------------------------------------------------------------------------------


def test_a_new_supervisor_is_kept_in_the_history_with_the_admin_and_both_are_told(login, program, admin, peer,
                                                                                   other_supervisor):
    membership = membership_of(peer, program)
    response = login(admin).post(reverse("peers:role_edit", args=[peer.uuid]),
                                 {"role": "peer", "supervisor": str(other_supervisor.uuid)})
    assert response.status_code == 302
    assert membership_of(peer, program).supervisor == other_supervisor
    event = membership.events.order_by("-pgh_id").first()
    assert event.pgh_label == "update" and event.supervisor_id == other_supervisor.pk
    assert Context.objects.get(pk=event.pgh_context_id).metadata["user"] == admin.pk
    told = Notification.objects.get(recipient=peer, kind="staff_role")
    assert other_supervisor.full_name in told.body and program.name in told.title
    assert Notification.objects.filter(recipient=other_supervisor, kind="staff_role").exists()


def test_a_peer_made_supervisor_loses_their_supervisor_and_is_told(login, program, admin, other_peer):
    login(admin).post(reverse("peers:role_edit", args=[other_peer.uuid]), {"role": "supervisor"})
    membership = membership_of(other_peer, program)
    assert membership.role == "supervisor" and membership.supervisor is None
    assert "from peer specialist to supervisor" in Notification.objects.get(recipient=other_peer).body


def test_saving_the_same_role_again_notifies_nobody(login, program, admin, peer, supervisor):
    login(admin).post(reverse("peers:role_edit", args=[peer.uuid]),
                      {"role": "peer", "supervisor": str(supervisor.uuid)})
    assert not Notification.objects.exists()


def test_a_supervisor_with_a_team_keeps_the_role_until_the_team_has_another(login, program, admin, supervisor,
                                                                            peer, other_peer):
    response = login(admin).post(reverse("peers:role_edit", args=[supervisor.uuid]), {"role": "peer"})
    assert response.context["form"].errors["role"] == [STILL_SUPERVISES.format(name=supervisor.full_name, count=2)]
    assert membership_of(supervisor, program).role == "supervisor"


def test_a_peer_with_participants_is_not_made_an_admin(login, program, admin, peer, mine):
    response = login(admin).post(reverse("peers:role_edit", args=[peer.uuid]), {"role": "admin"})
    assert response.context["form"].errors["role"] == [CARRIES_AS_ADMIN.format(name=peer.full_name)]


def test_an_admin_cannot_change_their_own_role(login, program, admin, peer):
    from peers.services import membership_change

    assert login(admin).get(reverse("peers:role_edit", args=[admin.uuid])).status_code == 403
    with pytest.raises(ValidationError) as refused:
        membership_change(membership=membership_of(admin, program), role="peer", supervisor=None, by=admin)
    assert refused.value.message_dict["role"] == [OWN_ROLE]


def test_the_profile_form_announces_a_new_supervisor_too(login, program, admin, peer, other_supervisor):
    login(admin).post(reverse("peers:profile_edit", args=[peer.uuid]),
                      {"supervisor": other_supervisor.pk, "is_active": "on", "lived_experience": ""})
    assert Notification.objects.filter(recipient=peer, kind="staff_role").exists()


@pytest.mark.parametrize("who", PERSONAS)
def test_every_role_on_the_role_page(request, login, program, peer, supervisor, admin, who):
    client = login(request.getfixturevalue(who))
    expected = {"peer": 403, "supervisor": 403, "admin": 200}.get(who, 404)
    assert client.get(reverse("peers:role_edit", args=[peer.uuid])).status_code == expected
    post = client.post(reverse("peers:role_edit", args=[peer.uuid]), {"role": "supervisor"}).status_code
    assert post == {"peer": 403, "supervisor": 403, "admin": 302}.get(who, 404)
    assert membership_of(peer, program).role == ("supervisor" if who == "admin" else "peer")


# --- Former staff and coming back ----------------------------------------------------------------------


def test_former_staff_are_signed_out_at_their_next_request(client, login, program, admin, other_peer):
    from django.test import Client as Browser

    theirs = Browser()
    theirs.force_login(other_peer)
    assert theirs.get(reverse("home")).status_code == 200
    login(admin).post(reverse("clients:staff_handover", args=[other_peer.uuid]), {"reason": "Left."})
    response = theirs.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert DEACTIVATED_MESSAGE in [str(m) for m in response.wsgi_request._messages]
    assert theirs.get(reverse("home")).url.startswith(reverse("login"))  # the session is gone, not paused


def test_former_staff_leave_no_participant_unseen(login, program, admin, peer, other_peer, mine):
    login(admin).post(reverse("clients:staff_handover", args=[peer.uuid]),
                      {"mode": "one", "peer": str(other_peer.uuid), "reason": "Left."})
    assert Client.objects.get(pk=mine.pk).primary_peer == other_peer


def test_reactivation_brings_former_staff_back_and_tells_them(login, program, admin, other_peer):
    Membership.objects.filter(user=other_peer, program=program).update(is_active=False)
    client = login(admin)
    page = client.get(reverse("peers:staff_detail", args=[other_peer.uuid])).content.decode()
    assert reverse("peers:reactivate", args=[other_peer.uuid]) in page
    response = client.post(reverse("peers:reactivate", args=[other_peer.uuid]))
    assert response.status_code == 302
    assert membership_of(other_peer, program).is_active
    assert Notification.objects.filter(recipient=other_peer, kind="staff_role").count() == 1
    client.post(reverse("peers:reactivate", args=[other_peer.uuid]))  # a second click: nothing more
    assert Notification.objects.filter(recipient=other_peer, kind="staff_role").count() == 1


def test_a_reactivated_peer_whose_supervisor_left_has_none(login, program, admin, other_peer, supervisor):
    Membership.objects.filter(program=program, user__in=[other_peer, supervisor]).update(is_active=False)
    login(admin).post(reverse("peers:reactivate", args=[other_peer.uuid]))
    assert membership_of(other_peer, program).supervisor is None


@pytest.mark.parametrize("who", PERSONAS)
def test_every_role_on_reactivation(request, login, program, admin, other_peer, peer, who):
    Membership.objects.filter(user=other_peer, program=program).update(is_active=False)
    client = login(request.getfixturevalue(who))
    status = client.post(reverse("peers:reactivate", args=[other_peer.uuid])).status_code
    # other_peer has no program now (403, "not part of a program"); a supervisor's reach ends with the job.
    assert status == {"admin": 302, "other_peer": 403}.get(who, 404)
    assert membership_of(other_peer, program).is_active is (who == "admin")


def test_invitation_links_never_carry_a_name(program, admin, mine):
    sent = waiting(program, admin)
    assert "nia" not in sent.link.lower() and "newcomer" not in sent.link.lower()
