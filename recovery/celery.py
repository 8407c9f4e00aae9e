"""The Celery application. Tasks live in each app's tasks.py; periodic sweeps in settings' beat schedule.

Beat runs through ``LockedScheduler``: only the beat holding a lock in Redis sends the schedule, so a
second beat started by mistake (two containers, a deploy overlapping the old one) waits instead of
enqueueing every sweep twice, and takes over when the first one dies.
"""

import contextlib
import logging
import os
import socket
import uuid

import redis
from celery import Celery, signals
from celery.beat import PersistentScheduler
from celery.utils.log import get_multiprocessing_logger

from recovery import env
from recovery.log_filters import redact_handlers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")

app = Celery("recovery")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# Renew (or release) the lock only while this beat still holds it: compare the token, then act, atomically.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LockedScheduler(PersistentScheduler):
    """Celery's scheduler, sending only while this process holds beat's lock in Redis.

    The lock is ``SET key token NX PX`` with ``env.BEAT_LOCK_SECONDS`` of life, renewed at every tick and at
    least every third of that time. A beat that cannot take it sends nothing and tries again each third of
    that time; it takes over at most ``BEAT_LOCK_SECONDS`` after the holder stopped renewing (killed, frozen,
    cut off from Redis). A holder that fails to renew (lost it, or Redis is unreachable) stops sending at
    once. A clean stop releases the lock, so a waiting beat takes over at its next try.

    The lock keeps beats from doubling the schedule; what makes each reminder and email exactly-once is the
    database (dedupe keys, email claims), so the rare overlap a lock cannot rule out (a holder frozen longer
    than the lock's life) costs nothing either. A beat that takes over runs the entries that are overdue by
    its own clock at once: one early, harmless run of each sweep.
    """

    def __init__(self, *args, **kwargs):
        self.lock_seconds = env.BEAT_LOCK_SECONDS
        self.lock_token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.holding = False
        self._waiting_said = False
        self._redis: redis.Redis | None = None
        super().__init__(*args, **kwargs)
        # One lock per queue: the tests' beats (their own queue) never wait for a developer's `make run`.
        self.lock_key = f"lantern:beat-lock:{self.app.conf.task_default_queue}"

    def _client(self) -> redis.Redis:
        if self._redis is None:
            timeout = max(1.0, self.lock_seconds / 6)
            self._redis = redis.Redis.from_url(self.app.conf.broker_url, socket_timeout=timeout,
                                               socket_connect_timeout=timeout)
        return self._redis

    def lock_hold(self) -> bool:
        """Renew the lock if held, else try to take it. True while this beat may send."""
        ms = self.lock_seconds * 1000
        try:
            client = self._client()
            if self.holding and not client.eval(_RENEW, 1, self.lock_key, self.lock_token, ms):
                self.holding = False
                logger.warning("beat lost its lock %s: another beat took over; sending nothing", self.lock_key)
            if not self.holding and client.set(self.lock_key, self.lock_token, nx=True, px=ms):
                self.holding = True
                self._waiting_said = False
                logger.info("beat took the lock %s: sending the schedule", self.lock_key)
        except redis.RedisError as exc:
            if self.holding:
                logger.warning("beat cannot renew its lock (%s): sending nothing until it can", type(exc).__name__)
            self.holding = False
        if not self.holding and not self._waiting_said:
            self._waiting_said = True
            logger.info("beat waits: another beat holds the lock %s", self.lock_key)
        return self.holding

    def tick(self, *args, **kwargs):
        renew_every = self.lock_seconds / 3
        if not self.lock_hold():
            return renew_every
        return min(super().tick(*args, **kwargs), renew_every)

    def close(self):
        if self.holding:
            with contextlib.suppress(redis.RedisError):  # else it expires on its own
                self._client().eval(_RELEASE, 1, self.lock_key, self.lock_token)
            self.holding = False
        super().close()


app.conf.beat_scheduler = f"{__name__}:LockedScheduler"


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redact_database_errors(logger=None, **kwargs) -> None:
    """The worker adds its own handlers (the task logger's does not propagate): they get the same
    database error filter as settings.LOGGING's, so a failed task logs no row values either."""
    for each in (logger, logging.getLogger(), get_multiprocessing_logger()):
        if each is not None:
            redact_handlers(each)
