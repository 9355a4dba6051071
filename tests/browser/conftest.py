"""Playwright on Debian's chromium, against pytest-django's live server.

Fixtures: `browser` (one per session), `page` (a fresh desktop context per test, zh-hans unless
the test asks otherwise with `page_language`), and `shoot(page, name)`, which saves the page at a
phone and a desktop width into `.screenshots/` (or `$SCREENSHOTS_DIR`) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS_DIR = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / ".screenshots")
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ACCEPT_LANGUAGE = {"zh-hans": "zh-CN,zh;q=0.9", "en": "en-US,en;q=0.9"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: `apt-get install chromium` (make test does)"
        )
    with sync_playwright() as playwright:
        # --no-sandbox: CI and these machines run as root, where chromium's sandbox refuses to start.
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page_language():
    return "zh-hans"


@pytest.fixture
def page(browser, live_server, page_language):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="zh-CN" if page_language == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[page_language]},
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def shoot():
    """Save `page` as `<name>-phone.png` and `<name>-desktop.png`; returns the two paths."""

    def save(page, name: str) -> list[Path]:
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        viewport = page.viewport_size
        paths = []
        for width_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            path = SCREENSHOTS_DIR / f"{name}-{width_name}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        page.set_viewport_size(viewport)
        return paths

    return save
