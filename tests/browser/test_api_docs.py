"""The interactive API docs open in a real browser under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_show_the_operations_and_the_policy_refuses_nothing(page):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    page.goto("/api/docs/")

    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 30  # every operation of the schema
    assert "/api/v1/refunds/" in page.locator("#swagger-ui").inner_text()
    assert refused == []
