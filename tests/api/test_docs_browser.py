"""In a real browser: a person makes a token on the profile page, and the offline Swagger UI and Redoc
render the API's reference under the site's content security policy."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, login, page  # noqa: F401 — the browser suite's fixtures
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_token_is_made_on_the_profile_page_and_the_reference_renders(page, preparer):  # noqa: F811
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    login(page, preparer.username, PASSWORD)

    page.click("text=API 令牌")
    page.fill("input[name=name]", "贷款台账")
    page.check("input[name=scopes][value=tapes]")
    page.click("button:has-text('创建令牌')")
    secret = page.locator("[data-testid=new-token] code").inner_text()
    assert secret.startswith("fdk_")
    assert page.locator("table").inner_text().count("贷款台账") == 1

    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Filing Desk API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 35
    page.goto("/api/v1/redoc/")
    page.wait_for_selector("text=Filing Desk API")
    # Redoc's bundle links a "powered by" logo on its CDN; the policy blocks it, nothing else is refused.
    assert [text for text in refused if "cdn.redoc.ly/redoc/logo-mini.svg" not in text] == []
