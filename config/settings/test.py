"""The test suite: PostgreSQL when DATABASE_URL is set (as in CI), SQLite otherwise."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared memory: concurrent connections must meet SQLite's real write lock.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
# Generous limits so that tests which are not about throttling never meet them.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "refund_file": "1000/minute",
        "refund_escalate": "1000/minute",
        "evidence_upload": "1000/minute",
        "refund_message": "1000/minute",
        "auth_token": "1000/minute",
        "register": "1000/minute",
        "login": "1000/minute",
        "login_account": "1000/minute",
        "password_reset": "1000/minute",
        "account_email": "1000/minute",
    },
}

# Tests see the catalogue as it is; tests/test_catalogue_listing.py turns the cache on.
CATALOGUE_CACHE_SECONDS = 0
DASHBOARD_CACHE_SECONDS = 0

# The benchmarks' commands, so that their smoke test runs them; the demo data and the
# workflow driver the tests share with it (neither is installed in production).
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks", "demo"]  # noqa: F405
