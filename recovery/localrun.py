"""``make run``: migrate, seed the demo, then run web + Celery worker + Celery beat until Ctrl-C.

With DATABASE_URL / REDIS_URL unset, the embedded PostgreSQL and Redis (recovery/embedded.py) are
started by the first Django command and reused by every later one, so their data persists between runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_ACCOUNTS = ["peer@demo.example", "peer2@demo.example", "supervisor@demo.example", "admin@demo.example"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
    env.setdefault("DEBUG", "true")
    env.setdefault("DEMO_MODE", "true")
    env.setdefault("HTTPS", "false")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=_env(), check=True)  # noqa: S603


def _health(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local URL
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read() or b"{}")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    base = f"http://127.0.0.1:{port}"
    print("Lantern: preparing the database…", flush=True)
    _manage("migrate", "--no-input", "-v", "0")
    _manage("seed_demo")
    env = _env()
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [PYTHON, "-m", "celery", "-A", "recovery", "worker", "--loglevel=INFO", "--concurrency=2",
                   "-n", f"local-{os.getpid()}@%h"],
        "beat": [PYTHON, "-m", "celery", "-A", "recovery", "beat", "--loglevel=INFO",
                 "--schedule", str(ROOT / ".data" / "celerybeat-schedule")],
    }
    (ROOT / ".data").mkdir(exist_ok=True)
    processes = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in commands.items()}  # noqa: S603

    def stop() -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    # Ctrl-C reaches every process of the terminal's group; we only note it and stop the rest in order.
    stopping = []
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        health = _wait_healthy(base, processes, stopping)
        if stopping:
            return 0
        password = env.get("DEMO_PASSWORD", "lantern-demo")
        print("\n" + "=" * 64)
        print(f"Lantern is running at {base}   (health: {health})")
        print(f"Demo logins (password: {password}):")
        for email in DEMO_ACCOUNTS:
            print(f"  {email}")
        print("Press Ctrl-C to stop web, worker and beat.")
        print("=" * 64 + "\n", flush=True)
        while not stopping and all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        if stopping:
            return 0
        print("Lantern: a process stopped; stopping the others.", flush=True)
        return 1
    finally:
        print("\nLantern: stopping web, worker and beat…", flush=True)
        stop()


def _wait_healthy(base: str, processes: dict, stopping: list) -> dict | None:
    deadline = time.monotonic() + 120
    health = None
    while time.monotonic() < deadline and not stopping:
        health = _health(f"{base}/healthz")
        if health and all(value == "ok" for value in health.values()):
            return health
        if any(p.poll() is not None for p in processes.values()):
            raise SystemExit("Lantern: a process stopped during start-up; see the output above.")
        time.sleep(1)
    return health


if __name__ == "__main__":
    sys.exit(main())
