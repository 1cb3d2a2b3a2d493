"""States the review screens work in."""

from __future__ import annotations

from filings.workflow import FilingState

S = FilingState
ACTIVE_REVIEW_STATES = [S.SUBMITTED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED]
