"""The preparer hands a filing to the signatory; the signatory's bell and task inbox show it, and
marking the notification read changes the row and the bell in place, in Chinese and in English."""

from __future__ import annotations

import pytest

from desk.demo import fill_filing
from filings.models import Filing
from filings.services import create_filing
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORDS = {
    "zh-hans": {
        "handed": "备案已标记为待签署，已通知其签署人。",
        "ready": "待签署",
        "label": "{ref} 待您签署",
        "task": "{ref} — {title}：请签署并提交",
        "read": "已读",
    },
    "en": {
        "handed": "The filing is marked ready for signature; its signatories have been told.",
        "ready": "Ready for signature",
        "label": "{ref} is ready for your signature",
        "task": "{ref} — {title}: sign and submit",
        "read": "read",
    },
}
CODES = ("ready_for_signature", "handoff.ready", "review_assigned", "{'", "True", "None")


def logout(page) -> None:
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_selector("input[name=username]")


def no_codes(page) -> None:
    text = page.inner_text("body")
    assert not [code for code in CODES if code in text], text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_hand_off_bell_and_mark_read(page, preparer, signatory, language):
    for person in (preparer, signatory):
        person.language = language
        person.save(update_fields=["language"])
    filing = create_filing(
        organisation=preparer.organisation,
        title="测试收费收益权 2026-1",
        asset_class="toll_income",
        by=preparer,
    )
    fill_filing(filing, preparer, signatory, name_zh="甲发行人有限公司", code="91330000MA27U0001R")
    ref, words = filing.reference, WORDS[language]

    # The preparer marks the draft ready, with a note; the filing page shows the state.
    login(page, preparer.username, PASSWORD)
    page.goto(f"/filings/{ref}/")
    page.click("[data-testid=handoff] summary")
    page.fill("textarea[name=note]", "请于周五前签署")
    page.click("[data-testid=mark-ready]")
    assert words["handed"] in page.inner_text(".messages")
    assert words["ready"] in page.inner_text("[data-testid=ready-for-signature]")
    assert page.inner_text("[data-testid=handoff-note]") == "请于周五前签署"
    no_codes(page)
    logout(page)

    # The signatory's dashboard: the bell counts one, the task inbox lists the filing.
    login(page, signatory.username, PASSWORD)
    assert page.inner_text("[data-testid=bell-count]") == "1"
    task = page.locator("[data-testid=task-ready_for_signature]")
    assert task.locator("a").inner_text() == words["task"].format(ref=ref, title=filing.title)
    no_codes(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"inbox-{language}-dashboard.png"), full_page=True)

    # The notifications page; "mark read" swaps the row and the bell without a reload.
    page.click("[data-testid=bell]")
    row = page.locator("[data-testid=notification]")
    assert words["label"].format(ref=ref) in row.inner_text()
    page.evaluate("window.__stayed = true")
    row.locator("[data-testid=mark-read]").click()
    page.wait_for_selector("[data-testid=notification-read]")
    assert page.inner_text("[data-testid=notification-read]") == words["read"]
    assert page.locator("[data-testid=bell-count]").count() == 0
    assert page.evaluate("window.__stayed") is True  # the same page: no full reload
    no_codes(page)
    page.screenshot(path=str(ARTIFACTS / f"inbox-{language}.png"), full_page=True)

    # The link leads to the filing, which the signatory can now sign.
    row.locator("[data-testid=notification-link]").click()
    page.wait_for_selector("[data-testid=ready-for-signature]")
    assert page.url.endswith(f"/filings/{ref}/")
    assert Filing.objects.get(pk=filing.pk).ready_for_signature_by == preparer
