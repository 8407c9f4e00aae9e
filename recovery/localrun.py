"""``make run``: start the embedded servers if needed, migrate, seed the demo, then run the Procfile with honcho.

Web, worker and beat run until Ctrl-C (honcho stops them all, and stops them all if one dies); the
``ready`` entry waits for /healthz and prints the URL and the demo logins. The embedded PostgreSQL and
Redis keep their data under .data/ between runs; the servers this command started stop when it ends.
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

from recovery import embedded, env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_ACCOUNTS = ["peer@demo.example", "peer2@demo.example", "supervisor@demo.example", "admin@demo.example",
                 "billing@demo.example"]
START_TIMEOUT = 120


def _port() -> int:
    return env.LOCAL_PORT


def _env(extra: dict[str, str]) -> dict[str, str]:
    environment = {**os.environ, **extra}
    environment.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
    environment.setdefault("DEBUG", "true")
    environment.setdefault("DEMO_MODE", "true")
    environment.setdefault("HTTPS", "false")
    environment.setdefault("PYTHONUNBUFFERED", "1")
    environment["LANTERN_PORT"] = str(_port())
    environment["LANTERN_DATA_DIR"] = str(env.DATA_DIR)
    environment["PATH"] = f"{Path(PYTHON).parent}{os.pathsep}{environment.get('PATH', '')}"  # Procfile's python
    return environment


def main() -> int:
    extra, started = embedded.environment()
    environment = _env(extra)
    # Ctrl-C reaches the whole terminal group: honcho stops its processes, then we stop our servers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        print("Lantern: preparing the database…", flush=True)
        for args in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
            subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment, check=True)  # noqa: S603
        env.DATA_DIR.mkdir(parents=True, exist_ok=True)
        honcho = [PYTHON, "-m", "honcho", "-e", os.devnull, "-f", str(ROOT / "Procfile"), "start"]
        return subprocess.run(honcho, cwd=ROOT, env=environment, check=False).returncode  # noqa: S603
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    finally:
        if started:
            print("Lantern: stopping the embedded " + " and ".join(started) + "…", flush=True)
        embedded.stop(started)


def _health(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local URL
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read() or b"{}")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def announce() -> int:
    """The Procfile's ``ready``: wait until web, database, Redis and worker are healthy, print the logins, stay."""
    base = f"http://127.0.0.1:{_port()}"
    deadline = time.monotonic() + START_TIMEOUT
    health = None
    while time.monotonic() < deadline:
        health = _health(f"{base}/healthz")
        if health and all(value == "ok" for value in health.values()):
            break
        time.sleep(1)
    else:
        print(f"Lantern did not become healthy within {START_TIMEOUT} s (last: {health}).", flush=True)
        return 1
    print("=" * 64)
    print(f"Lantern is running at {base}   (health: {health})")
    print(f"Demo logins (password: {env.DEMO_PASSWORD}):")
    for email in DEMO_ACCOUNTS:
        print(f"  {email}")
    print("Press Ctrl-C to stop web, worker and beat.")
    print("=" * 64, flush=True)
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda *_: sys.exit(0))
    while True:  # honcho stops everything when one entry ends: this one stays until Ctrl-C
        signal.pause()


if __name__ == "__main__":
    sys.exit(announce() if sys.argv[1:] == ["announce"] else main())
