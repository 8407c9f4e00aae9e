"""Notifications: created once per key, emailed once by preference, retried through SMTP outages."""

import threading
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core.mail.backends import locmem, smtp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recovery.models import Notification, NotificationPreference
from recovery.notify import Draft, notification_send, notifications_send
from recovery.notify_email import backoff, claim_due_emails, emails_deliver_due
from recovery.tasks import deliver_due_emails
from tests.factories import UserFactory
from tests.smtp import smtp_mailers, smtp_server


def draft(user, key="credential:abc:30", kind="credential_expiry", **kw):
    return Draft(recipient_id=user.pk, kind=kind, title="A credential expires in 30 days", dedupe_key=key,
                 url="/staff/", **kw)


def test_same_key_twice_creates_one_notification(peer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        assert notifications_send([draft(peer)]) == 1
        assert notifications_send([draft(peer)]) == 0
    assert Notification.objects.filter(recipient=peer).count() == 1


def test_same_key_for_two_recipients_creates_two(peer, supervisor):
    assert notifications_send([draft(peer), draft(supervisor)]) == 2


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what would run after the commit (the email delivery task, eager in tests)."""

    def _send(drafts_or_callable):
        with django_capture_on_commit_callbacks(execute=True):
            return drafts_or_callable()

    return _send


def test_email_follows_preferences_and_skips_inactive_users(peer, other_peer, supervisor, sent):
    NotificationPreference.objects.create(user=other_peer, kind="credential_expiry", email=False)
    supervisor.is_active = False
    supervisor.save()
    sent(lambda: notifications_send([draft(peer), draft(other_peer), draft(supervisor)]))
    statuses = dict(Notification.objects.values_list("recipient_id", "email_status"))
    assert statuses == {peer.pk: "sent", other_peer.pk: "not_sent", supervisor.pk: "not_sent"}


def test_a_user_without_email_gets_in_app_only(db):
    user = UserFactory(email="")
    notifications_send([draft(user)])
    assert Notification.objects.get(recipient=user).email_status == "not_sent"


def test_email_has_text_and_html_parts_and_a_link(peer, mailoutbox, settings, sent):
    settings.SITE_URL = "https://lantern.example.org"
    sent(lambda: notification_send(recipient=peer, kind="followup_due", title="2 follow-ups due today",
                                   url="/clients/"))
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [peer.email]
    assert message.subject == "[Lantern] 2 follow-ups due today"
    assert "https://lantern.example.org/notifications/?show=unread" in message.body
    assert "/clients/" not in message.body  # record links stay in the app
    assert "/notifications/preferences/" in message.body
    assert message.alternatives[0].mimetype == "text/html"


def test_batch_send_runs_a_fixed_number_of_queries(program, django_capture_on_commit_callbacks):
    small = [UserFactory() for _ in range(3)]
    big = [UserFactory() for _ in range(300)]

    def count(users, tag):
        with CaptureQueriesContext(connection) as queries:
            notifications_send([draft(u, key=f"{tag}:{u.pk}") for u in users])
        return len(queries)

    assert count(small, "a") == count(big, "b")


def test_one_email_per_recipient_with_counts_per_kind(peer, supervisor, mailoutbox, sent):
    drafts = [draft(peer, key=f"k{i}") for i in range(3)] + [draft(peer, key="f", kind="followup_due")]
    drafts.append(draft(supervisor))
    sent(lambda: notifications_send(drafts))
    by_person = {m.to[0]: m for m in mailoutbox}
    assert len(mailoutbox) == 2
    assert by_person[peer.email].subject == "[Lantern] 4 new notifications"
    assert "Credential renewals coming up: 3" in by_person[peer.email].body
    assert "Follow-ups due and overdue: 1" in by_person[peer.email].body
    assert by_person[supervisor.email].subject == "[Lantern] A credential expires in 30 days"
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


def test_real_smtp_delivery(peer, settings, sent):
    with smtp_server() as (server, port):
        settings.MAILERS = smtp_mailers(port)
        sent(lambda: notification_send(recipient=peer, kind="followup_due", title="1 follow-up due today", url="/"))
        assert len(server.messages) == 1
        received = server.messages[0]
        assert received["To"] == peer.email
        assert received.get_body(("plain",)).get_content().startswith("1 follow-up due today")
    assert Notification.objects.get().email_status == "sent"


def test_smtp_outage_is_retried_then_delivered_once_with_one_in_app_notification(peer, settings, sent):
    with smtp_server() as (_, port):
        pass  # the port is free again: nothing listens there now
    settings.MAILERS = smtp_mailers(port)
    sent(lambda: notification_send(recipient=peer, kind="followup_due", title="Follow-up overdue",
                                   dedupe_key="fu:1:overdue"))
    notification = Notification.objects.get()
    assert notification.email_status == "failed"
    assert notification.email_attempts == 1
    assert "ConnectionRefusedError" in notification.email_error
    # Not retried before its backoff has passed …
    assert deliver_due_emails() == 0
    Notification.objects.update(email_next_attempt_at=notification.created_at)
    with smtp_server(port=port) as (server, _):
        assert deliver_due_emails() == 1
        assert deliver_due_emails() == 0
        assert len(server.messages) == 1
    notification.refresh_from_db()
    assert notification.email_status == "sent" and notification.email_attempts == 2
    assert Notification.objects.filter(recipient=peer).count() == 1


@pytest.mark.parametrize("goodbye", ["said", "fails"])
def test_an_email_is_recorded_as_sent_before_the_connection_is_closed(peer, settings, sent, monkeypatch, goodbye):
    """What is left between the server accepting a message and the record of it is one UPDATE: not the
    QUIT exchange. A goodbye that fails changes nothing about an email the server already accepted."""
    seen_at_close = []
    close = smtp.EmailBackend.close

    def closing(backend):
        seen_at_close.append(Notification.objects.values_list("email_status", flat=True).get())
        if goodbye == "fails":
            raise SMTPServerDisconnected("gone")
        return close(backend)

    monkeypatch.setattr(smtp.EmailBackend, "close", closing)
    with smtp_server() as (server, port):
        settings.MAILERS = smtp_mailers(port)
        sent(lambda: notification_send(recipient=peer, kind="followup_due", title="1 follow-up due today", url="/"))
        assert len(server.messages) == 1
    assert seen_at_close == ["sent"]
    notification = Notification.objects.get()
    assert (notification.email_status, notification.email_attempts, notification.email_error) == ("sent", 1, "")


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30).total_seconds() == 3600


def test_a_claim_is_taken_by_one_worker_only(peer, transactional_db):
    Notification.objects.bulk_create(
        Notification(recipient=peer, kind="t", title=f"n{i}", email_status="pending",
                     email_next_attempt_at="2026-01-01T00:00Z") for i in range(40)
    )
    claimed: list[list[int]] = []

    def worker():
        while batch := claim_due_emails(limit=40):
            claimed.append([n.pk for n in batch])
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [pk for batch in claimed for pk in batch]
    assert len(every) == len(set(every)) == 40


def test_a_claim_takes_one_recipients_emails_only(peer, supervisor):
    for user in (peer, supervisor):
        Notification.objects.bulk_create(
            Notification(recipient=user, kind="t", title=f"n{i}", email_status="pending",
                         email_next_attempt_at="2026-01-01T00:00Z") for i in range(3)
        )
    first, second = claim_due_emails(), claim_due_emails()
    assert {n.recipient_id for n in first} != {n.recipient_id for n in second}
    assert len(first) == len(second) == 3 and len({n.recipient_id for n in first}) == 1
    assert claim_due_emails() == []


def test_a_delivery_run_that_outlasts_the_lease_sends_no_email_twice(db, settings, monkeypatch):
    """Each send takes 60 % of the lease, so a run of three recipients outlasts it; a second worker starts
    during the third send. Every email must still go out once (a run claiming all three recipients at its
    start would have let the second worker retake the third one's expired claim and send it again)."""
    settings.NOTIFICATION_EMAIL_LEASE_SECONDS = 100
    recipients = UserFactory.create_batch(3)
    for user in recipients:
        Notification.objects.create(recipient=user, kind="t", title="news", email_status="pending",
                                    email_next_attempt_at="2026-01-01T00:00Z")
    sent: list[int] = []
    with time_machine.travel("2026-01-01T00:01Z", tick=False) as clock:
        by_address = {user.email: user.pk for user in recipients}
        send_messages = locmem.EmailBackend.send_messages

        def slow_send(backend, messages):
            clock.shift(60)
            if len(sent) == 2:  # the third send: another worker's run starts meanwhile
                sent.append("second worker starts")
                sent.append(("second worker sent", emails_deliver_due()))
            sent.append(by_address[messages[0].to[0]])
            return send_messages(backend, messages)

        monkeypatch.setattr(locmem.EmailBackend, "send_messages", slow_send)
        assert emails_deliver_due() == 3
    assert sent == [recipients[0].pk, recipients[1].pk, "second worker starts", ("second worker sent", 0),
                    recipients[2].pk]
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    assert set(Notification.objects.values_list("email_attempts", flat=True)) == {1}


def test_a_half_sent_email_is_taken_again_after_its_lease(peer, settings):
    settings.NOTIFICATION_EMAIL_LEASE_SECONDS = 60
    Notification.objects.create(recipient=peer, kind="t", title="stuck", email_status="sending",
                                email_claimed_at="2026-01-01T00:00Z", email_next_attempt_at="2026-01-01T00:00Z")
    assert [n.title for n in claim_due_emails()] == ["stuck"]


def test_preferences_page_turns_email_off_per_kind(login, peer):
    client = login(peer)
    page = client.get(reverse("notification_preferences"))
    assert page.status_code == 200
    assert all(page.context["form"].initial.values())
    response = client.post(reverse("notification_preferences"), {"followup_due": "on"})
    assert response.status_code == 302
    email_on = dict(NotificationPreference.objects.filter(user=peer).values_list("kind", "email"))
    assert email_on["followup_due"] is True and email_on["credential_expiry"] is False


def test_delivery_problems_are_for_admins_only(login, peer, supervisor, admin, program):
    Notification.objects.create(recipient=peer, program=program, kind="t", title="keeps failing",
                                email_status="failed", email_attempts=6, email_error="SMTPServerDisconnected")
    assert login(peer).get(reverse("notification_failures")).status_code == 403
    assert login(supervisor).get(reverse("notification_failures")).status_code == 403
    html = login(admin).get(reverse("notification_failures")).content.decode()
    assert "keeps failing" in html and "SMTPServerDisconnected" in html


def test_delivery_problems_of_another_program_are_not_shown(login, outsider, peer, program):
    Notification.objects.create(recipient=peer, program=program, kind="t", title="keeps failing",
                                email_status="failed", email_attempts=6)
    assert "keeps failing" not in login(outsider).get(reverse("notification_failures")).content.decode()


@pytest.mark.parametrize("rows", [2, 120])
def test_delivery_problems_query_budget(login, admin, peer, program, rows, django_assert_max_num_queries):
    Notification.objects.bulk_create(
        Notification(recipient=peer, program=program, kind="t", title=f"n{i}", email_status="failed",
                     email_attempts=5) for i in range(rows)
    )
    client = login(admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notification_failures")).status_code == 200
