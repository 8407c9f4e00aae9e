"""The notification centre in a real browser: unread count, opening one, preferences; axe-core clean."""

from playwright.sync_api import expect

from recovery.models import Notification
from tests.factories import NotificationFactory


def test_peer_reads_a_notification_and_sets_email_preferences(page, live_server, peer, browser_login,
                                                               assert_accessible, assert_fits_phone):
    NotificationFactory(recipient=peer, title="A follow-up you promised is due today", url="/notifications/")
    NotificationFactory(recipient=peer, title="A recovery plan review is due in 14 days", url="/")
    browser_login(page, peer)
    nav = page.get_by_role("navigation", name="Main")
    assert "2 unread" in nav.get_by_role("link", name="Notifications").inner_text().replace("\n", " ")
    nav.get_by_role("link", name="Notifications").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.get_by_role("heading", level=1).inner_text() == "Notifications"
    assert_accessible(page, "notifications")
    assert_fits_phone(page)
    page.get_by_role("listitem").filter(has_text="plan review").get_by_role("button", name="Open").click()
    page.wait_for_url(f"{live_server.url}/")
    assert Notification.objects.filter(recipient=peer, read_at__isnull=True).count() == 1

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="Email preferences").click()
    assert_accessible(page, "email preferences")
    page.get_by_label("Recovery plan reviews due").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Recovery plan reviews due")).not_to_be_checked()


def test_admin_sees_delivery_problems_page(page, live_server, admin, program, browser_login, assert_accessible):
    Notification.objects.create(recipient=admin, program=program, kind="followup_due", title="Keeps failing",
                                email_status="failed", email_attempts=6, email_error="SMTPServerDisconnected")
    browser_login(page, admin)
    page.goto(f"{live_server.url}/notifications/delivery-problems/")
    expect(page.get_by_text("SMTPServerDisconnected")).to_be_visible()
    assert_accessible(page, "delivery problems")
