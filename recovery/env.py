"""The one place that reads the process environment.

Settings, Celery (recovery/celery.py), the embedded servers (recovery/embedded.py) and ``make run``
(recovery/localrun.py) ask this module; nothing else in the project reads a value from ``os.environ`` (the
others only default ``DJANGO_SETTINGS_MODULE`` or hand the environment on to the processes they start).
Every value has a safe default for a developer's machine, and production sets them explicitly (see README).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (true/false), got {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG: bool = _bool("DEBUG", False)
DEMO_MODE: bool = _bool("DEMO_MODE", False)
SECRET_KEY: str = _str("SECRET_KEY")
ALLOWED_HOSTS: list[str] = _list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS: list[str] = _list("CSRF_TRUSTED_ORIGINS", [])
# Served over HTTPS (production): secure cookies, HSTS, redirect. Off only for local http runs.
HTTPS: bool = _bool("HTTPS", not DEBUG)

# How many reverse proxies (each appending to X-Forwarded-For) stand between clients and the app. 0: the
# socket's address is the client's and X-Forwarded-For is ignored (a client can write anything there).
# Behind one TLS proxy (the README's production setup) set 1. See recovery/audit.py client_ip().
TRUSTED_PROXY_COUNT: int = _int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ValueError(f"TRUSTED_PROXY_COUNT must be 0 or more, got {TRUSTED_PROXY_COUNT}")

# The runtime role: web, worker and beat connect as it (no superuser, owns nothing; recovery/dbroles.py).
DATABASE_URL: str = _str("DATABASE_URL")
# The owner role: `manage.py migrate` (and the tests' database set-up) only. Unset: DATABASE_URL's role
# does both, and the database cannot protect the audit trail from the application (see README).
DATABASE_OWNER_URL: str = _str("DATABASE_OWNER_URL")
REDIS_URL: str = _str("REDIS_URL")
# Where uploads are kept (settings' STORAGES: DATA_DIR/uploads; the production image sets /data) and, on a
# developer's machine, the embedded PostgreSQL and Redis keep their data (recovery/embedded.py).
DATA_DIR: Path = Path(_str("LANTERN_DATA_DIR", str(BASE_DIR / ".data")))
# Set by recovery/embedded.py when the URLs above point at the embedded servers: a developer's machine.
EMBEDDED: bool = _bool("LANTERN_EMBEDDED", False)

EMAIL_HOST: str = _str("EMAIL_HOST")
EMAIL_PORT: int = _int("EMAIL_PORT", 587)
EMAIL_HOST_USER: str = _str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD: str = _str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS: bool = _bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL: bool = _bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL: str = _str("DEFAULT_FROM_EMAIL", "Lantern <no-reply@lantern.invalid>")
SITE_URL: str = _str("SITE_URL", "http://127.0.0.1:8000")

# A worker that claimed an email and died leaves it "sending": after this many seconds another may take it.
# Must exceed the longest SMTP conversation, or an email could go out twice.
NOTIFICATION_EMAIL_LEASE_SECONDS: int = _int("NOTIFICATION_EMAIL_LEASE_SECONDS", 600)
# Beat's lock (recovery/celery.py LockedScheduler): a beat holds it while it runs and renews it every third
# of this time; a second beat waits, and takes over this long after the holder died.
BEAT_LOCK_SECONDS: int = _int("LANTERN_BEAT_LOCK_SECONDS", 60)
if BEAT_LOCK_SECONDS < 3:
    raise ValueError(f"LANTERN_BEAT_LOCK_SECONDS must be 3 or more, got {BEAT_LOCK_SECONDS}")
# Tests only: a worker process started by a test sends its email to the test's SMTP server on this port.
TEST_SMTP_PORT: int = _int("TEST_SMTP_PORT", 0)
# Tests only: set for a real worker process started by a test (tasks it enqueues go to the broker).
TEST_WORKER: bool = _bool("LANTERN_TEST_WORKER", False)
# Tests only: pytest-xdist names each of its worker processes (gw0, gw1, …); a Celery worker started by a
# test inherits the name, so it shares its test process's queue, cache prefix and upload folder.
XDIST_WORKER: str = _str("PYTEST_XDIST_WORKER")
DEMO_PASSWORD: str = _str("DEMO_PASSWORD", "lantern-demo")
# `make run` (recovery/localrun.py): the port the local web server listens on.
LOCAL_PORT: int = _int("LANTERN_PORT", 0) or _int("PORT", 8000)
LOG_LEVEL: str = _str("LOG_LEVEL", "INFO")
TIME_ZONE: str = _str("TIME_ZONE", "America/New_York")
