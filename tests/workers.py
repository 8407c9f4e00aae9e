"""Start a real Celery worker (a separate process) against the tests' Redis, for tests that need one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
# This test process's queue (recovery/settings_test.py: one per pytest-xdist worker); send tasks to it.
QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker that sees the same test database and Redis as this process."""
    db = connection.settings_dict
    env = dict(os.environ)
    if str(db["HOST"]).startswith("/"):  # the embedded server's unix socket
        database_url = f"postgres://{db['USER']}@/{db['NAME']}?host={db['HOST']}"
    else:
        auth = f"{db['USER']}:{db['PASSWORD'] or ''}"
        database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env.update(
        DJANGO_SETTINGS_MODULE="recovery.settings_test",
        REDIS_URL=settings.REDIS_URL,
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        LANTERN_TEST_WORKER="1",  # tasks the worker enqueues go through Redis, as in production
    )
    env.update(extra)
    return env


@contextmanager
def celery_worker(*, concurrency: int = 1, log: Path | None = None, **env_extra: str):
    """Run ``celery worker`` on the tests' queue until the block ends; yields the Popen object."""
    log_file = open(log or os.devnull, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "recovery", "worker", "--loglevel=INFO",
         f"--concurrency={concurrency}", "--pool=prefork", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE,
         "--without-gossip", "--without-mingle", "-n", f"tests-{os.getpid()}@%h"],
        cwd=ROOT, env=worker_env(**env_extra), stdout=log_file, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log_file.close()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
