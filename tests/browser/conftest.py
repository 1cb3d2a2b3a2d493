"""Playwright driving Debian's Chromium (no browser download) against the live test server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")  # the sync driver runs an event loop in this thread while it lives
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


_last_code: dict[str, str] = {}


def fresh_totp_code(username: str, secret: str | None = None) -> str:
    """A code the server has not seen for this person yet (a TOTP code is good once per period)."""
    import time

    from tests.accounts.mfa_support import TEST_TOTP_SECRET, totp_code

    code = totp_code(secret or TEST_TOTP_SECRET)
    while _last_code.get(username) == code:
        time.sleep(1)
        code = totp_code(secret or TEST_TOTP_SECRET)
    _last_code[username] = code
    return code


def login(page, username: str, password: str) -> None:
    """Sign in through the form; people whose role needs a second factor type a TOTP code from
    the test secret (they are enrolled with it first, as if they had scanned the QR code)."""
    from accounts.models import User
    from accounts.security import requires_mfa
    from tests.accounts.mfa_support import enrol_totp

    user = User.objects.filter(username=username).first()
    needs_code = user is not None and requires_mfa(user)
    if needs_code:
        enrol_totp(user)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].btn")
    if needs_code:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", fresh_totp_code(username))
        page.press("input[name=code]", "Enter")
    if user is not None and user.role == "":
        page.wait_for_selector("[data-testid=who]")  # no role, no dashboard
    else:
        page.wait_for_selector("[data-testid=dashboard-title]")
