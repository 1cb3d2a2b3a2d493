"""An issuer builds a filing in a real browser: a notice-42 hit shows as they type, nothing is lost."""

from __future__ import annotations

import pytest

from filings.models import Filing
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_preparer_creates_a_draft_and_the_banned_term_is_caught_inline(page, preparer):
    login(page, preparer.username, PASSWORD)
    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]")

    page.goto("/filings/new/")
    page.fill("input[name=title]", "Toll road ABS token 2027-1")
    page.select_option("select[name=asset_class]", "toll_income")
    page.click("button[type=submit].btn")
    page.wait_for_selector("[data-testid=reference]")
    filing = Filing.objects.get(title="Toll road ABS token 2027-1")

    page.goto(f"/filings/{filing.reference}/section/entity/")
    page.fill("input[name=s-legal_representative]", "陈某")
    page.fill("textarea[name=s-business_scope]", "高速公路经营；ＲＷＡ 业务咨询")
    page.locator("textarea[name=s-business_scope]").blur()
    error = page.locator("#section-form .errorlist").first
    error.wait_for()  # the inline (HTMX) check answered without saving

    assert "Notice 42" in error.inner_text() and "ＲＷＡ" in error.inner_text()
    assert page.input_value("input[name=s-legal_representative]") == "陈某"
    filing.refresh_from_db()
    assert filing.entity.business_scope == ""

    page.fill("textarea[name=s-business_scope]", "高速公路经营")
    page.click("button[name=_save]")
    assert page.locator(".messages .success").inner_text() == "Filing entity saved."

    entity = Filing.objects.get(pk=filing.pk).entity
    assert (entity.legal_representative, entity.business_scope, entity.version) == ("陈某", "高速公路经营", 1)
