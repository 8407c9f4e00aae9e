import json

from django.test import override_settings


def test_healthz_reports_each_part_and_503_without_a_worker(client, db):
    # No worker consumes this test run's broker here: the worker part must be named as failing.
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"] != "ok"
    assert response.status_code == 503


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_names_the_broker_when_redis_is_down(client, db):
    from recovery.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        from django.conf import settings

        app.conf.broker_url = settings.REDIS_URL
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


def test_healthz_needs_no_login_and_is_get_only(client, db):
    assert client.post("/healthz").status_code == 405
