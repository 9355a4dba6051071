"""Settings of the Celery worker and beat processes that the integration tests start: the test
settings, with e-mail written to files in TEST_EMAIL_DIR and Redis's redelivery made quick."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

MAILERS = {
    "default": {
        "BACKEND": "tests.jobs.mail.OneFilePerMessage",
        "OPTIONS": {
            "file_path": os.environ["TEST_EMAIL_DIR"],
            "delay": float(os.environ.get("TEST_EMAIL_DELAY", "0")),
        },
    }
}
# A killed worker's task is handed out again after the visibility timeout: short here, and
# looked for every second, so that the test does not wait an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
