"""The services that move a filing's clock write its derived state into the clock columns."""

from __future__ import annotations

import pytest
from django.utils import timezone

from filings.calendar import local_date
from filings.deadlines import CLOCK_FIELDS, clock_columns, clocks_for_filings
from filings.models import Filing

pytestmark = pytest.mark.django_db


def _stored(filing: Filing) -> dict[str, object]:
    return {name: getattr(filing, name) for name in CLOCK_FIELDS}


def _derived(filing: Filing) -> dict[str, object]:
    now = timezone.now()
    return clock_columns(clocks_for_filings([filing], now=now)[filing.pk], local_date(now))


def test_a_service_that_moves_the_clock_stores_it(under_review, reviewer):
    from reviews import services

    assert (under_review.clock_phase, under_review.clock_status) == ("review", "running")
    services.draft_deficiency_item(
        filing_id=under_review.pk, by=reviewer, question="?", citation="G26", anchor_section="token"
    )
    services.send_supplement_request(filing_id=under_review.pk, by=reviewer)

    filing = Filing.objects.get(pk=under_review.pk)
    assert (filing.clock_phase, filing.clock_status, filing.clock_paused, filing.clock_days_left) == (
        "supplement_reply",
        "running",
        True,
        30,
    )
    assert _stored(filing) == _derived(filing)
