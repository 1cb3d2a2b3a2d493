"""Assigning reviewers and their conflict-of-interest declarations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.services import record_event
from filings.models import Filing
from filings.services import _lock

from .. import notifications
from ..errors import ConflictOfInterestError, NotAllowedError, ReviewError, WrongStateError
from ..models import Assignment
from ..permissions import is_active_lead, is_active_regulator_reviewer
from ..selectors import ACTIVE_REVIEW_STATES, coi_parties


@transaction.atomic
def assign_reviewer(*, filing_id: int, reviewer_id: int, by: Any) -> Assignment:
    """The lead reviewer puts a reviewer on a filing; the reviewer must declare conflicts first."""
    if not is_active_lead(by):
        raise NotAllowedError(_("Only the lead reviewer assigns reviewers."))
    filing = _lock(filing_id)
    if filing.state not in ACTIVE_REVIEW_STATES:
        raise WrongStateError(_("Reviewers are assigned while the filing is with the regulator."))
    reviewer = User.objects.filter(pk=reviewer_id).first()
    if reviewer is None or not is_active_regulator_reviewer(reviewer):
        raise NotAllowedError(_("Only active reviewers and lead reviewers can be assigned."))
    assignment = Assignment.objects.select_for_update().filter(filing=filing, reviewer=reviewer).first()
    if assignment is not None and assignment.conflict_declared:
        raise ConflictOfInterestError(
            _("%(name)s declared a conflict of interest on this filing and cannot be assigned to it.")
            % {"name": reviewer}
        )
    if assignment is not None and assignment.active:
        raise ReviewError(_("%(name)s is already assigned.") % {"name": reviewer})
    if assignment is None:
        assignment = Assignment.objects.create(filing=filing, reviewer=reviewer, assigned_by=by)
    else:
        # Assigned again after being taken off: the declaration is made afresh.
        assignment.active = True
        assignment.assigned_by = by
        assignment.declared_at = None
        assignment.declared_parties = []
        assignment.save(update_fields=["active", "assigned_by", "declared_at", "declared_parties"])
    _sync_has_reviewer(filing.pk)
    record_event(
        action="review.assign",
        actor=by,
        subject=assignment,
        filing_id=filing.pk,
        data={"reviewer": reviewer.username},
    )
    notifications.notify(
        recipients=[reviewer],
        event="review_assigned",
        filing=filing,
        context={"assignment": assignment, "lead": by},
    )
    return assignment


@transaction.atomic
def unassign_reviewer(*, assignment_id: int, by: Any) -> Assignment:
    """The lead reviewer takes a reviewer off a filing; the declaration history stays."""
    if not is_active_lead(by):
        raise NotAllowedError(_("Only the lead reviewer assigns reviewers."))
    filing_id = Assignment.objects.values_list("filing_id", flat=True).get(pk=assignment_id)
    filing = _lock(filing_id)
    assignment = Assignment.objects.select_for_update().select_related("reviewer").get(pk=assignment_id)
    if not assignment.active:
        raise ReviewError(_("This reviewer is no longer assigned."))
    assignment.active = False
    assignment.save(update_fields=["active"])
    _sync_has_reviewer(filing.pk)
    record_event(
        action="review.unassign",
        actor=by,
        subject=assignment,
        filing_id=filing.pk,
        data={"reviewer": assignment.reviewer.username},
    )
    return assignment


@transaction.atomic
def declare_conflicts(*, assignment_id: int, by: Any, conflict: bool, note: str = "") -> Assignment:
    """The assignee declares ties (or none) to the names shown; a conflict ends the assignment."""
    filing_id = Assignment.objects.values_list("filing_id", flat=True).get(pk=assignment_id)
    filing = _lock(filing_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    if assignment.reviewer_id != getattr(by, "pk", None):
        raise NotAllowedError(_("Only the assigned reviewer makes this declaration."))
    if not assignment.active or assignment.declared_at is not None:
        raise ReviewError(_("This declaration has already been made, or the assignment has ended."))
    note = (note or "").strip()
    if conflict and not note:
        raise ReviewError(_("Describe the conflict: which party, and what ties you to it."))
    parties = [{"kind": p["kind"], "label": str(p["label"]), "name": p["name"]} for p in coi_parties(filing)]
    assignment.declared_at = timezone.now()
    assignment.conflict_declared = conflict
    assignment.conflict_note = note
    assignment.declared_parties = parties
    if conflict:
        assignment.active = False
    assignment.save()
    _sync_has_reviewer(filing.pk)
    record_event(
        action="review.coi_declared",
        actor=by,
        subject=assignment,
        filing_id=filing.pk,
        data={"conflict": conflict, "note": note, "parties": [p["name"] for p in parties]},
    )
    if conflict:
        notifications.notify(
            recipients=notifications.lead_reviewers(filing),
            event="conflict_declared",
            filing=filing,
            context={"assignment": assignment},
        )
    return assignment


@transaction.atomic
def recuse(*, filing_id: int, by: Any, note: str) -> Assignment:
    """A lead reviewer (or any regulator reviewer) declares a conflict on a filing without being
    assigned: from then on they may not work on it nor confirm its decision."""
    if not is_active_regulator_reviewer(by):
        raise NotAllowedError()
    note = (note or "").strip()
    if not note:
        raise ReviewError(_("Describe the conflict: which party, and what ties you to it."))
    filing = _lock(filing_id)
    parties = [{"kind": p["kind"], "label": str(p["label"]), "name": p["name"]} for p in coi_parties(filing)]
    assignment, _created = Assignment.objects.select_for_update().get_or_create(
        filing=filing, reviewer=by, defaults={"assigned_by": by, "active": False}
    )
    if assignment.conflict_declared:
        raise ReviewError(_("You have already declared a conflict on this filing."))
    assignment.active = False
    assignment.conflict_declared = True
    assignment.conflict_note = note
    assignment.declared_at = timezone.now()
    assignment.declared_parties = parties
    assignment.save()
    _sync_has_reviewer(filing.pk)
    record_event(
        action="review.coi_declared",
        actor=by,
        subject=assignment,
        filing_id=filing.pk,
        data={"conflict": True, "note": note, "parties": [p["name"] for p in parties], "recusal": True},
    )
    notifications.notify(
        recipients=notifications.lead_reviewers(filing, exclude=[by.pk]),
        event="conflict_declared",
        filing=filing,
        context={"assignment": assignment},
    )
    return assignment


def _sync_has_reviewer(filing_id: int) -> None:
    """Keep Filing.has_reviewer true to the assignments (the lead's unassigned list reads it)."""
    active = Assignment.objects.filter(filing_id=OuterRef("pk"), active=True, conflict_declared=False)
    Filing.objects.filter(pk=filing_id).update(has_reviewer=Exists(active))
