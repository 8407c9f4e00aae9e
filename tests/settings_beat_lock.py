"""Settings of the beats tests/recovery/test_beat_lock.py starts: one entry, every second, to a queue of its
own that no worker consumes, so the test counts what reached the broker."""

from recovery.settings_test import *  # noqa: F403
from recovery.settings_test import CELERY_TASK_DEFAULT_QUEUE

BEAT_LOCK_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-beat-lock"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "recovery.tasks.heartbeat", "schedule": 1.0, "options": {"queue": BEAT_LOCK_QUEUE}},
}
