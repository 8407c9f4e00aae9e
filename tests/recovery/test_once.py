"""recovery/once.py (and recovery.http.create_page on it) and membership_for: the one way to de-duplicate create
forms and to check the program."""

from __future__ import annotations

import uuid
from importlib import import_module

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import RequestFactory

from recovery.http import create_page
from recovery.middleware import NoProgram, membership_for
from recovery.models import FormSubmission, Membership, Program
from recovery.once import OnceMixin, create_once, earlier_submission


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


class _NameForm(OnceMixin, forms.Form):
    name = forms.CharField()


def _form_request(user, token, **data):
    request = _request(user, {"form_token": str(token), **data})
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def test_a_create_page_answers_a_repeat_before_it_builds_the_form(peer):
    token = uuid.uuid4()
    FormSubmission.objects.create(token=token, user=peer, redirect_to="/done/")
    built = []
    response = create_page(_form_request(peer, token, name="Again"), lambda: built.append("form"),
                           "includes/form_fields.html", create=lambda form: "/again/")
    assert response.url == "/done/"
    assert built == []


def test_a_create_page_shows_a_refusal_at_its_field_and_keeps_nothing(peer):
    token = uuid.uuid4()
    request = _form_request(peer, token, name="Taken")

    def create(form):
        Program.objects.create(name="Made before the refusal")
        raise ValidationError({"name": "That name is taken."})

    response = create_page(request, lambda: _NameForm(request.POST), "includes/form_fields.html", create=create)
    assert response.status_code == 200
    assert "That name is taken." in response.content.decode()
    assert not Program.objects.filter(name="Made before the refusal").exists()
    assert not FormSubmission.objects.filter(token=token).exists()


def test_a_create_page_names_the_conflict_when_the_database_refuses_a_duplicate(peer):
    token = uuid.uuid4()
    request = _form_request(peer, token, name="Twice")

    def create(form):
        raise IntegrityError("duplicate key value violates unique constraint")

    response = create_page(request, lambda: _NameForm(request.POST), "includes/form_fields.html", create=create,
                           conflict={"name": "Someone added it a moment ago."})
    assert "Someone added it a moment ago." in response.content.decode()
    with pytest.raises(IntegrityError):
        create_page(request, lambda: _NameForm(request.POST), "includes/form_fields.html", create=create)
