"""Settings of the web, worker and beat processes the multi-process tests start: the tests' settings with
beat on a fast clock, so every sweep and email delivery runs several times within the test."""

from recovery.settings_test import *  # noqa: F403
from recovery.settings_test import CELERY_BEAT_SCHEDULE

BEAT_EVERY = 2.0
CELERY_BEAT_SCHEDULE = {name: {**entry, "schedule": BEAT_EVERY} for name, entry in CELERY_BEAT_SCHEDULE.items()}
