"""Regulator-side reads: a reviewer's queue and the lead reviewer's overview."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from filings.models import Filing
from filings.selectors import filings_for_user
from filings.workflow import FilingState

ACTIVE_REVIEW_STATES = [FilingState.SUBMITTED, FilingState.UNDER_REVIEW, FilingState.SUPPLEMENT_REQUESTED]


def reviewer_queue(user: Any) -> QuerySet[Filing]:
    """Filings assigned to this reviewer that are still being reviewed."""
    return filings_for_user(user).filter(state__in=ACTIVE_REVIEW_STATES).order_by("submitted_at")


def lead_overview(user: Any) -> dict[str, Any]:
    """What the lead reviewer must act on: unassigned filings and everything in review."""
    in_review = filings_for_user(user).filter(state__in=ACTIVE_REVIEW_STATES).annotate(
        reviewer_count=Count("assignments", filter=Q(assignments__active=True, assignments__conflict_declared=False))
    )
    return {
        "unassigned": in_review.filter(reviewer_count=0).order_by("submitted_at"),
        "in_review": in_review.order_by("submitted_at"),
    }
