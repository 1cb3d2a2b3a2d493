"""The issue's "Done when", walked in a real browser: assignment with a declared conflict, checklist with
evidence, three numbered items, two answered, what changed, the third reopened and answered, the
decision drafted and confirmed, the filing notice downloaded by the issuer."""

from __future__ import annotations

import pytest

from filings.models import Filing
from filings.services import submit_filing, update_section
from reviews.checklists import ensure_checklist_in_force
from tests.browser.conftest import login
from tests.factories import PASSWORD
from tests.reviews.helpers import answer_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ITEMS = [
    ("请说明特殊目的载体的注册编号。", "structure.spv_registration_no"),
    ("请说明募集资金调回境内的比例。", "offering.repatriation_plan"),
    ("请补充控股股东的统一社会信用代码。", "control_links"),
]


def as_user(page, user) -> None:
    page.context.clear_cookies()
    login(page, user.username, PASSWORD)


def test_from_submission_to_the_filing_notice(
    page, ready_filing, signatory, preparer, reviewer, second_reviewer, lead, monkeypatch
):
    ensure_checklist_in_force()  # a transactional test database starts flushed
    # Each (re)submission renders two dossiers in-process (tens of seconds); tests/filings covers them.
    monkeypatch.setattr("filings.services.queue_submission_dossiers", lambda **kwargs: None)
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    submit_filing(filing_id=ready_filing.pk, by=signatory)
    ref = ready_filing.reference

    # The lead assigns two reviewers and accepts the filing.
    as_user(page, lead)
    page.goto(f"/review/{ref}/")
    for who in (reviewer, second_reviewer):
        page.select_option("[data-testid=assign-form] select", str(who.pk))
        page.click("[data-testid=assign]")
    page.click("[data-testid=accept]")
    page.click("[data-testid=confirm-go]")  # the summary before the irreversible step
    assert "under_review" in page.locator("[data-testid=state]").first.get_attribute("class")

    # One reviewer declares a conflict: the filing closes to them.
    as_user(page, second_reviewer)
    page.goto("/review/")
    page.click(f"[data-testid=declare-{ref}]")
    assert "Demo Trustee (HK) Limited" in page.locator("[data-testid=parties]").inner_text()
    page.check("input[name=conflict][value=yes]")
    page.fill("textarea[name=note]", "曾任受托人顾问")
    page.click("[data-testid=declare]")
    assert page.goto(f"/review/{ref}/").status == 404

    # The other declares none and works the checklist with an evidence link.
    as_user(page, reviewer)
    page.goto("/review/")
    page.click(f"[data-testid=declare-{ref}]")
    page.check("input[name=conflict][value=no]")
    page.click("[data-testid=declare]")
    page.goto(f"/review/{ref}/checklist/")
    row = page.locator("tr[data-code=C-02]")
    row.locator("summary").click()
    row.locator("input[name=verdict][value=satisfied]").check()
    row.locator("input[name=evidence_path]").fill("structure.spv_name")
    row.locator("[data-testid=save-C-02]").click()
    assert page.locator("tr[data-code=C-02] [data-testid=evidence-path]").inner_text() == "structure.spv_name"
    answer_everything(Filing.objects.get(pk=ready_filing.pk), reviewer)  # the other items, off screen

    # Three numbered items go out as one request.
    page.goto(f"/review/{ref}/items/")
    for question, path in ITEMS:
        page.fill("#id_question", question)
        page.fill("#id_anchor_path", path)
        page.fill("#id_citation", "证监会公告〔2026〕1号")
        page.click("[data-testid=draft-item]")
    page.click("[data-testid=send]")
    page.click("[data-testid=confirm-go]")  # the summary before the irreversible step
    notice_text = page.locator("[data-testid=notice-text-zh]").inner_text()
    assert all(f"{n}. {q}" in notice_text for n, (q, _p) in enumerate(ITEMS, start=1))

    # The issuer fixes the SPV number, answers two items, and resubmits.
    filing = Filing.objects.get(pk=ready_filing.pk)
    update_section(
        filing_id=filing.pk,
        section="structure",
        fields={"spv_registration_no": "HK-3210988"},
        rows={},
        expected_version=filing.structure.version,
        by=preparer,
    )
    as_user(page, preparer)
    page.goto(filing.get_absolute_url())
    page.click("[data-testid=answer-items]")
    for number, text in ((1, "注册编号已更正为 HK-3210988。"), (2, "调回比例 100%。")):
        item = page.locator(f"article[data-number='{number}']")
        item.locator("textarea").fill(text)
        item.locator(f"[data-testid=answer-{number}]").click()
    count = page.locator("[data-testid=answered-count]")
    assert (count.get_attribute("data-answered"), count.get_attribute("data-total")) == ("2", "3")
    as_user(page, signatory)
    page.goto(f"/review/{ref}/supplement/")
    page.click("[data-testid=resubmit]")

    # The reviewer sees exactly what changed under item 1, accepts two answers and reopens item 3.
    as_user(page, reviewer)
    page.goto(f"/review/{ref}/items/")
    changes = page.locator("[data-testid=item-changes-1]").inner_text()
    assert "structure.spv_registration_no" in changes and "HK-3210988" in changes
    assert page.locator("[data-testid=item-changes-1]").get_attribute("data-count") == "1"
    assert page.locator("[data-testid=item-changes-3]").get_attribute("data-count") == "0"
    page.click("[data-testid=accept-1]")
    page.click("[data-testid=accept-2]")
    page.locator("article[data-number='3'] textarea").fill("仍未提供统一社会信用代码。")
    page.click("[data-testid=reopen-3]")
    page.click("[data-testid=send]")
    page.click("[data-testid=confirm-go]")  # the summary before the irreversible step

    # The issuer answers the third item and resubmits; the reviewer accepts and drafts "file".
    as_user(page, signatory)
    page.goto(f"/review/{ref}/supplement/")
    page.locator("article[data-number='3'] textarea").fill("统一社会信用代码见控制链第一层。")
    page.click("[data-testid=answer-3]")
    page.click("[data-testid=resubmit]")
    as_user(page, reviewer)
    page.goto(f"/review/{ref}/items/")
    page.click("[data-testid=accept-3]")
    page.goto(f"/review/{ref}/decision/")
    page.check("input[name=kind][value=file]")
    page.click("[data-testid=draft-decision-submit]")
    page.click("[data-testid=confirm-go]")  # the summary before the irreversible step
    page.wait_for_selector("[data-testid=drafted]")

    # The lead confirms; the issuer downloads the filing notice.
    as_user(page, lead)
    page.goto(f"/review/{ref}/decision/")
    page.click("[data-testid=confirm]")
    page.click("[data-testid=confirm-go]")  # the summary before the irreversible step
    page.wait_for_selector("[data-testid=drafted]", state="detached")
    as_user(page, preparer)
    page.goto(filing.get_absolute_url())
    with page.expect_download() as download:
        page.click("[data-testid=notice-pdf-filing]")
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert Filing.objects.get(pk=filing.pk).state == "filed"
