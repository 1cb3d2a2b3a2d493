"""Issue 5's "Done when", in a real browser: an issuer whose business scope says 稳定币, whose pool lends
to a financing platform and whose settlement asset is an offshore-RMB stablecoin sees each problem
named, cited and linked, cannot submit, fixes all three through the screens and submits; the lead
reviewer then reads the same findings frozen in the snapshot."""

from __future__ import annotations

import pytest

from desk.demo import fill_filing, spoil_filing
from desk.demo_pool import demo_cutoff, receivable_tape
from filings.models import Filing
from filings.services import create_filing
from filings.workflow import FilingState
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROBLEMS = ("N42-SCOPE", "NEG-LGFV", "TOKEN-STABLECOIN")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"guard-{name}.png"), full_page=True)


def logout(page) -> None:
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_selector("input[name=username]")


@pytest.fixture
def spoiled_filing(preparer, signatory):
    filing = create_filing(
        organisation=preparer.organisation,
        title="城投应收账款 2026-1",
        asset_class="trade_receivable",
        by=preparer,
    )
    fill_filing(filing, preparer, signatory, name_zh="甲发行人有限公司", code="91330000MA27U0001R")
    spoil_filing(filing, preparer)
    return Filing.objects.get(pk=filing.pk)


def test_the_issuer_sees_every_problem_cannot_submit_fixes_them_and_the_reviewer_reads_them_frozen(
    page, preparer, signatory, lead, spoiled_filing, tmp_path
):
    ref = spoiled_filing.reference
    login(page, signatory.username, PASSWORD)
    page.goto(f"/filings/{ref}/preflight/")

    # Each problem is named as blocking, cited and linked to the field to fix.
    for code in PROBLEMS:
        finding = page.locator(f"[data-testid=finding-{code}]")
        assert finding.locator(".badge.blocking").inner_text() == "阻断"
        assert "依据" in finding.inner_text()
    scope = page.locator("[data-testid=finding-N42-SCOPE]")
    assert "稳定币" in scope.inner_text() and "银发〔2026〕42号" in scope.inner_text()
    assert "融资平台" in page.inner_text("[data-testid=finding-NEG-LGFV]")
    assert "人民币" in page.inner_text("[data-testid=finding-TOKEN-STABLECOIN]")
    shot(page, "1-findings")
    scope.locator("a", has_text="前往该字段").click()
    page.wait_for_selector("textarea[name=s-business_scope]")
    assert page.url.endswith(f"/filings/{ref}/section/entity/#field-business_scope")
    assert page.locator("#field-business_scope textarea[name=s-business_scope]").is_visible()  # it lands

    # Submission is refused, with the blocking findings' messages.
    page.goto(f"/filings/{ref}/")
    page.click("[data-testid=do-submit]")
    page.click("[data-testid=confirm-go]")  # the summary listing open warnings
    refused = page.inner_text(".messages")
    assert all(code in refused for code in PROBLEMS)
    assert Filing.objects.get(pk=spoiled_filing.pk).state == FilingState.DRAFT
    shot(page, "2-refused")
    logout(page)

    # The preparer fixes the three problems through the forms and a corrected tape.
    login(page, preparer.username, PASSWORD)
    page.goto(f"/filings/{ref}/section/entity/")
    scope_text = page.input_value("textarea[name=s-business_scope]")
    page.fill("textarea[name=s-business_scope]", scope_text.replace("稳定币发行与兑换咨询服务。", ""))
    page.click("button[name=_save]")
    page.wait_for_selector(".messages .success")

    page.goto(f"/filings/{ref}/section/token/")
    page.select_option("select[name=s-settlement_asset]", "fiat")
    page.fill("input[name=s-settlement_currency]", "USD")
    for name in ("stablecoin_issuer", "stablecoin_peg_currency"):
        page.fill(f"input[name=s-{name}]", "")
    page.click("button[name=_save]")
    page.wait_for_selector(".messages .success")

    cutoff = demo_cutoff()
    tape = tmp_path / "资产池-已更正.csv"
    tape.write_bytes(receivable_tape(cutoff))
    page.goto(f"/filings/{ref}/pool/")
    page.set_input_files("input[name=file]", str(tape))
    page.fill("input[name=cutoff_date]", cutoff.isoformat())
    page.click("[data-testid=upload-tape]")
    page.wait_for_selector("[data-outcome=accepted]")

    page.goto(f"/filings/{ref}/preflight/")
    shot(page, "3-fixed")
    assert page.inner_text("[data-testid=preflight-summary]").startswith("0 项阻断")
    for code in PROBLEMS:
        assert page.locator(f"[data-testid=finding-{code}]").count() == 0
    logout(page)

    # The signatory submits; the lead reviewer reads the findings frozen in the snapshot.
    login(page, signatory.username, PASSWORD)
    page.goto(f"/filings/{ref}/")
    page.click("[data-testid=do-submit]")
    page.click("[data-testid=confirm-go]", timeout=120_000)  # the test settings render both dossiers inline
    page.wait_for_selector(".messages .success")
    filing = Filing.objects.get(pk=spoiled_filing.pk)
    assert filing.state == FilingState.SUBMITTED
    frozen = filing.snapshots.get().data["preflight"]
    assert frozen and all(f["severity"] == "warning" for f in frozen)
    logout(page)

    login(page, lead.username, PASSWORD)
    page.goto(f"/filings/{ref}/snapshots/1/")
    shown = page.locator("#snapshot-findings [data-testid^=frozen-finding-]")
    assert [el.get_attribute("data-testid") for el in shown.all()] == [
        f"frozen-finding-{f['code']}" for f in frozen
    ]
    assert frozen[0]["message_zh"] in page.inner_text("#snapshot-findings")
    shot(page, "4-snapshot")
