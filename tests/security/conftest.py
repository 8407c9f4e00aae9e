"""Helpers for the security tests: the real login form (not ``force_login``), which runs the login signals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def password_login(client):
    """``password_login(user)`` posts the login form; the session then owes the second factor, if any."""

    def _login(user, password: str = PASSWORD, next_url: str = ""):
        data = {"username": user.email, "password": password}
        if next_url:
            data["next"] = next_url
        response = client.post(reverse("login"), data)
        assert response.status_code == 302, "the password step failed"
        return response

    return _login
