"""Four eyes: a reviewer drafts, a different lead without conflict confirms; one outcome per filing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from audit.models import Event
from filings.workflow import FilingState
from reviews import services
from reviews.errors import (
    AlreadyDecidedError,
    ConflictOfInterestError,
    FourEyesError,
    NotAllowedError,
    ReviewError,
)
from reviews.models import Decision, DecisionStatus, NoticeKind, OutboxMessage, Verdict
from tests.factories import UserFactory
from tests.reviews.helpers import answer_everything, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_lead(regulator_org):
    return UserFactory(username="lead-2", role=Role.LEAD_REVIEWER, organisation=regulator_org)


@pytest.fixture
def drafted(under_review, reviewer):
    answer_everything(under_review, reviewer)
    return services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")


def test_filing_cannot_be_drafted_before_the_checklist_and_items_are_settled(under_review, reviewer):
    services.draft_deficiency_item(
        filing_id=under_review.pk, by=reviewer, question="?", citation="G26", anchor_section="token"
    )

    with pytest.raises(ReviewError) as refused:
        services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")

    assert "checklist items are not answered" in refused.value.user_message
    assert "draft deficiency items" in refused.value.user_message
    assert not Decision.objects.exists()


def test_a_deficient_answer_blocks_filing(under_review, reviewer):
    answer_everything(under_review, reviewer, verdict=Verdict.DEFICIENT)

    with pytest.raises(ReviewError, match="marked deficient"):
        services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")


def test_a_draft_goes_to_the_lead_and_the_confirmation_files_with_a_numbered_notice(
    drafted, lead, reviewer, signatory, preparer
):
    assert [m.recipient for m in OutboxMessage.objects.filter(event="decision_drafted")] == [lead]

    services.confirm_decision(decision_id=drafted.pk, by=lead)

    filing = refresh(drafted.filing)
    drafted.refresh_from_db()
    assert (filing.state, drafted.status, drafted.confirmed_by) == (FilingState.FILED, "confirmed", lead)
    notice = drafted.notice
    assert (notice.kind, notice.number) == (NoticeKind.FILING, filing.notice_number)
    assert (
        filing.notice_number in notice.text_zh
        and "{d.day} {d:%b %Y}".format(d=timezone.localdate(notice.issued_at)) in notice.text_en  # 6 Dec 2026
    )
    assert [e.action for e in Event.objects.filter(filing_id=filing.pk, action__startswith="decision.")] == [
        "decision.draft",
        "decision.confirm",
    ]
    assert {m.recipient for m in OutboxMessage.objects.filter(event="decision_confirmed")} == {
        signatory,
        preparer,
        reviewer,
    }


def test_the_drafter_cannot_confirm_their_own_draft(under_review, lead, second_lead):
    answer_everything(under_review, lead)
    decision = services.draft_decision(filing_id=under_review.pk, by=lead, kind="file")

    with pytest.raises(FourEyesError):
        services.confirm_decision(decision_id=decision.pk, by=lead)

    assert refresh(under_review).state == FilingState.UNDER_REVIEW
    services.confirm_decision(decision_id=decision.pk, by=second_lead)
    assert refresh(under_review).state == FilingState.FILED


def test_a_lead_with_a_declared_conflict_cannot_confirm(drafted, lead):
    services.recuse(filing_id=drafted.filing_id, by=lead, note="配偶任职于受托人")

    with pytest.raises(ConflictOfInterestError):
        services.confirm_decision(decision_id=drafted.pk, by=lead)

    assert Decision.objects.get(pk=drafted.pk).status == DecisionStatus.DRAFTED


def test_a_reviewer_cannot_confirm(drafted, second_reviewer):
    with pytest.raises(NotAllowedError):
        services.confirm_decision(decision_id=drafted.pk, by=second_reviewer)

    assert refresh(drafted.filing).state == FilingState.UNDER_REVIEW


def test_a_confirmed_decision_cannot_be_confirmed_again(drafted, lead, second_lead):
    services.confirm_decision(decision_id=drafted.pk, by=lead)

    with pytest.raises(AlreadyDecidedError):
        services.confirm_decision(decision_id=drafted.pk, by=second_lead)

    assert refresh(drafted.filing).notices.filter(kind=NoticeKind.FILING).count() == 1


def test_the_database_refuses_a_self_confirmed_decision(drafted, reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=drafted.pk).update(confirmed_by=reviewer)


def test_a_rejection_states_its_reasons_in_the_decision_notice(under_review, reviewer, lead):
    with pytest.raises(ReviewError, match="reason code"):
        services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="reject", reasons="")
    decision = services.draft_decision(
        filing_id=under_review.pk,
        by=reviewer,
        kind="reject",
        reason_code="risk_isolation",
        reasons="收款账户未与发起机构隔离。",
    )

    services.confirm_decision(decision_id=decision.pk, by=lead)

    filing = refresh(under_review)
    assert (filing.state, filing.reason_code, filing.closed_reason) == (
        FilingState.REJECTED,
        "risk_isolation",
        "收款账户未与发起机构隔离。",
    )
    notice = filing.notices.get()
    assert notice.kind == NoticeKind.REJECTION
    assert "收款账户未与发起机构隔离。" in notice.text_en and "Risk isolation not effective" in notice.text_en


def test_a_returned_draft_can_be_redrafted(drafted, lead, reviewer):
    services.return_decision(decision_id=drafted.pk, by=lead, note="请补充 D-06 的压力测试依据。")

    assert Decision.objects.get(pk=drafted.pk).status == DecisionStatus.RETURNED
    assert [m.recipient for m in OutboxMessage.objects.filter(event="decision_returned")] == [reviewer]
    again = services.draft_decision(filing_id=drafted.filing_id, by=reviewer, kind="file")
    assert again.status == DecisionStatus.DRAFTED


def test_only_one_draft_at_a_time(drafted, reviewer):
    with pytest.raises(ReviewError, match="already awaits confirmation"):
        services.draft_decision(filing_id=drafted.filing_id, by=reviewer, kind="file")

    assert Decision.objects.count() == 1
