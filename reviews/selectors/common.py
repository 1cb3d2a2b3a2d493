"""States the review screens work in."""

from __future__ import annotations

from filings.workflow import FilingState

S = FilingState
# A paused or suspended filing stays on the reviewers' queue (its clock shows as paused).
ACTIVE_REVIEW_STATES = [S.SUBMITTED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED, S.REVIEW_PAUSED, S.SUSPENDED]
