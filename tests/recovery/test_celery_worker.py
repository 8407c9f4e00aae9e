"""A real Celery worker process on real Redis runs our tasks."""

import pytest
from django.core.cache import cache

from recovery.celery import app
from recovery.tasks import HEARTBEAT_KEY
from tests.workers import QUEUE, celery_worker, wait_for

pytestmark = pytest.mark.celery_worker


def test_a_real_worker_runs_the_heartbeat_task(transactional_db, tmp_path):
    cache.delete(HEARTBEAT_KEY)
    with celery_worker(log=tmp_path / "worker.log"):
        app.send_task("recovery.tasks.heartbeat", queue=QUEUE)
        beat = wait_for(lambda: cache.get(HEARTBEAT_KEY), timeout=60)
    assert beat > 0, (tmp_path / "worker.log").read_text()


def test_healthz_is_ok_when_a_worker_answers(transactional_db, client, tmp_path):
    with celery_worker(log=tmp_path / "worker.log"):
        response = wait_for(lambda: (r := client.get("/healthz")).status_code == 200 and r, timeout=60)
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "ok"}
