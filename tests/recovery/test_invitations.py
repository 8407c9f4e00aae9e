"""Invitations: a one-time link that expires (the program's rule), stops working when revoked or resent, lets
a new person set a password and sends a role that needs it to two-factor enrolment; someone with an account
joins a second program with it. ``createprogram`` and the superusers' Programs page start a program."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from clients.models import Dimension, ServiceCode
from peers.models import CredentialType
from recovery.invitations import (
    ALREADY_INVITED,
    ALREADY_MEMBER,
    invitation_accept,
    invitation_create,
    invitation_path,
    invitation_resend,
    invitation_revoke,
    program_create,
    token_hash,
)
from recovery.models import Invitation, Membership, Program, User
from supervision.models import Topic
from tests.factories import PASSWORD, make_staff, membership_of

NEW_PASSWORD = "a long river of quiet stones"


def invite(program, by, *, email="new.peer@example.org", role=Membership.Role.PEER, supervisor=None):
    return invitation_create(program=program, email=email, full_name="Nia Newcomer", role=role,
                             supervisor=supervisor, by=by, send_email=False)


def accept_form(client, token, **data):
    return client.post(invitation_path(token), {"full_name": "Nia Newcomer", "password1": NEW_PASSWORD,
                                                "password2": NEW_PASSWORD, **data})


# --- The link --------------------------------------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(program, admin):
    sent = invite(program, admin)
    row = Invitation.objects.get()
    assert row.token_hash == token_hash(sent.token) and sent.token not in row.token_hash
    assert sent.link.endswith(invitation_path(sent.token))


def test_a_new_person_sets_a_password_and_joins_with_the_invited_role_and_supervisor(client, program, admin,
                                                                                      supervisor):
    sent = invite(program, admin, supervisor=supervisor)
    page = client.get(invitation_path(sent.token))
    assert page.status_code == 200 and page.context["form"].initial["full_name"] == "Nia Newcomer"

    response = accept_form(client, sent.token)

    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(email="new.peer@example.org")
    assert user.check_password(NEW_PASSWORD)
    membership = membership_of(user, program)
    assert membership.role == Membership.Role.PEER and membership.supervisor == supervisor
    assert int(client.session[SESSION_KEY]) == user.pk  # signed in
    assert Invitation.objects.get().accepted_by == user


def test_a_weak_password_or_two_different_ones_keep_what_was_typed(client, program, admin):
    sent = invite(program, admin)
    response = accept_form(client, sent.token, full_name="Nia N.", password1="short", password2="short")
    assert response.status_code == 200 and "password1" in response.context["form"].errors
    assert response.context["form"]["full_name"].value() == "Nia N."
    response = accept_form(client, sent.token, password2=NEW_PASSWORD + "x")
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(email="new.peer@example.org").exists()


def test_a_supervisor_who_accepts_is_sent_to_two_factor_enrolment_first(client, program, admin):
    sent = invite(program, admin, email="new.sup@example.org", role=Membership.Role.SUPERVISOR)
    accept_form(client, sent.token)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:enrol"))


def test_the_link_works_once(client, program, admin):
    sent = invite(program, admin)
    accept_form(client, sent.token)
    client.logout()
    response = client.get(invitation_path(sent.token))
    assert response.status_code == 410
    assert "used already" in response.content.decode()
    with pytest.raises(ValidationError):
        invitation_accept(invitation=Invitation.objects.get(), full_name="X", password=NEW_PASSWORD)
    assert User.objects.filter(email="new.peer@example.org").count() == 1


def test_the_link_expires_after_the_programs_hours(client, program, admin):
    program.invitation_valid_hours = 24
    program.save()
    sent = invite(program, admin)
    assert sent.invitation.expires_at == sent.invitation.sent_at + timedelta(hours=24)
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert client.get(invitation_path(sent.token)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        response = accept_form(client, sent.token)
        assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email="new.peer@example.org").exists()


def test_a_revoked_link_stops_working_and_a_second_revoke_is_a_no_op(client, program, admin):
    sent = invite(program, admin)
    assert invitation_revoke(invitation=sent.invitation) is True
    assert invitation_revoke(invitation=sent.invitation) is False
    assert accept_form(client, sent.token).status_code == 410
    assert not User.objects.filter(email="new.peer@example.org").exists()


def test_a_resend_replaces_the_link_and_restarts_the_clock(client, program, admin):
    sent = invite(program, admin)
    with time_machine.travel(timezone.now() + timedelta(hours=70)):
        again = invitation_resend(invitation=sent.invitation, by=admin)
    assert again.token != sent.token
    assert client.get(invitation_path(sent.token)).status_code == 404  # the old link is no link at all
    with time_machine.travel(timezone.now() + timedelta(hours=100)):  # past the first expiry, not the second
        assert accept_form(client, again.token).status_code == 302


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(invitation_path("not-a-token")).status_code == 404


def test_a_member_or_a_waiting_invitation_is_not_invited_twice(program, admin, peer):
    with pytest.raises(ValidationError) as member:
        invite(program, admin, email=peer.email.upper())
    assert member.value.message_dict["email"] == [ALREADY_MEMBER.format(email=peer.email)]
    invite(program, admin)
    with pytest.raises(ValidationError) as waiting:
        invite(program, admin)
    assert waiting.value.message_dict["email"] == [ALREADY_INVITED.format(email="new.peer@example.org")]


def test_the_email_carries_the_link_and_no_participant(program, admin, mine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitation_create(program=program, email="new.peer@example.org", full_name="Nia Newcomer",
                                 role=Membership.Role.PEER, by=admin)
    message = mail.outbox[-1]
    assert message.to == ["new.peer@example.org"]
    assert sent.link in message.body and program.name in message.body
    for text in (message.body, message.alternatives[0][0]):
        assert mine.full_name not in text and "Mina" not in text


# --- Someone who already has an account ------------------------------------------------------------------


def test_an_existing_user_joins_a_second_program_with_their_own_password(client, login, program, other_program,
                                                                         outsider, peer):
    sent = invite(other_program, outsider, email=peer.email, role=Membership.Role.SUPERVISOR)
    page = client.get(invitation_path(sent.token))
    assert page.status_code == 200 and "login_url" in page.context
    assert accept_form(client, sent.token).status_code == 200  # no new account from the form
    assert User.objects.filter(email__iexact=peer.email).count() == 1

    signed_in = login(peer)
    assert signed_in.get(invitation_path(sent.token)).context["join"] is True
    response = signed_in.post(invitation_path(sent.token))

    assert response.status_code == 302
    assert membership_of(peer, other_program).role == Membership.Role.SUPERVISOR
    assert membership_of(peer, program).role == Membership.Role.PEER  # the first program is unchanged
    peer.refresh_from_db()
    assert peer.check_password(PASSWORD)
    assert signed_in.session["lantern_program"] == other_program.pk


def test_someone_signed_in_with_another_email_cannot_use_the_link(login, program, admin, peer):
    sent = invite(program, admin)
    response = login(peer).post(invitation_path(sent.token))
    assert response.status_code == 403
    assert Invitation.objects.get().accepted_at is None


def test_former_staff_invited_again_come_back_with_the_new_role(login, program, admin, other_peer):
    Membership.objects.filter(user=other_peer, program=program).update(is_active=False)
    sent = invite(program, admin, email=other_peer.email, role=Membership.Role.SUPERVISOR)
    login(other_peer).post(invitation_path(sent.token))
    membership = membership_of(other_peer, program)
    assert membership.is_active and membership.role == Membership.Role.SUPERVISOR and membership.supervisor is None


# --- Starting a program ----------------------------------------------------------------------------------


def test_createprogram_makes_the_program_with_its_defaults_and_prints_a_working_link(client, db):
    out = StringIO()
    call_command("createprogram", "Harbor Peer Support", "--admin-email", "Lead@Harbor.example", "--no-email",
                 stdout=out)
    program = Program.objects.get(name="Harbor Peer Support")
    assert program.invitation_valid_hours == 72 and program.signing_deadline_hours == 48  # default rules
    assert CredentialType.objects.for_program(program).exists()
    assert Dimension.objects.filter(program=program).count() == 12
    assert ServiceCode.objects.exists() and Topic.objects.exists()
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", out.getvalue()).group(0)
    token = link.rstrip("/").rsplit("/", 1)[1]

    accept_form(client, token)

    admin = User.objects.get(email="lead@harbor.example")
    assert membership_of(admin, program).role == Membership.Role.ADMIN
    assert client.get(reverse("home")).url.startswith(reverse("twofactor:enrol"))


def test_createprogram_refuses_a_name_in_use(program):
    with pytest.raises(CommandError, match="exists already"):
        call_command("createprogram", program.name.upper(), "--admin-email", "a@b.org", "--no-email",
                     stdout=StringIO())


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.org", password=PASSWORD, full_name="Rae Root")


def test_a_superuser_lists_programs_and_starts_one(login, superuser, program, other_program):
    client = login(superuser)
    page = client.get(reverse("program_list"))
    assert page.status_code == 200
    assert [p.name for p in page.context["programs"]] == sorted([program.name, other_program.name])

    response = client.post(reverse("program_list"), {
        "name": "Harbor Peer Support", "organization": "Harbor CSB", "time_zone": "America/Chicago",
        "admin_name": "Lee Lead", "admin_email": "lee@harbor.example",
    })

    assert response.status_code == 302
    created = Program.objects.get(name="Harbor Peer Support")
    assert created.time_zone == "America/Chicago"
    invitation = Invitation.objects.get(program=created)
    assert invitation.role == Membership.Role.ADMIN and invitation.invited_by == superuser


def test_a_rejected_program_form_keeps_what_was_typed(login, superuser, program):
    response = login(superuser).post(reverse("program_list"), {
        "name": program.name, "time_zone": "America/Chicago", "admin_name": "Lee", "admin_email": "not-an-email",
    })
    form = response.context["form"]
    assert response.status_code == 200 and set(form.errors) == {"name", "admin_email"}
    assert form["admin_name"].value() == "Lee"


@pytest.mark.parametrize("who", ["peer", "supervisor", "admin", "outsider"])
def test_no_program_role_opens_the_programs_page(request, login, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("program_list")).status_code == 403
    assert client.post(reverse("program_list"), {"name": "X"}).status_code == 403


def test_the_programs_page_costs_the_same_with_many_programs(login, superuser, django_assert_max_num_queries,
                                                             frozen_time):
    from tests.factories import ProgramFactory

    client = login(superuser)
    ProgramFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("program_list"))
    programs = ProgramFactory.create_batch(40)
    for p in programs[:10]:
        make_staff(p, Membership.Role.ADMIN)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("program_list"))


def test_the_invitation_page_costs_a_few_queries(client, program, admin, django_assert_max_num_queries):
    sent = invite(program, admin)
    with django_assert_max_num_queries(6):
        client.get(invitation_path(sent.token))


def test_a_created_program_is_a_program_like_any_other(db):
    sent = program_create(name="Valley Recovery", admin_email="v@valley.example", send_email=False)
    assert sent.invitation.program.is_active and sent.invitation.invited_by is None


def test_an_invitation_in_a_language_lantern_does_not_speak_is_refused(program, admin):
    with pytest.raises(ValidationError) as refused:
        invitation_create(program=program, email="new.peer@example.org", full_name="Nia Newcomer", role="admin",
                          by=admin, send_email=False, language="xx")
    assert "language" in refused.value.message_dict
    assert not Invitation.objects.exists()


def test_an_imported_account_starts_in_the_invitations_language(program, admin):
    imported = User.objects.create_user(email="new.peer@example.org", full_name="Nia Newcomer", is_active=False)
    imported.set_unusable_password()
    imported.save()
    sent = invitation_create(program=program, email=imported.email, full_name="Nia Newcomer", role="admin",
                             by=admin, send_email=False, language="es")
    invitation_accept(invitation=sent.invitation, full_name="Nia Newcomer", password=NEW_PASSWORD)
    imported.refresh_from_db()
    assert (imported.is_active, imported.language) == (True, "es")
