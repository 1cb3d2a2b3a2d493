"""Typed amounts read with thousands separators; leaving a form with unsaved changes asks first."""

from __future__ import annotations

from decimal import Decimal

import pytest

from filings.models import Filing
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_amounts_are_grouped_and_unsaved_changes_are_not_lost_silently(page, preparer, draft_filing):
    login(page, preparer.username, PASSWORD)
    page.context.add_cookies([{"name": "filingdesk_language", "value": "en", "url": page.url}])
    dialogs: list[str] = []

    def answer(dialog) -> None:  # "Stay on this page"
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    url = f"/filings/{draft_filing.reference}/section/entity/"
    page.goto(url)

    page.fill("input[name=s-registered_capital]", "1234567.8")
    page.press("input[name=s-registered_capital]", "Tab")
    assert page.input_value("input[name=s-registered_capital]") == "1,234,567.80"
    page.fill("input[name=s-paid_in_capital]", "500000")
    page.press("input[name=s-paid_in_capital]", "Tab")
    assert page.input_value("input[name=s-paid_in_capital]") == "500,000.00"

    with page.expect_event("dialog"):  # away, with nothing saved: the browser asks, the person stays
        page.click("header.site a.brand", no_wait_after=True)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(url)
    assert page.input_value("input[name=s-registered_capital]") == "1,234,567.80"

    page.click("button[name=_save]")  # saving is leaving on purpose: no question
    page.wait_for_selector(".messages .success")
    entity = Filing.objects.get(pk=draft_filing.pk).entity
    assert entity.registered_capital == Decimal("1234567.80")
    assert entity.paid_in_capital == Decimal("500000.00")
    assert page.input_value("input[name=s-registered_capital]") == "1,234,567.80"

    page.click("header.site a.brand")
    page.wait_for_selector("[data-testid=dashboard-title]")
    assert dialogs == ["beforeunload"]
