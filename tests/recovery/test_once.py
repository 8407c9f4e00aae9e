"""recovery/once.py and membership_for: the one way to de-duplicate create forms and to check the program."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from recovery.middleware import NoProgram, membership_for
from recovery.models import FormSubmission, Membership, Program
from recovery.once import create_once, earlier_submission


def _request(user, data=None):
    request = RequestFactory().post("/anything/", data or {})
    request.user = user
    return request


def test_a_token_creates_once_and_a_repeat_goes_where_the_first_went(peer):
    token = uuid.uuid4()
    made = []

    def create():
        made.append(Program.objects.create(name=f"Made {len(made)}"))
        return f"/made/{len(made)}/"

    first = create_once(_request(peer), token, create)
    second = create_once(_request(peer), token, create)
    assert first.url == second.url == "/made/1/"
    assert Program.objects.filter(name__startswith="Made").count() == 1


def test_two_simultaneous_submits_create_once(peer):
    """The second submit got past the early check before the first committed: the token's key stops it and
    rolls back what it created."""
    token = uuid.uuid4()
    FormSubmission.objects.create(token=token, user=peer, redirect_to="/made/first/")

    def create():
        Program.objects.create(name="Made twice")
        return "/made/second/"

    assert create_once(_request(peer), token, create).url == "/made/first/"
    assert not Program.objects.filter(name="Made twice").exists()


def test_a_repeat_is_answered_before_the_form_is_validated(peer):
    token = uuid.uuid4()
    assert earlier_submission(_request(peer, {"form_token": str(token)})) is None
    FormSubmission.objects.create(token=token, user=peer, redirect_to="/done/")
    assert earlier_submission(_request(peer, {"form_token": str(token)})).url == "/done/"


def test_another_users_token_is_no_repeat(peer, other_peer):
    token = uuid.uuid4()
    FormSubmission.objects.create(token=token, user=other_peer, redirect_to="/theirs/")
    assert earlier_submission(_request(peer, {"form_token": str(token)})) is None
    assert earlier_submission(_request(peer, {"form_token": "not-a-uuid"})) is None


def test_membership_for_answers_the_current_membership_with_the_named_roles(peer):
    request = _request(peer)
    request.membership = peer.active_memberships[0]
    assert membership_for(request) == request.membership
    assert membership_for(request, Membership.Role.PEER, Membership.Role.SUPERVISOR) == request.membership
    with pytest.raises(PermissionDenied) as refused:
        membership_for(request, Membership.Role.ADMIN)
    assert not isinstance(refused.value, NoProgram)


def test_without_a_program_every_view_shows_the_no_program_page(client, peer):
    Membership.objects.filter(user=peer).update(is_active=False)
    client.force_login(peer)
    response = client.get("/")
    assert response.status_code == 403
    assert "not part of a program" in response.text
