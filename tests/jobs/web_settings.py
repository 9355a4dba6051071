"""The production settings for a web process that a test starts: all of them, except that static
files are served as they are in the repository (the image collects them at build time, with
hashed names, which a test has not done)."""

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
