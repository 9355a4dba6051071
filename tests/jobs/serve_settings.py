"""`make run`'s settings with the merchant's response window shortened to seconds, and its
e-mail written to files, for the newcomer's check (test_make_run_without_redis)."""

import os
from datetime import timedelta

from config.settings.local import *  # noqa: F403

PLATFORM_RULES = {
    "merchant_response_window": timedelta(seconds=3),
    "merchant_response_window_unshipped": timedelta(seconds=3),
}
MAILERS = {
    "default": {
        "BACKEND": "tests.jobs.mail.OneFilePerMessage",
        "OPTIONS": {"file_path": os.environ["TEST_EMAIL_DIR"]},
    }
}
