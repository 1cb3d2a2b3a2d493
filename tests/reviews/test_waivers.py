"""Waiver requests from pre-flight are ruled on from the review screens, through the waiver service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.models import WaiverStatus
from filings.waivers import request_waiver
from reviews import services
from reviews.errors import ConflictOfInterestError, ReviewError
from tests.reviews.helpers import answer_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiver(settles_in_hkd, ready_filing, signatory):
    """The signatory asks, before submitting, to waive the currency-mismatch warning."""
    return request_waiver(
        filing_id=ready_filing.pk,
        rule_code=settles_in_hkd,
        field="token.settlement_currency",
        justification="港币结算，汇率风险由发起机构承担。",
        by=signatory,
    )


def test_a_cleared_reviewer_grants_the_waiver_from_the_review_screen(client, waiver, under_review, reviewer):
    client.force_login(reviewer)

    client.post(reverse("reviews:waiver_rule", args=[under_review.reference, waiver.pk]), {"grant": "1"})

    waiver.refresh_from_db()
    assert (waiver.status, waiver.ruled_by) == (WaiverStatus.GRANTED, reviewer)


def test_a_pending_waiver_blocks_filing_until_ruled(waiver, under_review, reviewer):
    answer_everything(under_review, reviewer)

    with pytest.raises(ReviewError, match="waiver requests await a ruling"):
        services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file")

    services.rule_on_waiver_request(waiver_id=waiver.pk, grant=False, note="应统一结算币种。", by=reviewer)
    assert services.draft_decision(filing_id=under_review.pk, by=reviewer, kind="file").kind == "file"


def test_someone_with_a_declared_conflict_cannot_rule(waiver, under_review, lead):
    services.recuse(filing_id=under_review.pk, by=lead, note="持有发起机构股份")

    with pytest.raises(ConflictOfInterestError):
        services.rule_on_waiver_request(waiver_id=waiver.pk, grant=True, note="", by=lead)

    waiver.refresh_from_db()
    assert waiver.status == WaiverStatus.PENDING
