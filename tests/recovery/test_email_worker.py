"""A real worker on real Redis is killed (SIGKILL) in the middle of sending; after a restart every
email has gone out exactly once."""

import os
import signal
import time

import pytest

from recovery.celery import app
from recovery.models import Notification
from tests.factories import UserFactory
from tests.smtp import smtp_server
from tests.workers import QUEUE, celery_worker, wait_for

pytestmark = pytest.mark.celery_worker

COUNT = 12


def test_killed_worker_loses_no_email_and_sends_none_twice(transactional_db, tmp_path):
    people = [UserFactory() for _ in range(COUNT)]  # one email per recipient
    Notification.objects.bulk_create(
        Notification(recipient=person, kind="followup_due", title=f"Reminder {i:02d}", email_status="pending",
                     email_next_attempt_at="2026-01-01T00:00Z") for i, person in enumerate(people)
    )
    # Each SMTP conversation takes 0.4 s (delayed at RCPT, before any message is accepted).
    with smtp_server(rcpt_delay=0.4) as (server, port):
        env = {"TEST_SMTP_PORT": str(port), "NOTIFICATION_EMAIL_LEASE_SECONDS": "3"}
        with celery_worker(log=tmp_path / "first.log", **env) as first:
            app.send_task("recovery.tasks.deliver_due_emails", kwargs={"batch": 5}, queue=QUEUE)
            wait_for(lambda: len(server.messages) >= 3, timeout=60)
            with server.holding():  # in the middle of the next conversation, no message accepted in it
                wait_for(lambda: server.waiting and not server.past_rcpt, timeout=10, interval=0.02)
                os.killpg(first.pid, signal.SIGKILL)
                first.wait()
        sent_before_restart = len(server.messages)
        assert sent_before_restart < COUNT, "the worker was killed before it finished"
        stuck = Notification.objects.filter(email_status="sending").count()
        assert stuck > 0, "some emails were claimed by the dead worker"

        time.sleep(3.5)  # the dead worker's claims expire
        with celery_worker(log=tmp_path / "second.log", **env):
            # What beat does every minute: deliver whatever is due.
            app.send_task("recovery.tasks.deliver_due_emails", queue=QUEUE)
            wait_for(lambda: not Notification.objects.exclude(email_status="sent").exists(), timeout=90)

        titles = sorted(str(message["Subject"]) for message in server.messages)
    assert titles == sorted(f"[Lantern] Reminder {i:02d}" for i in range(COUNT))
    assert Notification.objects.count() == COUNT
