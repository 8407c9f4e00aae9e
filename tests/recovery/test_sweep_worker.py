"""A real worker is killed (SIGKILL) in the middle of a reminder sweep; after a restart every due
reminder exists once and its email goes out once."""

import os
import signal

import pytest

from peers.models import Credential
from recovery.celery import app
from recovery.models import Membership, Notification, NotificationPreference, User
from recovery.reminders import BATCH
from tests.factories import CredentialFactory, UserFactory
from tests.smtp import smtp_server
from tests.workers import QUEUE, celery_worker, wait_for

pytestmark = pytest.mark.celery_worker

STAFF = 4 * BATCH  # four batches: the kill lands between the first commit and the last
EMAILED = 60  # staff who want these emails (the others turned them off: in-app only)


def staff_expiring_in_30_days(program):
    users = User.objects.bulk_create(UserFactory.build(email=f"staff{i}@example.org") for i in range(STAFF))
    # Every 66th person wants the email: they are spread over all four batches.
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=u, kind="credential_expiry", email=False)
        for i, u in enumerate(users) if not (i % 66 == 0 and i < 66 * EMAILED)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=u, program=program, role=Membership.Role.PEER) for u in users
    )
    Credential.objects.bulk_create(
        CredentialFactory.build(membership=m, today=program.today(), expires_in=30) for m in memberships
    )


def test_a_sweep_killed_midway_completes_exactly_once_after_restart(transactional_db, program, tmp_path):
    staff_expiring_in_30_days(program)
    with smtp_server() as (server, port):
        # A short lease: an email claimed by the killed worker may be taken again after 3 seconds.
        env = {"TEST_SMTP_PORT": str(port), "NOTIFICATION_EMAIL_LEASE_SECONDS": "3"}
        with celery_worker(log=tmp_path / "first.log", **env) as first:
            app.send_task("peers.tasks.credential_expiry_sweep", args=[program.pk], queue=QUEUE)
            wait_for(lambda: Notification.objects.exists(), timeout=60, interval=0.05)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        partial = Notification.objects.count()
        assert 0 < partial < STAFF, "the worker was killed in the middle of the sweep"

        with celery_worker(log=tmp_path / "second.log", **env):
            # Beat's next run of the same sweep, then of the email delivery.
            app.send_task("peers.tasks.credential_expiry_sweep", args=[program.pk], queue=QUEUE)
            wait_for(lambda: Notification.objects.count() == STAFF, timeout=300)
            app.send_task("recovery.tasks.deliver_due_emails", kwargs={"max_batches": 1000}, queue=QUEUE)
            wait_for(lambda: not Notification.objects.filter(email_status__in=["pending", "sending", "failed"])
                     .exists(), timeout=300)
            wait_for(lambda: len(server.messages) == EMAILED, timeout=30)

        recipients = [message["To"] for message in server.messages]
    assert len(recipients) == len(set(recipients)) == EMAILED
    keys = list(Notification.objects.values_list("recipient_id", "dedupe_key"))
    assert len(set(keys)) == STAFF
