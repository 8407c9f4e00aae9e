"""Start a real Celery worker (a separate process) against the tests' Redis, for tests that need one."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection

from recovery import dbroles

ROOT = Path(settings.BASE_DIR)
# This test process's queue (recovery/settings_test.py: one per pytest-xdist worker); send tasks to it.
QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE


def database_url(database: dict) -> str:
    """A URL for the server, database and role of ``database`` (settings), as DATABASE_URL of a process
    started by a test; a unix socket directory goes in the query, as the embedded server's URL has it."""
    params = dbroles.libpq_params(database)
    host = params.pop("host", "127.0.0.1")
    auth = quote(params.pop("user", ""), safe="") + (":" + quote(params.pop("password"), safe="")
                                                     if "password" in params else "")
    name = quote(params.pop("dbname"), safe="")
    if host.startswith("/"):
        params["host"] = host
        url = f"postgres://{auth}@/{name}"
    else:
        url = f"postgres://{auth}@{host}:{params.pop('port', '5432')}/{name}"
    return url + ("?" + urlencode(params) if params else "")


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker that sees the same test database and Redis as this process."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="recovery.settings_test",
        REDIS_URL=settings.REDIS_URL,
        DATABASE_URL=database_url(connection.settings_dict),
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


# --- Several processes at once (tests/recovery/test_multi_process.py, test_beat_lock.py) -------------------


def spawn(args: list[str], *, log: Path, settings_module: str = "recovery.settings_test", **env_extra: str):
    """Start ``python <args>`` in its own process group (so a SIGKILL takes its children too), logging to
    ``log``, against the tests' database and Redis."""
    with open(log, "ab") as log_file:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=worker_env(DJANGO_SETTINGS_MODULE=settings_module, **env_extra),
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )


def worker_args(name: str, *, concurrency: int = 1) -> list[str]:
    """A worker on the tests' queue with a name of its own (two workers must not share a node name)."""
    return ["-m", "celery", "-A", "recovery", "worker", "--loglevel=INFO", f"--concurrency={concurrency}",
            "--pool=prefork", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-gossip", "--without-mingle",
            "-n", f"tests-{os.getpid()}-{name}@%h"]


def beat_args(schedule_file: Path) -> list[str]:
    return ["-m", "celery", "-A", "recovery", "beat", "--loglevel=INFO", "--schedule", str(schedule_file)]


def gunicorn_args(port: int, *, workers: int = 2) -> list[str]:
    return ["-m", "gunicorn", "recovery.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--timeout", "120", "--graceful-timeout", "5"]


def process_stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    """SIGTERM the process (or SIGKILL its group) and wait for it; SIGKILL after 20 s."""
    if process.poll() is None:
        try:
            if kill:
                os.killpg(process.pid, signal.SIGKILL)
            else:  # the parent stops its children (a warm shutdown, gunicorn's graceful stop)
                os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
    with contextlib.suppress(ProcessLookupError):  # children left by a killed parent (gunicorn's, the pool's)
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def process_group():
    """A list to append started processes to; each is stopped when the block ends, whatever happened."""
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            process_stop(process)


def log_count(log: Path, text: str) -> int:
    """How many lines of ``log`` contain ``text``."""
    try:
        return sum(text in line for line in log.read_text(errors="replace").splitlines())
    except FileNotFoundError:
        return 0


def queue_purge(queue: str) -> None:
    """Drop every message waiting in ``queue`` (so a later test's worker never runs this test's tasks)."""
    from recovery.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)
