"""Production: behind an HTTPS proxy, on PostgreSQL and Redis, with real e-mail.

It refuses to start without its secrets (ImproperlyConfigured names the one missing), and with
a secret key an attacker could guess. `manage.py check --deploy --fail-level WARNING` passes
with these settings (tests/jobs/test_production.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, REST_FRAMEWORK, api_renderers, cache_config, env

DEBUG = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(DEBUG)}

SECRET_KEY = env("DJANGO_SECRET_KEY")
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith(("dev-", "django-insecure"))
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The database must be named; psycopg's pool only where there is one (PostgreSQL).
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = env.bool("DATABASE_POOL", default=True)

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CACHES = {"default": cache_config(env("CACHE_URL"))}
if CACHES["default"]["BACKEND"] != "core.cache.FailSafeRedisCache":
    raise ImproperlyConfigured("CACHE_URL must name a Redis server in production (redis://…).")
HEALTH_CHECK_BROKER = True

# HTTPS only: the proxy terminates TLS and says so in X-Forwarded-Proto, which gunicorn believes
# only from the proxy's address (FORWARDED_ALLOW_IPS) and turns into the request's scheme; Django
# reads that scheme, not the header anyone could send. The client's address is the one the proxy
# appended to X-Forwarded-For (one hop, as in compose; core.throttling.client_ip).
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the container's own health check speaks plain HTTP
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Static files served by the app itself (whitenoise), compressed and with hashed names.
MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, whitenoise right after it
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Real e-mail, chosen by DJANGO_EMAIL_URL: smtp+tls://user:password@host:587 (or smtp://,
# smtps://); the password may be percent-encoded.
_email = env.email_url("DJANGO_EMAIL_URL")
if _email["EMAIL_BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    raise ImproperlyConfigured("DJANGO_EMAIL_URL must name an SMTP server in production.")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": _email["EMAIL_HOST"],
            "port": _email["EMAIL_PORT"],
            "username": _email["EMAIL_HOST_USER"],
            "password": _email["EMAIL_HOST_PASSWORD"],
            "use_tls": _email.get("EMAIL_USE_TLS", False),
            "use_ssl": _email.get("EMAIL_USE_SSL", False),
            "timeout": 10,
        },
    },
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Structured logs: one JSON object per line on stdout, for the container's log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
