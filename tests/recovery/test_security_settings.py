"""Production settings, checked in a separate process with a production environment."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "recovery.settings",
    "SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "lantern.example.org",
    "DEBUG": "false",
    "DEMO_MODE": "false",
    "EMAIL_HOST": "smtp.lantern.example.org",
}


# Variables a developer's shell, `make test` on the embedded servers (LANTERN_EMBEDDED) or another test (the
# browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) may have set.
NOT_IN_PRODUCTION = ("DEBUG", "HTTPS", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE", "LANTERN_EMBEDDED")


def run_with_production_settings(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_zero_warnings():
    result = run_with_production_settings("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_hsts_and_demo_mode():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, 'ssl': s.SECURE_SSL_REDIRECT,"
        "'demo': s.DEMO_MODE, 'debug': s.DEBUG}))"
    )
    result = run_with_production_settings("-c", code)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {"session_secure": True, "session_httponly": True, "csrf_secure": True,
                      "hsts": 31536000, "ssl": True, "demo": False, "debug": False}


def test_production_refuses_to_start_without_a_secret_key():
    env_code = "import django; django.setup()"
    env = {k: v for k, v in os.environ.items() if k not in (*NOT_IN_PRODUCTION, "SECRET_KEY")}
    env["DJANGO_SETTINGS_MODULE"] = "recovery.settings"
    env["DATABASE_URL"] = "postgres://lantern@db.example.org/lantern"  # production: a real database
    result = subprocess.run([sys.executable, "-c", env_code], env=env, cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_responses_carry_a_nonce_csp_and_security_headers(login, peer):
    response = login(peer).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert f'nonce="{nonce}"' in html
    assert "<script>" not in html  # every script carries the nonce or a src


def test_no_cdn_assets(login, peer):
    html = login(peer).get(reverse("home")).content.decode()
    assert "cdn" not in html.lower()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html


def test_demo_banner_only_in_demo_mode(login, peer, settings):
    settings.DEMO_MODE = False
    assert "Demo data" not in login(peer).get(reverse("home")).content.decode()
    settings.DEMO_MODE = True
    assert "Demo data" in login(peer).get(reverse("home")).content.decode()
