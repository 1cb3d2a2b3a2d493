"""Each role signs in in a real browser, sees its own dashboard, and reads it in both languages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DASHBOARDS = {
    "preparer": ("我们的备案", "Our filings"),
    "signatory": ("我们的备案", "Our filings"),
    "reviewer": ("我的审核队列", "My review queue"),
    "lead": ("待分配与将到期", "Unassigned and due"),
    "admin": ("用户与审计", "Users and audit"),
}
ADMIN_ONLY_NAV = ("审计日志", "Audit log")


@pytest.mark.parametrize("role", list(DASHBOARDS))
def test_role_sees_own_dashboard_and_switches_language(page, request, role):
    fixture = {"admin": "admin_user"}.get(role, role)
    user = request.getfixturevalue(fixture)
    zh, en = DASHBOARDS[role]

    login(page, user.username, PASSWORD)

    title = page.locator("[data-testid=dashboard-title]")
    assert title.inner_text() == zh
    others = {t for r, (t, _e) in DASHBOARDS.items() if t != zh}
    assert not any(page.get_by_role("heading", name=other).count() for other in others)
    nav = page.locator("header nav").inner_text()
    assert (ADMIN_ONLY_NAV[0] in nav) is (role == "admin")

    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("[data-testid=dashboard-title]").inner_text() == en
    page.reload()
    assert page.locator("[data-testid=dashboard-title]").inner_text() == en  # the choice is remembered


def test_wrong_password_shows_a_translated_message(page, preparer):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "preparer")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit].btn")
    assert "用户名或密码不正确" in page.locator(".errorlist").inner_text()
