"""Two beats at once: only the one holding the lock in Redis sends the schedule; the other waits, and takes
over once the first is killed and its lock expires."""

import os
import signal
import time

import pytest
import redis
from django.conf import settings

from tests.settings_beat_lock import BEAT_LOCK_QUEUE
from tests.workers import beat_args, log_count, process_group, process_stop, queue_purge, spawn, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.multiprocess]

LOCK_SECONDS = 4
SENT = "Sending due task worker-heartbeat"
SETTINGS = "tests.settings_beat_lock"


def queued() -> int:
    """Messages waiting in the test's queue (the broker keeps its keys under the tests' key prefix)."""
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
    return redis.Redis.from_url(settings.REDIS_URL).llen(f"{prefix}{BEAT_LOCK_QUEUE}")


@pytest.mark.timeout(300)
def test_a_second_beat_sends_nothing_until_the_first_dies_and_its_lock_expires(tmp_path):
    queue_purge(BEAT_LOCK_QUEUE)
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    env = {"LANTERN_BEAT_LOCK_SECONDS": str(LOCK_SECONDS)}
    try:
        with process_group() as started:
            first = spawn(beat_args(tmp_path / "first-schedule"), log=first_log, settings_module=SETTINGS, **env)
            started.append(first)
            wait_for(lambda: log_count(first_log, SENT) >= 1, timeout=120, interval=0.2)
            assert log_count(first_log, "beat took the lock") == 1

            second = spawn(beat_args(tmp_path / "second-schedule"), log=second_log, settings_module=SETTINGS, **env)
            started.append(second)
            wait_for(lambda: log_count(second_log, "beat waits: another beat holds the lock"), timeout=120)
            # Long enough for the second beat to try the lock several times (every LOCK_SECONDS / 3).
            sent_before = log_count(first_log, SENT)
            wait_for(lambda: log_count(first_log, SENT) >= sent_before + 2 * LOCK_SECONDS, timeout=120)

            assert log_count(second_log, SENT) == 0, "the beat without the lock sent nothing"
            assert log_count(second_log, "beat took the lock") == 0
            # Every message in the queue came from the first beat: nothing doubled.
            sent_by_first = log_count(first_log, SENT)
            wait_for(lambda: queued() == sent_by_first, timeout=30)

            os.killpg(first.pid, signal.SIGKILL)  # no clean stop: the lock stays until it expires
            killed_at = time.monotonic()
            first.wait()
            sent_by_first = log_count(first_log, SENT)

            wait_for(lambda: log_count(second_log, "beat took the lock"), timeout=120, interval=0.1)
            took_over_after = time.monotonic() - killed_at
            wait_for(lambda: log_count(second_log, SENT) >= 3, timeout=120)
            process_stop(second)

        # The lock was the first beat's until it expired (renewed at most LOCK_SECONDS / 3 before the kill).
        assert took_over_after >= LOCK_SECONDS * 2 / 3 - 0.5
        # Nothing doubled: each message was sent by one beat (the SIGKILL may land between a beat's log line
        # and its publish: one fewer, never more).
        sent = sent_by_first + log_count(second_log, SENT)
        assert sent - 1 <= queued() <= sent
        # A clean stop releases the lock for whoever comes next.
        lock_key = f"lantern:beat-lock:{settings.CELERY_TASK_DEFAULT_QUEUE}"
        assert not redis.Redis.from_url(settings.REDIS_URL).exists(lock_key)
    finally:
        queue_purge(BEAT_LOCK_QUEUE)
