"""Issue 15, point 9: My day for every role, on a 360 px wide screen and axe-clean: a peer sees the coming
week, a supervisor their team (crisis flags, people not seen, notes to review), an admin the program
(expiring credentials, CE short, participants needing assignment, emails not delivered); each list links
to its full list."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Client
from clients.services.notes import note_sign
from recovery.models import Notification
from tests.browser.test_notes_journey import PHONE, check
from tests.factories import (
    ClientFactory,
    CredentialFactory,
    FollowUpFactory,
    NotificationFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
    membership_of,
)


def test_my_day_shows_each_role_what_is_theirs(page, live_server, program, peer, supervisor, admin, browser_login,
                                               assert_accessible, assert_fits_phone):
    program.note_review_policy = "all"
    program.save()
    today = program.today()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    FollowUpFactory(client=robin, purpose="Call about the lease", due_on=today + datetime.timedelta(days=3))
    RecoveryPlanFactory(client=robin, started_on=today - datetime.timedelta(days=80),
                        review_on=today + datetime.timedelta(days=2))
    quiet = ClientFactory(program=program, primary_peer=peer, full_name="Quinn Quiet")
    Client.objects.filter(pk=quiet.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    note_sign(note=SessionNoteFactory(client=robin, crisis_flag=True, crisis_description="Relapse; safe now."),
              by=peer)
    CredentialFactory(membership=membership_of(peer), today=today, expires_in=20)
    ClientFactory(program=program, primary_peer=None, full_name="Nadia Nobody")
    NotificationFactory(recipient=peer, program=program, email_status=Notification.Email.FAILED, email_attempts=2,
                        email_error="Mailbox unavailable")
    page.set_viewport_size(PHONE)

    expected = [
        (peer, "Coming this week", {"#my-day-upcoming": "Call about the lease", "#my-day-reviews": "Robin Record"}),
        (supervisor, "Your team's participants", {
            "#oversight-crises": "Relapse; safe now.", "#oversight-unseen": "Quinn Quiet",
            "#oversight-reviews": "Robin Record"}),
        (admin, "Across the program", {"#oversight-expiring": "Pat Peer", "#oversight-unassigned": "Nadia Nobody",
                                       "#oversight-failed": "Mailbox unavailable"}),
    ]
    for user, heading, lists in expected:
        page.context.clear_cookies()
        browser_login(page, user)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        for where, text in lists.items():
            expect(page.locator(where)).to_contain_text(text)
        check(page, f"My day of {user.full_name}", assert_accessible, assert_fits_phone)
    page.get_by_role("link", name="All participants needing assignment").click()
    expect(page.get_by_text("Nadia Nobody").first).to_be_visible()
