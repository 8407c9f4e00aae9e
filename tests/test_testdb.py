"""The tests' own database plumbing (tests/testdb.py) reaches the server Django reaches, however the URL names it."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests import testdb


def _with_host_in_options(host: str) -> dict:
    """The settings as a URL naming its server in the query would make them (``postgres://role@/db?host=…``,
    as the embedded server's URL does): HOST empty, the host in OPTIONS."""
    database = {**settings.DATABASES["default"], "HOST": "", "OPTIONS": {"host": host}}
    owner = {**getattr(settings, "DATABASE_OWNER", {}), "HOST": "", "OPTIONS": {"host": host}}
    return {"DATABASES": {**settings.DATABASES, "default": database}, "DATABASE_OWNER": owner}


@pytest.mark.django_db
def test_the_template_server_is_the_one_a_host_in_the_urls_query_names(monkeypatch):
    started = connection.cursor().execute("SELECT pg_postmaster_start_time()").fetchone()[0]
    host = connection.get_connection_params().get("host") or "127.0.0.1"
    for name, value in _with_host_in_options(host).items():
        monkeypatch.setattr(settings, name, value)
    with testdb.server() as conn:
        assert conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0] == started


def test_a_host_in_the_urls_query_is_not_replaced_by_the_default_socket(monkeypatch, tmp_path):
    for name, value in _with_host_in_options(str(tmp_path)).items():
        monkeypatch.setattr(settings, name, value)
    with pytest.raises(psycopg.OperationalError, match=str(tmp_path)), testdb.server():
        pass
