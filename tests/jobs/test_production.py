"""The production path: settings that refuse bad secrets, `check --deploy` clean, and a
docker-compose.yml whose environment and commands the code actually knows."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.jobs.processes import APP_SERVICES, COMPOSE, gunicorn, production_env

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Records every environment variable the settings read, then prints them as JSON.
RECORD_READS = """
import json, os, sys
import environ

read = set()

class Recording(dict):
    def __getitem__(self, key):
        read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        read.add(key)
        return super().__contains__(key)

environ.Env.ENVIRON = Recording(os.environ)
import django
django.setup()
print(json.dumps(sorted(read)))
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_passes_with_the_production_environment():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("DJANGO_SECRET_KEY", None, "DJANGO_SECRET_KEY"),
        ("DJANGO_SECRET_KEY", "x", "too weak"),
        ("DJANGO_SECRET_KEY", "dev-" + "k" * 60, "too weak"),
        ("DJANGO_SECRET_KEY", "ab" * 40, "too weak"),
        ("DJANGO_ALLOWED_HOSTS", None, "DJANGO_ALLOWED_HOSTS"),
        ("DATABASE_URL", None, "DATABASE_URL"),
        ("CELERY_BROKER_URL", None, "CELERY_BROKER_URL"),
        ("CACHE_URL", None, "CACHE_URL"),
        ("DJANGO_EMAIL_URL", None, "DJANGO_EMAIL_URL"),
        ("DJANGO_EMAIL_URL", "consolemail://", "SMTP"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(variable, value, complaint):
    env = production_env()
    if value is None:
        env.pop(variable)
    else:
        env[variable] = value

    result = run([sys.executable, "manage.py", "check"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr


def test_production_on_sqlite_starts_without_a_connection_pool():
    result = run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; "
            "print(connection.vendor, connection.settings_dict['OPTIONS'].get('pool'))",
        ],
        production_env(DATABASE_URL="sqlite:////tmp/prod-check.sqlite3"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "sqlite None"


BROWSER_ASKS_THE_API = """
from django.test import Client
answer = Client().get(
    "/api/v1/auth/token/", HTTP_ACCEPT="text/html,*/*", HTTP_HOST="localhost", secure=True
)
print(answer.status_code, answer["Content-Type"])
"""


def test_production_answers_a_browser_with_json_not_the_browsable_api():
    # Even with DJANGO_DEBUG set by mistake: production is never DEBUG.
    env = production_env(DATABASE_URL="sqlite:////tmp/prod-check.sqlite3", DJANGO_DEBUG="true")
    result = run([sys.executable, "manage.py", "shell", "-c", BROWSER_ASKS_THE_API], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "405 application/json"


def test_every_variable_compose_sets_is_read_by_the_settings():
    env = production_env()
    result = run([sys.executable, "-c", RECORD_READS], env)
    assert result.returncode == 0, result.stderr
    read = set(json.loads(result.stdout.strip().splitlines()[-1]))

    for name, service in APP_SERVICES.items():
        unread = set(service["environment"]) - read
        assert not unread, f"{name} sets {sorted(unread)}, which no setting reads"


def commands_of(service: dict) -> list[list[str]]:
    found = []
    for command in (service.get("command"), service.get("healthcheck", {}).get("test")):
        if command is None:
            continue
        if isinstance(command, str):
            command = shlex.split(command)
        if command[0] in ("CMD", "CMD-SHELL"):
            command = command[1:] if command[0] == "CMD" else shlex.split(command[1])
        found.append([part.replace("$$", "$") for part in command])
    return found


def test_every_command_compose_runs_exists():
    from django.core.management import get_commands

    for service in APP_SERVICES.values():
        for command in commands_of(service):
            program = command[0]
            assert program in {"python", "gunicorn", "celery"}, command
            if program == "python" and command[1] == "manage.py":
                assert command[2] in get_commands(), command
            elif program == "python":
                assert command[1] == "-c"
                compile(command[2], "<healthcheck>", "exec")
            elif program == "gunicorn":
                assert (BIN / "gunicorn").exists()
                __import__(command[1])  # the WSGI module
                assert (ROOT / command[command.index("--config") + 1]).exists()
            else:
                app = command[command.index("-A") + 1]
                result = run(
                    [str(BIN / "celery"), "-A", app, command[3], "--help"], production_env()
                )
                assert result.returncode == 0, (command, result.stderr)


def test_the_production_path_has_no_development_server_debug_or_demo_data():
    everything = json.dumps(COMPOSE) + (ROOT / "Dockerfile").read_text()
    for development_only in ("runserver", "load_demo", "DJANGO_DEBUG", "settings.local"):
        assert development_only not in everything
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in (ROOT / "Dockerfile").read_text()
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(COMPOSE["services"])
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in COMPOSE["services"][name], name


def test_gunicorn_serves_production_over_https_only_and_reports_health(tmp_path):
    # This test stands where the proxy would: at the address gunicorn is told to believe.
    with gunicorn(tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1") as get:
        status, _headers, body = get("/health/")
        assert status == 200
        assert json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}

        status, headers, _body = get("/api/v1/products/")
        assert status == 301 and headers["Location"] == "https://localhost/api/v1/products/"

        status, headers, _body = get("/health/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_gunicorn_does_not_believe_https_from_anyone_but_the_proxy(tmp_path):
    # Compose's proxy address, which is not this test's.
    with gunicorn(tmp_path) as get:
        status, headers, _body = get("/api/v1/products/", **{"X-Forwarded-Proto": "https"})

    assert status == 301 and headers["Location"] == "https://localhost/api/v1/products/"
