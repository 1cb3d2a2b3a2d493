"""Helpers the review tests share: reload a filing, clear a reviewer, answer a whole checklist."""

from __future__ import annotations

from typing import Any

from filings.models import Filing
from reviews import services
from reviews.models import Assignment, ReviewRound, Verdict
from reviews.selectors import applicable_items


def refresh(filing: Filing) -> Filing:
    return Filing.objects.get(pk=filing.pk)


def clear(filing: Filing, reviewer: Any, lead: Any) -> Assignment:
    """Assign a reviewer and have them declare no conflict."""
    assignment = services.assign_reviewer(filing_id=filing.pk, reviewer_id=reviewer.pk, by=lead)
    return services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)


def answer_everything(filing: Filing, by: Any, verdict: str = Verdict.SATISFIED) -> ReviewRound:
    """Test set-up only: every applicable item of the current round answered at once, citing the SPV
    name (answering one item through the service is what tests/reviews/test_checklists.py shows)."""
    from django.utils import timezone

    from reviews.models import ChecklistAnswer

    round_ = services.ensure_round(filing, by)
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            round=round_,
            item=item,
            verdict=verdict,
            note="核查无误",
            evidence_path="structure.spv_name",
            answered_by=by,
            answered_at=timezone.now(),
        )
        for item in applicable_items(round_)
        if not round_.answers.filter(item=item).exists()
    )
    return round_
