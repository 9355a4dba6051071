"""Settings shared by every environment; each value can come from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "core",
    "merchants",
    "orders",
    "penalties",
    "disputes",
    "buyer",
    "seller",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DatabaseBusyMiddleware",
    "core.middleware.PageRateLimitMiddleware",
    "core.language.RememberLanguageMiddleware",
    # Last, so that it sees every login's outcome and answers a lockout (core.auth).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "django.template.context_processors.csp",
    "core.context_processors.unread_notifications",
]
# The site's pages are Jinja2 templates (templates/jinja2/, config/jinja2.py), looked up first;
# the admin, DRF's pages and Django's form widgets stay on Django's engine, from the apps.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL (psycopg 3).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: each transaction takes the write lock when it begins
    # (IMMEDIATE), so that a concurrent writer waits up to `timeout` seconds for its turn
    # instead of failing with "database is locked" halfway through; WAL lets reads go on.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", env.int("SQLITE_TIMEOUT", default=20))
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("pool", env.bool("DATABASE_POOL", default=False))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "personal-center"
LOGOUT_REDIRECT_URL = "home"
# Where the staff console lives, e.g. "console-7f3a/": a less obvious address draws fewer bots.
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# Scripts and styles come only from the project's own static files (no CDN); the few inline
# ones carry the per-request nonce (`{{ csp_nonce }}` in templates).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}

# django-axes locks an account out after repeated wrong passwords, for the failing address only,
# on every login (API token, pages, admin); the login pages are also rate-limited per address,
# and each account's logins are spaced out past a soft limit of failures from anywhere
# (core.auth).
AUTHENTICATION_BACKENDS = [
    "core.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attempt while locked out is refused unchecked and does not prolong the lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_ip"
LOGIN_ACCOUNT_DELAY_SECONDS = env.int("LOGIN_ACCOUNT_DELAY_SECONDS", default=10)
# The client's address (core.throttling.client_ip): the peer's, unless the peer is one of the
# proxies in FORWARDED_ALLOW_IPS (addresses or networks, the variable gunicorn reads to trust
# their X-Forwarded-Proto); then the one TRUSTED_PROXY_HOPS entries from the right of their
# X-Forwarded-For. No proxy is trusted by default (`make run`); production trusts one hop.
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=0)
TRUSTED_PROXIES = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
PAGE_THROTTLES = {
    "admin:login": "login",
    "login": "login",
    "signup": "register",
    "password-reset": "password_reset",
    "verify-email-send": "account_email",
}


def cache_config(url: str) -> dict:
    """Redis when a URL names it (counters shared by every process), else this process's memory
    (the embedded default: one process). Redis may fail: core.cache falls back to the process's
    memory meanwhile, and a Redis that stopped answering is given up on within half a second."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


CACHES = {"default": cache_config(env("CACHE_URL", default=env("REDIS_URL", default="")))}


def api_renderers(debug: bool) -> list[str]:
    """JSON; and the browsable API only where DEBUG is on (a developer's machine): elsewhere it
    would offer the API's forms, and whatever a response holds, as pages anyone may open."""
    browsable = ["rest_framework.renderers.BrowsableAPIRenderer"] if debug else []
    return ["rest_framework.renderers.JSONRenderer", *browsable]


# Request bodies, bounded by Content-Length before anything reads them (core.middleware):
# JSON and forms up to 1 MB, uploads up to three evidence images at the 5 MB limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
UPLOAD_MAX_BODY_BYTES = env.int("UPLOAD_MAX_BODY_BYTES", default=16 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 9
# With DEBUG on, a query string or form of more fields than allowed is still a 400 (core.debug).
DEFAULT_EXCEPTION_REPORTER = "core.debug.UnreadableDataExceptionReporter"
MAX_JSON_DEPTH = 32

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "merchants.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": api_renderers(DEBUG),
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "refund_file": env("THROTTLE_REFUND_FILE", default="30/hour"),
        "refund_escalate": env("THROTTLE_REFUND_ESCALATE", default="30/hour"),
        "evidence_upload": env("THROTTLE_EVIDENCE_UPLOAD", default="120/hour"),
        "refund_message": env("THROTTLE_REFUND_MESSAGE", default="120/hour"),
        # per client address
        "auth_token": env("THROTTLE_AUTH_TOKEN", default="10/minute"),
        "register": env("THROTTLE_REGISTER", default="10/hour"),
        "login": env("THROTTLE_LOGIN", default="10/minute"),
        # failed logins per account, from any address, before its logins are spaced out
        "login_account": env("THROTTLE_LOGIN_ACCOUNT", default="10/hour"),
        # asking for a password reset or an address's link: per client address (the pages),
        # and e-mails of either kind per account, whoever asks
        "password_reset": env("THROTTLE_PASSWORD_RESET", default="10/hour"),
        "account_email": env("THROTTLE_ACCOUNT_EMAIL", default="5/hour"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "After-sales dispute platform API",
    "DESCRIPTION": "Refunds, platform intervention, rulings, appeals and shop penalties.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RefundKindEnum": "disputes.models.RefundKind",
        "PenaltyKindEnum": "penalties.models.PenaltyKind",
        "PartyEnum": "disputes.models.Party",
        "CourierEnum": "disputes.models.Courier",
        "OfferOutcomeEnum": "disputes.models.OfferOutcome",
        "OutcomeEnum": "disputes.models.RulingOutcome",
    },
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="aftersales")
CELERY_TASK_IGNORE_RESULT = True
# The time limit of the outbox's tasks (an e-mail; core.tasks). With acks_late, Redis hands a
# message that was not acknowledged within the visibility timeout to another worker: it
# matches that limit, so that the work of a worker killed mid-task is done again within it
# (workers look for such messages every 5 s). No task waits on a countdown in a worker (the
# outbox retries, not Celery), and the periodic ticks that run longer are dropped as expired
# or run twice harmlessly.
OUTBOX_TASK_SECONDS = env.int("OUTBOX_TASK_SECONDS", default=30)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=OUTBOX_TASK_SECONDS),
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down fails a publish within about a second (the outbox keeps the work).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A worker waits for a broker that is down, at start-up and after, however long it takes.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the broker goes away finishes (its work is keyed in the database); its
# message, not acknowledged, is redelivered and finds the work done.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic work, for Celery beat and for the embedded scheduler of `manage.py serve` alike.
# "expires": a tick that waited longer than its interval is dropped; the next one does its work.
JOBS_SWEEP_SECONDS = env.float("JOBS_SWEEP_SECONDS", default=60)
JOBS_REMINDER_SECONDS = env.float("JOBS_REMINDER_SECONDS", default=300)
JOBS_OUTBOX_SECONDS = env.float("JOBS_OUTBOX_SECONDS", default=5)
JOBS_PAYMENTS_SECONDS = env.float("JOBS_PAYMENTS_SECONDS", default=60)
JOBS_PURGE_SECONDS = env.float("JOBS_PURGE_SECONDS", default=3600)
CELERY_BEAT_SCHEDULE = {
    "enforce-deadlines": {
        "task": "disputes.enforce_deadlines",
        "schedule": JOBS_SWEEP_SECONDS,
        "options": {"expires": JOBS_SWEEP_SECONDS},
    },
    "deadline-reminders": {
        "task": "disputes.deadline_reminders",
        "schedule": JOBS_REMINDER_SECONDS,
        "options": {"expires": JOBS_REMINDER_SECONDS},
    },
    "outbox-relay": {
        "task": "core.outbox_relay",
        "schedule": JOBS_OUTBOX_SECONDS,
        "options": {"expires": JOBS_OUTBOX_SECONDS},
    },
    "refund-payments-send-unsent": {
        "task": "disputes.refund_payments_send_unsent",
        "schedule": JOBS_PAYMENTS_SECONDS,
        "options": {"expires": JOBS_PAYMENTS_SECONDS},
    },
    "idempotency-keys-purge": {
        "task": "core.idempotency_keys_purge",
        "schedule": JOBS_PURGE_SECONDS,
        "options": {"expires": JOBS_PURGE_SECONDS},
    },
}
# The health endpoint checks the broker only where jobs go through one (production); `make
# run` runs them in its own process.
HEALTH_CHECK_BROKER = env.bool("HEALTH_CHECK_BROKER", default=False)
# The address in e-mails that link back to the platform; `manage.py serve` (make run) takes the
# address it serves on unless DJANGO_SITE_URL is set.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")
# How long the link that proves an e-mail address (core.accounts) and a password reset link
# (Django's PASSWORD_RESET_TIMEOUT) stay good.
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)

MAILERS = {
    "default": {
        "BACKEND": env("DJANGO_EMAIL_BACKEND", default="core.mail.ReadableConsoleBackend"),
    },
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="aftersales@localhost")

# How long the catalogue's size and page order may lag behind (merchants.selectors.
# CatalogueListing); what is shown is always read fresh.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=60)
# How long the dashboard's figures over many rows (paid orders over 30 and 90 days, response
# times) may lag; points, restrictions and records are always read fresh.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)

# Overrides of the platform rules (the fields of core.rules.Rules), e.g.
# {"merchant_response_window": timedelta(hours=24)}; an unknown name is an error.
PLATFORM_RULES: dict = {}
