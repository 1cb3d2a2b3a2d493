"""Issue 16: the mapping screen's required-columns panel and stored-rows preview follow each change in a
real browser, in place (no reload), in both languages; the cut-off date comes from the upload."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from assets import services as pool_services
from filings.pools import ensure_pool, set_cutoff_date
from tests.assets.test_mapping_screen import foreign_tape
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def mapping_path(preparer):
    from filings.models import Filing
    from filings.services import create_filing

    filing = create_filing(
        organisation=preparer.organisation,
        title="应收账款 2027-1",
        asset_class="trade_receivable",
        by=preparer,
    )
    filing = Filing.objects.get(pk=filing.pk)
    set_cutoff_date(filing=filing, cutoff=dt.date(2025, 12, 31), by=preparer)
    pool = ensure_pool(filing)
    upload = pool_services.receive_tape(
        pool_id=pool.pk, upload=io.BytesIO(foreign_tape()), kind="assets", by=preparer, file_name="export.csv"
    )
    return f"/filings/{filing.reference}/pool/uploads/{upload.pk}/mapping/"


# The required columns the file lacks, named by their labels (never their codes).
MISSING = {"zh-hans": ("资产编号", "未偿本金余额"), "en": ("Asset ID", "Outstanding amount")}


@pytest.mark.parametrize(
    ("language", "complete"),
    [("zh-hans", "每个必填列都有来源"), ("en", "Every required column has a source")],
)
def test_the_panel_follows_each_choice_without_a_reload(page, preparer, mapping_path, language, complete):
    login(page, preparer.username, PASSWORD)
    if language == "en":
        page.select_option("#language-switch", "en")
        page.wait_for_selector("html[lang=en]")
    page.goto(mapping_path)
    page.evaluate("() => { window.loadedOnce = true; }")

    assert (
        page.inner_text("[data-testid=mapping-cutoff]")
        == {"zh-hans": "2025年12月31日", "en": "31 Dec 2025"}[language]
    )
    missing = MISSING[language]
    assert page.inner_text("[data-testid=missing-required]") == ", ".join(missing)
    assert page.locator("[data-testid=other-columns]").get_attribute("open") is None  # folded

    page.select_option("select[name=col__asset_id]", "Ref No")
    page.wait_for_function(
        "name => document.querySelector('[data-testid=missing-required]')?.textContent === name",
        arg=missing[1],
    )
    page.select_option("select[name=col__outstanding_amount]", "Balance (10k)")
    page.wait_for_selector("[data-testid=required-complete]")

    assert page.inner_text("[data-testid=required-complete]") == complete
    assert page.locator("[data-testid=stored-preview] tbody tr").count() == 3
    page.select_option("select[name=amount_unit]", "wan")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stored-preview] tbody td')]"
        ".some(td => td.textContent === '805000.0')"
    )
    assert page.evaluate("() => window.loadedOnce === true")
