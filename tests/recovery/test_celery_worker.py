"""A real Celery worker process on real Redis runs our tasks."""

import pytest
from django.core.cache import cache

from recovery.celery import app
from recovery.tasks import HEARTBEAT_KEY
from tests.workers import QUEUE, celery_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.xdist_group("celery-worker")]


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    """One worker for the module's tests (starting one takes seconds); its log for the failure messages."""
    log = tmp_path_factory.mktemp("celery-worker") / "worker.log"
    with celery_worker(log=log):
        yield log


def test_a_real_worker_runs_the_heartbeat_task(transactional_db, worker):
    cache.delete(HEARTBEAT_KEY)
    app.send_task("recovery.tasks.heartbeat", queue=QUEUE)
    beat = wait_for(lambda: cache.get(HEARTBEAT_KEY), timeout=60)
    assert beat > 0, worker.read_text()


def test_healthz_is_ok_when_a_worker_answers(transactional_db, client, worker):
    response = wait_for(lambda: (r := client.get("/healthz")).status_code == 200 and r, timeout=60)
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "ok"}
