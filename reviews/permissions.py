"""Who may do what in a review: pure predicates over the user, the filing and its assignments."""

from __future__ import annotations

from typing import Any

from filings import rules as filing_rules
from filings.models import Filing

from .models import Assignment, Decision


def is_active_regulator_reviewer(user: Any) -> bool:
    """Reviewers and lead reviewers who can sign in; administrators never review."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (getattr(user, "is_reviewer", False) or getattr(user, "is_lead_reviewer", False))
    )


def is_active_lead(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_lead_reviewer)


def _filing_id(filing: Filing | int) -> int:
    if isinstance(filing, int):
        return filing
    return int(filing.pk)


def has_declared_conflict(user: Any, filing: Filing | int) -> bool:
    filing_id = _filing_id(filing)
    return Assignment.objects.filter(
        filing_id=filing_id, reviewer_id=user.pk, conflict_declared=True
    ).exists()


def has_cleared_assignment(user: Any, filing: Filing | int) -> bool:
    filing_id = _filing_id(filing)
    return Assignment.objects.filter(
        filing_id=filing_id,
        reviewer_id=user.pk,
        active=True,
        declared_at__isnull=False,
        conflict_declared=False,
    ).exists()


def can_work_on(user: Any, filing: Filing) -> bool:
    """Answer the checklist, draft items and decisions: a cleared assignee, or a lead without conflict."""
    if not is_active_regulator_reviewer(user) or has_declared_conflict(user, filing):
        return False
    return bool(user.is_lead_reviewer or has_cleared_assignment(user, filing))


def can_confirm(user: Any, decision: Decision) -> bool:
    """Four eyes: a lead reviewer who did not draft it and declared no conflict on the filing."""
    return bool(
        is_active_lead(user)
        and decision.drafted_by_id != user.pk
        and not has_declared_conflict(user, decision.filing_id)
    )


def is_issuer_of(user: Any, filing: Filing) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "is_issuer", False)
        and user.organisation_id == filing.organisation_id
    )


# The issuer's staff, or an agent whose delegation covers answering deficiency items (filings.rules).
can_answer_deficiencies = filing_rules.can_answer_deficiencies
