"""The interactive API docs run under the site's Content-Security-Policy: every script on the
page is a file of our own (the policy's 'self') or carries the nonce the header allows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = {**dict(attrs), "body": ""}
            self.found.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def script_sources(policy: str) -> list[str]:
    directive = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    return directive.split()[1:]


def test_every_script_of_the_docs_page_is_one_the_policy_allows(client):
    page = client.get("/api/docs/")

    assert page.status_code == 200
    allowed = script_sources(page["Content-Security-Policy"])
    nonces = {s[len("'nonce-") : -1] for s in allowed if s.startswith("'nonce-")}
    parser = Scripts()
    parser.feed(page.content.decode())
    assert len(parser.found) >= 3  # Swagger UI's two bundles and its start-up script
    for script in parser.found:
        if "src" in script:
            assert "'self'" in allowed
            assert re.match(r"^/(static|api)/", script["src"]), script  # our own files
            assert not script["body"].strip()
        else:
            assert script.get("nonce") in nonces, script


def test_the_start_up_script_is_a_file_that_loads_our_schema(client):
    page = client.get("/api/docs/")
    parser = Scripts()
    parser.feed(page.content.decode())
    start_up = next(s["src"] for s in parser.found if s["src"].startswith("/api/docs/"))

    script = client.get(start_up)

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    assert "SwaggerUIBundle" in script.content.decode()
