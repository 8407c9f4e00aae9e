"""The Celery application. Tasks live in each app's tasks.py; periodic sweeps in settings' beat schedule."""

import logging
import os

from celery import Celery, signals
from celery.utils.log import get_multiprocessing_logger

from recovery.log_filters import redact_handlers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")

app = Celery("recovery")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redact_database_errors(logger=None, **kwargs) -> None:
    """The worker adds its own handlers (the task logger's does not propagate): they get the same
    database error filter as settings.LOGGING's, so a failed task logs no row values either."""
    for each in (logger, logging.getLogger(), get_multiprocessing_logger()):
        if each is not None:
            redact_handlers(each)
