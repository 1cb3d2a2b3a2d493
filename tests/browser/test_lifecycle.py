"""Issue 18's "Done when" for the lifecycle, in a real browser: the lead pauses a filing under
review for a consultation of another authority, the clock shows it paused with the pause listed,
and resuming lets it run again."""

from __future__ import annotations

import pytest

from filings.models import Filing
from filings.services import submit_filing, transition_filing
from reviews.checklists import ensure_checklist_in_force
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_consultation_pauses_the_clock_and_the_clock_shows_it(
    page, ready_filing, signatory, lead, monkeypatch
):
    ensure_checklist_in_force()
    monkeypatch.setattr("filings.services.queue_submission_dossiers", lambda **kwargs: None)
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    transition_filing(filing_id=ready_filing.pk, name="accept", by=lead)
    ref = ready_filing.reference

    login(page, lead.username, PASSWORD)
    page.goto(f"/filings/{ref}/pauses/")
    page.select_option("select[name=kind]", "consultation")
    page.fill("textarea[name=reason]", "就数据出境事项征求国家网信办意见")
    page.click("[data-testid=start-pause] button[type=submit]")
    page.wait_for_selector("[data-testid=end-pause]")

    page.goto(f"/filings/{ref}/")
    review = page.locator("[data-clock=review]").first
    assert "暂停" in review.inner_text()  # paused
    assert "推定" in review.inner_text()  # the 20-working-day limit is assumed (TM Art. 19(1))
    assert "就数据出境事项征求国家网信办意见" in page.locator("[data-testid=pauses]").inner_text()
    assert Filing.objects.get(pk=ready_filing.pk).state == "review_paused"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-testid=clocks]").screenshot(path=str(ARTIFACTS / "lifecycle-paused-clock.png"))

    page.goto(f"/filings/{ref}/pauses/")
    page.click("[data-testid=end-pause] button[type=submit]")
    page.wait_for_selector("[data-testid=start-pause]")
    assert Filing.objects.get(pk=ready_filing.pk).clock_status == "running"
