"""The reviewer answers the whole checklist on one page, in zh-hans and in en, without a single full
page reload: each answer is saved in place, a refused one comes back beside its item with what was
typed, and a few items are marked satisfied together on shared evidence."""

from __future__ import annotations

import pytest

from filings.services import submit_filing
from reviews import services
from reviews.checklists import ensure_checklist_in_force
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = {
    "zh-hans": {"lang": "zh-Hans", "needs": "(需要证据)", "done": "已答"},
    "en": {"lang": "en", "needs": "(needs evidence)", "done": "answered"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_whole_checklist_is_answered_without_a_page_reload(
    page, ready_filing, signatory, reviewer, lead, monkeypatch, language
):
    ensure_checklist_in_force()
    monkeypatch.setattr("filings.services.queue_submission_dossiers", lambda **kwargs: None)
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    assignment = services.assign_reviewer(filing_id=ready_filing.pk, reviewer_id=reviewer.pk, by=lead)
    services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)
    services.accept_filing(filing_id=ready_filing.pk, by=lead)

    login(page, reviewer.username, PASSWORD)
    page.context.add_cookies([{"name": "filingdesk_language", "value": language, "url": page.url}])
    page.goto(f"/review/{ready_filing.reference}/checklist/")
    assert page.get_attribute("html", "lang") == TEXT[language]["lang"]
    navigations: list[str] = []
    main = page.main_frame
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == main else None)
    page.evaluate("window.__stillHere = 'yes'")
    codes = page.eval_on_selector_all("tr[data-code]", "rows => rows.map(r => r.dataset.code)")
    assert len(codes) >= 30

    # What "Satisfied" needs is on the page before anything is missing.
    first = page.locator(f"tr[data-code={codes[0]}]")
    first.locator("summary").click()
    assert first.locator("[data-testid=needs-satisfied]").inner_text() == TEXT[language]["needs"]

    # A refused answer: the reason beside the item, the note and choices still there; then fixed.
    first.locator("input[name=verdict][value=satisfied]").check()
    first.locator("textarea[name=note]").fill("逐项核对 / checked line by line")
    first.locator("input[name=evidence_path]").fill("structure.no_such_field")
    first.locator(f"[data-testid=save-{codes[0]}]").click()
    page.wait_for_selector(f"[data-testid=error-{codes[0]}]")
    first = page.locator(f"tr[data-code={codes[0]}]")
    assert first.locator("textarea[name=note]").input_value() == "逐项核对 / checked line by line"
    assert first.locator("input[name=verdict][value=satisfied]").is_checked()
    first.locator("input[name=evidence_path]").fill("structure.spv_name")
    first.locator(f"[data-testid=save-{codes[0]}]").click()
    page.wait_for_selector(f"[data-testid=saved-{codes[0]}]")

    # Three items at once on shared evidence.
    bulk = codes[1:4]
    for code in bulk:
        page.locator(f"tr[data-code={code}] input[name=items]").check()
    page.fill("#path-bulk", "structure.spv_name")
    page.click("[data-testid=bulk-satisfied]")
    page.wait_for_selector("[data-testid=bulk-done]")
    for code in bulk:
        assert page.locator(f"tr[data-code={code}] [data-testid=verdict]").count() == 1

    # Every other item, one by one, each saved in place.
    for code in codes[4:]:
        row = page.locator(f"tr[data-code={code}]")
        row.locator("summary").click()
        row.locator("input[name=verdict][value=satisfied]").check()
        row.locator("input[name=evidence_path]").fill("structure.spv_name")
        row.locator(f"[data-testid=save-{code}]").click()
        page.wait_for_selector(f"[data-testid=saved-{code}]")

    progress = page.inner_text("[data-testid=checklist-progress]")
    assert f"{len(codes)}" in progress and TEXT[language]["done"] in progress
    assert progress.count(str(len(codes))) == 2
    assert page.evaluate("window.__stillHere") == "yes"
    assert navigations == []
    assert ready_filing.review_rounds.get().answers.count() == len(codes)
