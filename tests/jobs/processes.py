"""Real Celery worker and beat processes for the integration tests, bounded in time and always
cleaned up."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database (pytest-django's `test_…`), for the other processes."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


class Jobs:
    """Start workers, beat (and a Redis server of our own) against the test database; every
    process is stopped at the end, killed if it does not stop."""

    def __init__(self, tmp_path: Path, broker_url: str, **env: str):
        self.tmp = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir(parents=True)
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.jobs.process_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            # A queue of this test's own: other runs on the same Redis never take its tasks.
            "CELERY_QUEUE": f"test-{uuid.uuid4().hex}",
            "TEST_EMAIL_DIR": str(self.mail_dir),
            "JOBS_SWEEP_SECONDS": "1",
            "JOBS_OUTBOX_SECONDS": "0.5",
            "JOBS_REMINDER_SECONDS": "3600",
            **env,
        }

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def worker(self, name: str = "worker") -> subprocess.Popen:
        return self._start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                "-n",
                f"{name}-{uuid.uuid4().hex[:8]}@%h",
            ],
        )

    def beat(self) -> subprocess.Popen:
        return self._start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(self.tmp / "beat-schedule"),
            ],
        )

    def redis(self, port: int) -> subprocess.Popen:
        return self._start(
            "redis",
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )

    def emails(self) -> list:
        return [message_from_bytes(p.read_bytes()) for p in sorted(self.mail_dir.glob("*.eml"))]

    def sending(self) -> list[Path]:
        return list(self.mail_dir.glob("*.sending"))

    def log(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs.iterdir()
        )

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
