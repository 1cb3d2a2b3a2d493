"""Who sees what in the review: one case per role, and the queue's filters and sorting."""

from __future__ import annotations

import pytest

from reviews import services
from reviews.models import OutboxMessage
from reviews.selectors import decisions_to_confirm, outbox_for_user, pending_declarations, queue_rows
from tests.reviews.helpers import answer_everything

pytestmark = pytest.mark.django_db


def test_a_reviewer_queue_shows_cleared_filings_and_asks_for_pending_declarations(submitted, reviewer, lead):
    assignment = services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    assert (queue_rows(reviewer), list(pending_declarations(reviewer))) == ([], [assignment])
    services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)
    [row] = queue_rows(reviewer)
    assert (row.reference, row.regulator_clock.name, row.regulator_clock.status) == (
        submitted.reference,
        "completeness",
        "running",
    )


def test_a_lead_sees_every_filing_in_review_and_filters_by_assignee(submitted, ready_filing, reviewer, lead):
    assert [r.pk for r in queue_rows(lead)] == [submitted.pk]
    assert [r.pk for r in queue_rows(lead, assignee="none")] == [submitted.pk]

    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)

    assert [r.pk for r in queue_rows(lead, assignee=str(reviewer.pk))] == [submitted.pk]
    assert queue_rows(lead, assignee="none") == []
    assert queue_rows(lead, state="under_review") == []
    assert queue_rows(lead, asset_class="finance_lease") == []
    assert [r.pk for r in queue_rows(lead, clock="running", sort="left")] == [submitted.pk]
    assert queue_rows(lead, clock="paused") == []


def test_a_paused_review_clock_shows_while_the_issuer_replies(under_review, reviewer, lead):
    services.draft_deficiency_item(
        filing_id=under_review.pk, by=reviewer, question="?", citation="G26", anchor_section="token"
    )
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    [row] = queue_rows(lead, clock="paused")
    assert (row.regulator_clock.status, row.reply_clock.status, row.clock.name) == (
        "paused",
        "running",
        "supplement_reply",
    )
    assert row.clocks_html == (
        '<span data-clock="review">Review: 0 / 20</span>\n<span class="badge">Paused</span><br>'
        '<span data-clock="supplement_reply">Issuer&#x27;s supplement reply: 0 / 30</span>\n'
        '<span class="badge ok">30 working days left</span>'
    )


def test_administrators_and_issuers_have_no_review_queue(submitted, admin_user, preparer):
    assert queue_rows(preparer) == []
    assert list(pending_declarations(admin_user)) == []


def test_a_lead_is_offered_others_drafts_to_confirm_never_their_own(under_review, reviewer, lead):
    answer_everything(under_review, reviewer)
    decision = services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")

    assert list(decisions_to_confirm(lead)) == [decision]
    assert list(decisions_to_confirm(reviewer)) == []


def test_the_outbox_shows_administrators_everything_and_others_their_own(
    submitted, reviewer, lead, admin_user, preparer
):
    services.assign_reviewer(filing_id=submitted.pk, reviewer_id=reviewer.pk, by=lead)
    message = OutboxMessage.objects.get()

    assert list(outbox_for_user(admin_user)) == [message]
    assert list(outbox_for_user(reviewer)) == [message]
    assert list(outbox_for_user(lead)) == []
    assert list(outbox_for_user(preparer)) == []
