"""Helpers for the security tests: the real login form (not ``force_login``), which runs the login signals."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

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


@pytest.fixture
def frozen_time():
    """For query budgets: a slow machine must not cross the session's once-a-minute activity write
    (three queries: SAVEPOINT, UPDATE django_session, RELEASE) between the "few rows" and the "many rows"
    request. Log in after this fixture, so the session's last activity is the frozen moment too.
    test_audit_report.test_a_minute_between_two_requests_adds_the_session_write_and_nothing_else shows it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller
