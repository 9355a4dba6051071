"""Settings of the Celery worker and beat processes that the integration tests start: the test
settings, with e-mail written to files in TEST_EMAIL_DIR."""

import os

from config.settings.test import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.jobs.mail.OneFilePerMessage",
        "OPTIONS": {
            "file_path": os.environ["TEST_EMAIL_DIR"],
            "delay": float(os.environ.get("TEST_EMAIL_DELAY", "0")),
        },
    }
}
