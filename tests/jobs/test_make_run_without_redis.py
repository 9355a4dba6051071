"""A newcomer's `make run` (manage.py serve) with no Redis at all still auto-approves a silent
merchant's refund once its window passes, and tells the buyer in the app and by e-mail, with a
link to the address it serves on."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email import message_from_bytes

from tests.jobs.processes import ROOT, free_port, wait_for


class Api:
    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Token {self.token}"} if self.token else {}),
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def user(self, name: str) -> Api:
        password = "a-long-pass-phrase"
        self.call(
            "POST",
            "/api/v1/auth/register/",
            {"username": name, "password": password, "email": f"{name}@example.com"},
        )
        token = self.call("POST", "/api/v1/auth/token/", {"username": name, "password": password})
        return Api(self.base, token["token"])


def test_make_run_without_redis_auto_approves_and_notifies(tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "tests.jobs.serve_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "TEST_EMAIL_DIR": str(mail_dir),
        "JOBS_SWEEP_SECONDS": "1",
        "JOBS_OUTBOX_SECONDS": "0.5",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [*manage, "serve", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        anonymous = Api(f"http://127.0.0.1:{port}")

        def up():
            try:
                return anonymous.call("GET", "/api/v1/products/") is not None
            except (urllib.error.URLError, ConnectionError):
                return False

        wait_for(up, timeout=60, what="the server")
        merchant, buyer = anonymous.user("shopkeeper"), anonymous.user("shopper")
        shop = merchant.call("POST", "/api/v1/shops/", {"name": "天 Flagship"})
        product = merchant.call(
            "POST", f"/api/v1/shops/{shop['id']}/products/", {"title": "Jacket", "price": "99.00"}
        )
        order = buyer.call("POST", "/api/v1/orders/", {"product": product["id"], "quantity": 1})
        buyer.call("POST", f"/api/v1/orders/{order['id']}/pay/")
        refund = buyer.call(
            "POST",
            "/api/v1/refunds/",
            {
                "order": order["id"],
                "kind": "refund_only",
                "reason": "not_received",
                "amount": "99.00",
                "description": "never came",
            },
        )
        assert refund["state"] == "requested"

        wait_for(
            lambda: buyer.call("GET", f"/api/v1/refunds/{refund['id']}/")["state"] == "refunded",
            timeout=60,
            what="the auto-approval",
        )

        def buyer_emails():
            found = [message_from_bytes(p.read_bytes()) for p in mail_dir.glob("*.eml")]
            return [m for m in found if m["To"] == "shopper@example.com"]

        wait_for(buyer_emails, timeout=30, what="the buyer's e-mail")
        time.sleep(2)  # more sweeps and relays: nothing more may arrive
        notices = buyer.call("GET", "/api/v1/notifications/")["results"]
        assert [n["kind"] for n in notices] == ["refunded"]
        assert len(buyer_emails()) == 1
        # Its link leads back to where the site is served, not to a fixed 127.0.0.1:8000.
        (email,) = buyer_emails()
        assert f"http://127.0.0.1:{port}" in email.get_payload(decode=True).decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    assert "no broker" in (tmp_path / "serve.log").read_text()
