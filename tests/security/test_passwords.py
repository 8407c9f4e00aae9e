"""Password policy: at least 12 characters, no common passwords, no composition rules, Argon2 hashing."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

import recovery.settings as production
from tests.factories import PASSWORD


def errors_for(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_a_password_needs_twelve_characters():
    assert "password_too_short" in errors_for("river stone")  # 11
    assert errors_for("river stones") == []  # 12


def test_common_passwords_are_refused_whatever_their_length():
    assert "password_too_common" in errors_for("password1234")
    assert "password_too_common" in errors_for("QwertyQwerty")  # compared without case
    assert "password_too_common" in errors_for("123456123456")  # all digits: refused as common, not as digits


@pytest.mark.parametrize("password", ["all lower case words", "ALLUPPERCASEPASSPHRASE", "839201746152",
                                      "nodigitsorsymbolsatall"])
def test_there_are_no_composition_rules(password):
    assert errors_for(password) == []


def test_production_hashes_with_argon2_and_upgrades_older_hashes(client, peer):
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert identify_hasher(make_password("x")).algorithm == "argon2"
        peer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        peer.save()
        response = client.post(reverse("login"), {"username": peer.email, "password": PASSWORD})
        assert response.status_code == 302
        peer.refresh_from_db()
        assert peer.password.startswith("argon2")
        assert peer.check_password(PASSWORD)


def test_the_password_change_form_applies_the_policy(login, peer):
    client = login(peer)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "password1234",
                                                         "new_password2": "password1234"})
    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["new_password2"])
