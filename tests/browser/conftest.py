"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Never ``playwright install`` (it downloads a browser): Chromium comes from apt (``make browser``).
"""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

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
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} is {overflow}px wider than a 360px screen"

    return _check


@pytest.fixture
def browser_login(live_server):
    """``browser_login(page, user)`` logs in through the real form and lands on My day."""

    def _login(page, user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login
