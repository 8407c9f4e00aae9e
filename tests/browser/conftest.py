"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Never ``playwright install`` (it downloads a browser): Chromium comes from apt (``make browser``).
"""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.twofactor import two_factor_required
from tests.conftest import signed_in
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django must allow ORM calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page; fail with the rule ids and nodes of any violation."""

    def _check(page, where: str = "") -> None:
        results = axe.run(page)
        report = results.generate_report()
        assert results.violations_count == 0, f"axe-core violations on {where or page.url}:\n{report}"

    return _check


@pytest.fixture
def assert_fits_phone():
    """At 360 px wide nothing may force sideways scrolling of the whole page."""

    def _check(page) -> None:
        page.set_viewport_size(PHONE)
        # Measured once the page has loaded (stylesheets, deferred scripts that size canvases) and the new
        # width has been laid out: on a loaded machine a heading can be visible before that.
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} is {overflow}px wider than a 360px screen"

    return _check


@pytest.fixture
def form_login(live_server):
    """``form_login(page, user)`` logs in through the real form and lands on My day.

    A user who must use two-factor authentication (or has a device) gets a device if needed and passes the
    code step with a fresh backup code (tests/browser/test_security_journeys.py types app codes itself).
    """

    def _login(page, user, password: str = PASSWORD, *, lands_on: str = "/"):
        code = backup_code_for(user) if two_factor_required(user) or user_has_device(user) else None
        user.__dict__.pop("active_memberships", None)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: not url.startswith(f"{live_server.url}/accounts/login/"))
        if code and "/accounts/two-factor/verify/" in page.url:
            page.get_by_label("Authentication code").fill(code)
            page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"{live_server.url}{lands_on}")
        return page

    return _login


@pytest.fixture
def browser_login(live_server):
    """``browser_login(page, user)`` signs ``user`` in and opens My day, for a test about what comes after.

    The session is made as the ``login`` fixture makes it for the test client (Django's ``login``, with its
    signals; a session verified by a device for those who need two factors) and its cookie handed to the
    browser: one page load instead of three or four. Signing in through the form and the code step is what
    ``form_login`` does (tests/browser/test_login_journey.py, test_security_journeys.py,
    test_error_summary_journey.py)."""

    def _login(page, user, password: str = PASSWORD, *, lands_on: str = "/"):
        client = signed_in(Client(), user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        page.goto(f"{live_server.url}{lands_on}")
        page.wait_for_url(f"{live_server.url}{lands_on}")
        return page

    return _login


def backup_code_for(user) -> str:
    """Make sure ``user`` has an authenticator device, and return a new single-use backup code."""
    TOTPDevice.objects.get_or_create(user=user, name="Test authenticator", defaults={"confirmed": True})
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Test backup codes", defaults={"confirmed": True})
    return device.token_set.create(token=StaticToken.random_token()).token


def open_navigation(page) -> None:
    """Tap the phone menu button and wait until the menu has finished opening.

    Bootstrap animates the menu open (class ``collapsing``, overflow hidden); a tap on an item inside it during
    those few hundred milliseconds can land on the wrong element, so tests wait for the settled ``show`` state.
    """
    page.get_by_role("button", name="Show navigation").click()
    page.locator("#main-nav.show").wait_for(state="visible")


def session_length(page, minutes: str, *, start: str = "09:00") -> None:
    """Give a session's start and minutes (the form works out the end). Minutes alone would count back from
    the form's default end, the time now: in the first hour after midnight (the program's time zone) that
    crosses midnight and the form refuses the note, so a test must not depend on the time of day."""
    page.locator("[name=start_time]").fill(start)
    page.locator("[name=end_time]").fill("")
    page.locator("[name=duration_minutes]").fill(minutes)
