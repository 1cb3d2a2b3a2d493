"""The completeness check in `submitted`: accept, ask for supplements, or do not accept."""

from __future__ import annotations

import pytest

from filings.deadlines import filing_clocks
from filings.workflow import FilingState
from reviews import services
from reviews.errors import NotAllowedError, ReviewError
from reviews.models import NoticeKind, OutboxMessage
from tests.reviews.helpers import refresh

pytestmark = pytest.mark.django_db


def test_accepting_starts_the_review_clock_and_opens_round_one(assigned, lead, reviewer):
    services.accept_filing(filing_id=assigned.pk, by=lead)

    filing = refresh(assigned)
    assert filing.state == FilingState.UNDER_REVIEW
    assert filing_clocks(filing).review.status == "running"
    [round_] = filing.review_rounds.all()
    assert (round_.number, round_.snapshot.version, round_.template.version) == (1, 1, 1)
    assert [m.recipient for m in OutboxMessage.objects.filter(event="review_started")] == [reviewer]


def test_not_accepting_needs_a_reason_code_and_issues_a_notice(submitted, lead, signatory, preparer):
    services.not_accept_filing(
        filing_id=submitted.pk, by=lead, reason_code="incomplete", reason="未提交境外全套发行文件。"
    )

    filing = refresh(submitted)
    assert (filing.state, filing.reason_code) == (FilingState.NOT_ACCEPTED, "incomplete")
    notice = filing.notices.get()
    assert notice.kind == NoticeKind.NOT_ACCEPTED
    assert notice.number.startswith("证监不予受理〔")
    assert "未提交境外全套发行文件。" in notice.text_en and "未提交境外全套发行文件。" in notice.text_zh
    assert {m.recipient for m in OutboxMessage.objects.filter(event="not_accepted")} == {signatory, preparer}


def test_not_accepting_without_a_reason_changes_nothing(submitted, lead):
    with pytest.raises(ReviewError):
        services.not_accept_filing(filing_id=submitted.pk, by=lead, reason_code="incomplete", reason="")

    assert refresh(submitted).state == FilingState.SUBMITTED


def test_a_reviewer_cannot_accept(assigned, reviewer):
    with pytest.raises(NotAllowedError):
        services.accept_filing(filing_id=assigned.pk, by=reviewer)

    assert refresh(assigned).state == FilingState.SUBMITTED


def test_the_lead_can_ask_for_supplements_during_the_completeness_check(submitted, lead, signatory):
    services.draft_deficiency_item(
        filing_id=submitted.pk,
        by=lead,
        question="请补充境外全套发行文件。",
        citation="办事指南第1号",
        anchor_section="documents",
    )

    request = services.send_supplement_request(filing_id=submitted.pk, by=lead)

    filing = refresh(submitted)
    assert (filing.state, filing.reopened_sections, filing.supplement_return_state) == (
        FilingState.SUPPLEMENT_REQUESTED,
        ["documents"],
        FilingState.SUBMITTED,
    )
    assert filing_clocks(filing).completeness.status == "paused"
    assert request.reply_due_date == filing_clocks(filing).supplement_reply.due_date
