"""Reminders before a clock runs out: at most one per filing, clock and day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record_event
from filings.clock import ClockName, ClockStatus
from filings.deadlines import clocks_for_filings
from filings.models import Filing
from filings.services import _lock

from .. import notifications
from ..models import Reminder
from ..selectors import ACTIVE_REVIEW_STATES, needs_round_sync
from .rounds import ensure_round


def _recipients(filing: Filing, clock_name: str) -> list[Any]:
    if clock_name == ClockName.SUPPLEMENT_REPLY:
        return list(notifications.issuer_contacts(filing))
    if clock_name == ClockName.REVIEW:
        reviewers = list(notifications.assigned_reviewers(filing))
        if reviewers:
            return reviewers
    return list(notifications.lead_reviewers(filing))


@transaction.atomic
def sync_review_round(*, filing_id: int) -> bool:
    """Take in a resubmission made from the filing page (outside the review screens): open its
    round, freeze the answers, tell the reviewers. False if there was nothing to take in."""
    filing = _lock(filing_id)
    if not needs_round_sync(filing):
        return False
    ensure_round(filing)
    return True


def sync_review_rounds() -> list[str]:
    """Every filing's pending resubmission, taken in (the periodic task runs this first)."""
    candidates = Filing.objects.filter(state__in=ACTIVE_REVIEW_STATES, supplement_requests__isnull=False)
    return [filing.reference for filing in candidates.distinct() if sync_review_round(filing_id=filing.pk)]


def send_clock_reminders(*, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Remind whoever must act when a running clock is nearly due or overdue; idempotent per day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sync_review_rounds()
    sent: list[tuple[str, str]] = []
    filings = list(Filing.objects.filter(state__in=ACTIVE_REVIEW_STATES).select_related("organisation"))
    clocks_by_filing = clocks_for_filings(filings, now=now)
    for filing in filings:
        for clock in clocks_by_filing[filing.pk]:
            if clock.status != ClockStatus.RUNNING or not (clock.nearly_due or clock.overdue):
                continue
            try:
                with transaction.atomic():
                    Reminder.objects.create(filing=filing, clock=clock.name, day=today)
                    notifications.notify(
                        recipients=_recipients(filing, clock.name),
                        event="clock_reminder",
                        filing=filing,
                        context={"clock": clock},
                    )
                    record_event(
                        action="review.reminder",
                        filing_id=filing.pk,
                        subject=filing,
                        data={
                            "clock": clock.name,
                            "used": clock.used,
                            "limit": clock.limit,
                            "days_left": clock.days_left,
                            "overdue": clock.overdue,
                            "due_date": str(clock.due_date),
                        },
                    )
            except IntegrityError:  # another worker sent today's reminder for this clock
                continue
            sent.append((filing.reference, str(clock.name)))
    return sent
