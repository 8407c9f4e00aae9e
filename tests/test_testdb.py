"""The tests' database plumbing (tests/testdb.py, tests/workers.py) reaches the server Django reaches, however
the URL names it."""

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django.db import connection

from recovery import dbroles
from tests import testdb, workers


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


@pytest.mark.parametrize("url, expected", [
    ("postgres://app:s3cret@db.example.org:6543/lantern",
     {"host": "db.example.org", "port": "6543", "user": "app", "password": "s3cret", "dbname": "lantern"}),
    ("postgres://lantern_app@/lantern?host=/home/dev/lantern/.data/pg",
     {"host": "/home/dev/lantern/.data/pg", "user": "lantern_app", "dbname": "lantern"}),
    ("postgres://app@db.example.org/lantern?sslmode=require&pool=true",
     {"host": "db.example.org", "user": "app", "dbname": "lantern", "sslmode": "require"}),
])
def test_libpq_params_keep_the_urls_server_wherever_it_names_it(url, expected):
    assert dbroles.libpq_params(dj_database_url.parse(url)) == expected


@pytest.mark.parametrize("url", [
    "postgres://app:p%40ss%2Fword@127.0.0.1:5432/test_lantern_gw0",
    "postgres://lantern_app@/test_lantern_gw1?host=/tmp/lantern%20dev/.data/pg",
    "postgres://app@db.example.org:6543/lantern?sslmode=require",
])
def test_a_started_process_gets_the_same_server_database_and_role(url):
    """A Celery worker or web process a test starts (tests/workers.py) reaches this process's database."""
    database = dj_database_url.parse(url)
    assert dbroles.libpq_params(dj_database_url.parse(workers.database_url(database))) == \
        dbroles.libpq_params(database)
