"""A mail backend for the tests with real worker processes: one file per message, so that
another process can count what was sent; optionally slow, so a test can kill a worker mid-send."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class OneFilePerMessage(BaseEmailBackend):
    def __init__(self, *, file_path: str, delay: float = 0, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(file_path)
        self.delay = delay

    def send_messages(self, messages) -> int:
        for message in messages:
            name = uuid.uuid4().hex
            (self.directory / f"{name}.sending").write_text(str(os.getpid()))
            time.sleep(self.delay)
            (self.directory / f"{name}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
