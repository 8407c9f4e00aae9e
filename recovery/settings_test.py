"""Test settings: production's, with a fast password hasher, mail kept in memory and plain static files."""

from recovery import env

# Tests need no real secret, and serve plain http (live_server for the browser tests). Production's
# HTTPS settings are checked in tests/recovery/test_security_settings.py against the real module.
env.SECRET_KEY = env.SECRET_KEY or "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"
env.HTTPS = False

from recovery.settings import *  # noqa: E402, F403
from recovery.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A commit does not wait for its WAL to reach the disk: the test databases need no durability across a
# crash of the server, and the suite commits thousands of times (migrations, the transactional tests'
# flushes, the processes the real-worker tests start). Visibility and locking are unchanged.
_options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
_options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if env.TEST_SMTP_PORT:  # a worker process started by a test (tests/workers.py) mails the test's server
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": env.TEST_SMTP_PORT, "use_tls": False, "timeout": 10},
        }
    }
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Unit tests run tasks in-process; tests/recovery/test_celery_worker.py starts a real worker instead.
CELERY_TASK_ALWAYS_EAGER = not env.TEST_WORKER
CELERY_TASK_EAGER_PROPAGATES = True
SECURE_SSL_REDIRECT = False
# Tests' tasks go to their own queue, broker keys and cache keys, so a `make run` worker on the same Redis
# never takes them; under pytest-xdist each test process (gw0, gw1, …) has its own, so parallel runs of
# real-worker tests neither take each other's tasks nor see each other's cache.
TEST_NAMESPACE = "lantern-tests" + (f"-{env.XDIST_WORKER}" if env.XDIST_WORKER else "")
CELERY_TASK_DEFAULT_QUEUE = TEST_NAMESPACE
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "global_keyprefix": f"{TEST_NAMESPACE}:",  # also unacked messages and the worker ping (/healthz)
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,  # noqa: F405
        "KEY_PREFIX": TEST_NAMESPACE,
    }
}
# Uploads a test does not redirect to its own tmp_path go to a folder of this test process, never to the
# development data folder (.data/uploads) that `make run` uses.
STORAGES["default"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": env.DATA_DIR / TEST_NAMESPACE / "uploads", "base_url": None},
}
