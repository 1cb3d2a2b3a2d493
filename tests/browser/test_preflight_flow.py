"""Pre-flight in a real browser: a large pool's check runs as a job, its report appears on the page,
and an edit marks the report outdated until the check runs again."""

from __future__ import annotations

import pytest

from filings import services
from filings.models import PreflightRun
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_large_pools_preflight_runs_as_a_job_and_goes_stale_after_an_edit(
    page, preparer, gapped_filing, settings
):
    settings.PREFLIGHT_INLINE_MAX_ASSETS = -1  # the live server shares it: even an empty pool is "large"
    login(page, preparer.username, PASSWORD)
    page.goto(f"/filings/{gapped_filing.reference}/preflight/")
    assert page.locator("[data-testid=preflight-no-report]").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preflight-job-zh-before.png"), full_page=True)

    page.click("[data-testid=run-preflight]")
    page.wait_for_selector("[data-testid=preflight-run][data-status=succeeded]")

    run = PreflightRun.objects.get(filing=gapped_filing)
    summary = page.locator("[data-testid=preflight-summary]").inner_text()
    assert f"{run.blocking_count}" in summary
    assert all(page.get_by_text(f["code"], exact=True).count() for f in run.findings)
    page.screenshot(path=str(ARTIFACTS / "preflight-job-zh-report.png"), full_page=True)

    services.update_section(
        filing_id=gapped_filing.pk,
        section="token",
        fields={"settlement_currency": "HKD"},
        rows={},
        expected_version=gapped_filing.token.version,
        by=preparer,
    )
    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]")
    page.goto(f"/filings/{gapped_filing.reference}/preflight/")
    assert page.locator("[data-testid=preflight-outdated]").is_visible()
    assert page.locator("[data-testid=run-preflight]").inner_text() == "Run the check again"
    page.screenshot(path=str(ARTIFACTS / "preflight-job-en-outdated.png"), full_page=True)

    page.click("[data-testid=run-preflight]")
    page.wait_for_selector("[data-testid=preflight-run][data-status=succeeded]")
    assert page.locator("[data-testid=preflight-outdated]").count() == 0
    assert PreflightRun.objects.filter(filing=gapped_filing, status="succeeded").count() == 2
