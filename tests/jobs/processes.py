"""Real Celery worker and beat processes for the integration tests, bounded in time and always
cleaned up."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path

import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {
    name: service for name, service in COMPOSE["services"].items() if "build" in service
}
# What compose interpolates: ${NAME:?error} and ${NAME:-default}.
INTERPOLATION = re.compile(r"\$\{(\w+)(?::[?-]([^}]*))?\}")


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


def production_env(**overrides) -> dict[str, str]:
    """The environment compose gives the app, with its ${…} filled as an operator would."""
    filled = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": "s3cret",
        "DJANGO_EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.com:587",
    }

    def fill(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        return filled.get(name) or os.environ.get(name) or default or ""

    compose_env = {
        key: INTERPOLATION.sub(fill, str(value))
        for key, value in APP_SERVICES["web"]["environment"].items()
    }
    # Where the test's own database and Redis are, so that the settings can be loaded here.
    compose_env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    return {
        **base,
        **compose_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        **overrides,
    }


@contextlib.contextmanager
def gunicorn(tmp_path, **env: str):
    """gunicorn with the production settings (on SQLite and the test Redis unless `env` says
    otherwise) on a port of its own; yields a GET function."""
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": redis_url,
        "CACHE_URL": redis_url,
        "WEB_CONCURRENCY": "1",
        **env,
    }
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=production_env(**settings),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )

    def get(path: str, **headers: str):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path, headers={"Host": "localhost", **headers})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def up():
        try:
            return get("/health/")
        except OSError:
            return None

    get.port = port
    get.log = lambda: log.read_text(errors="replace")[-5000:]
    try:
        wait_for(up, timeout=60, what="gunicorn")
        yield get
    finally:
        server.terminate()
        server.wait(timeout=20)
