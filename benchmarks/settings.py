"""The web benchmark's settings: the product's base settings, served as in production (DEBUG
off, pooled connections), plus the bare baseline views of `benchmarks.urls`.

Only the action throttles are raised: the refund filing POST is measured at hundreds a second,
and the product's 30 an hour per buyer would answer 429 to all but the first.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, INSTALLED_APPS, REST_FRAMEWORK

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
# As production: each worker keeps its connections in a small pool.
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 2}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute"
    ),
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
