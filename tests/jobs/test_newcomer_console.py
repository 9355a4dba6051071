"""What `make run` writes on the newcomer's terminal: e-mails a person can read, and the demo's
logins last, after the first e-mails rather than scrolled away by them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command

from core import scheduler
from core.mail import ReadableConsoleBackend
from core.scheduler import EmbeddedScheduler


def test_a_console_email_reads_as_text_not_base64():
    stream = StringIO()
    message = EmailMessage(
        "【售后】订单 2611238077508217 退款成功",
        "buyer，您好：\n\n¥349.00 已退回。",
        to=["buyer@x.cn"],
    )

    ReadableConsoleBackend(stream=stream).send_messages([message])

    written = stream.getvalue()
    assert "E-mail to buyer@x.cn" in written
    assert "Subject: 【售后】订单 2611238077508217 退款成功" in written
    assert "¥349.00 已退回。" in written
    assert "base64" not in written


def test_the_step_after_the_first_round_runs_once_after_every_job(monkeypatch):
    ran = []
    monkeypatch.setattr(scheduler, "run_entry", ran.append)
    jobs = EmbeddedScheduler(
        schedule={"sweep": {"task": "a", "schedule": 60}, "outbox": {"task": "b", "schedule": 60}},
        after_first_round=lambda: ran.append("logins"),
    )

    jobs.start()
    jobs.stopped.wait(0.6)  # a few more rounds: the jobs are not due again for a minute
    jobs.stop()
    jobs.join(timeout=2)

    assert ran == ["a", "b", "logins"]


@pytest.mark.django_db
def test_demo_logins_prints_the_logins_and_the_site(settings):
    call_command("load_demo", "--force", stdout=StringIO())
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()

    call_command("demo_logins", stdout=out)

    assert "taobao2    | demo1234" in out.getvalue()
    assert out.getvalue().rstrip().endswith("The site: http://127.0.0.1:8123/")
