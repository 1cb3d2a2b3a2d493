"""Queues: a reviewer's, the lead's overview, and the filters and sorting of both; the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from filings.clock import Clock, ClockStatus
from filings.deadlines import clocks_for_filings
from filings.models import Filing
from filings.selectors import filings_for_user

from ..models import (
    Assignment,
    Decision,
    DecisionStatus,
    OutboxMessage,
)
from ..permissions import is_active_regulator_reviewer
from .common import ACTIVE_REVIEW_STATES, S


def reviewer_queue(user: Any) -> QuerySet[Filing]:
    """Filings this reviewer is cleared to review that are still being reviewed."""
    return filings_for_user(user).filter(state__in=ACTIVE_REVIEW_STATES).order_by("submitted_at")


def pending_declarations(user: Any) -> QuerySet[Assignment]:
    """Assignments waiting for this reviewer's conflict-of-interest declaration."""
    return (
        Assignment.objects.filter(
            reviewer_id=user.pk, active=True, declared_at__isnull=True, filing__state__in=ACTIVE_REVIEW_STATES
        )
        .select_related("filing", "filing__organisation", "assigned_by")
        .order_by("assigned_at")
    )


def lead_overview(user: Any) -> dict[str, Any]:
    """What the lead reviewer must act on: unassigned filings, everything in review, drafts to confirm."""
    in_review = (
        filings_for_user(user)
        .filter(state__in=ACTIVE_REVIEW_STATES)
        .annotate(
            reviewer_count=Count(
                "assignments", filter=Q(assignments__active=True, assignments__conflict_declared=False)
            )
        )
    )
    return {
        "unassigned": in_review.filter(reviewer_count=0).order_by("submitted_at"),
        "in_review": in_review.order_by("submitted_at"),
        "to_confirm": decisions_to_confirm(user),
    }


def decisions_to_confirm(user: Any) -> QuerySet[Decision]:
    """Drafted decisions this lead may confirm: not their own, not on a filing they are conflicted on."""
    if not getattr(user, "is_lead_reviewer", False):
        return Decision.objects.none()
    conflicted = Assignment.objects.filter(reviewer_id=user.pk, conflict_declared=True).values("filing_id")
    return (
        Decision.objects.filter(
            status=DecisionStatus.DRAFTED, filing__in=filings_for_user(user), filing__state=S.UNDER_REVIEW
        )
        .exclude(drafted_by_id=user.pk)
        .exclude(filing_id__in=conflicted)
        .select_related("filing", "drafted_by")
        .order_by("drafted_at")
    )


@dataclass
class QueueRow:
    """One filing in a queue with the clock that matters now."""

    filing: Filing
    assignments: list[Assignment]
    regulator_clock: Clock | None  # completeness or review: the regulator's time
    reply_clock: Clock | None  # the issuer's reply time while a supplement is requested
    decision: Decision | None = None

    @property
    def clock(self) -> Clock | None:
        """The clock running now (the issuer's while supplements are requested)."""
        if self.reply_clock is not None and self.reply_clock.status == ClockStatus.RUNNING:
            return self.reply_clock
        return self.regulator_clock

    @property
    def overdue(self) -> bool:
        return any(
            c is not None and c.overdue and c.status == ClockStatus.RUNNING
            for c in (self.regulator_clock, self.reply_clock)
        )

    @property
    def nearly_due(self) -> bool:
        return not self.overdue and any(
            c is not None and c.nearly_due for c in (self.regulator_clock, self.reply_clock)
        )

    @property
    def paused(self) -> bool:
        return self.regulator_clock is not None and self.regulator_clock.status == ClockStatus.PAUSED

    @property
    def cleared(self) -> list[Assignment]:
        return [a for a in self.assignments if a.is_cleared]


CLOCK_FILTERS = [
    ("overdue", gettext_lazy("Overdue")),
    ("nearly_due", gettext_lazy("Nearly due")),
    ("running", gettext_lazy("Running")),
    ("paused", gettext_lazy("Paused")),
]
SORTS = [
    ("due", gettext_lazy("Due date")),
    ("left", gettext_lazy("Working days left")),
    ("used", gettext_lazy("Working days used")),
    ("state", gettext_lazy("State")),
    ("asset_class", gettext_lazy("Asset class")),
    ("submitted", gettext_lazy("Submitted")),
]


def _regulator_clock(clocks: Any) -> Clock | None:
    if clocks.completeness.status == ClockStatus.RUNNING:
        return clocks.completeness
    if clocks.review.status != ClockStatus.NOT_STARTED:
        return clocks.review
    if clocks.completeness.status != ClockStatus.NOT_STARTED:
        return clocks.completeness
    return None


def queue_rows(
    user: Any,
    *,
    state: str = "",
    asset_class: str = "",
    assignee: str = "",
    clock: str = "",
    sort: str = "due",
    now: dt.datetime | None = None,
) -> list[QueueRow]:
    """The filings in review the user may see, filtered and sorted by state, class, assignee and clock.
    Only reviewers and lead reviewers have a queue."""
    if not is_active_regulator_reviewer(user):
        return []
    filings = filings_for_user(user).filter(state__in=ACTIVE_REVIEW_STATES)
    if state:
        filings = filings.filter(state=state)
    if asset_class:
        filings = filings.filter(asset_class=asset_class)
    if assignee == "none":
        filings = filings.exclude(assignments__active=True, assignments__conflict_declared=False)
    elif assignee.isdigit():
        filings = filings.filter(assignments__reviewer_id=int(assignee), assignments__active=True).distinct()
    filings = filings.prefetch_related(
        Prefetch(
            "assignments", queryset=Assignment.objects.select_related("reviewer").order_by("assigned_at")
        )
    )
    drafts = {
        d.filing_id: d for d in Decision.objects.filter(status=DecisionStatus.DRAFTED, filing__in=filings)
    }
    filing_list = list(filings)
    clocks_by_filing = clocks_for_filings(filing_list, now=now or timezone.now())
    rows = []
    for filing in filing_list:
        clocks = clocks_by_filing[filing.pk]
        reply = clocks.supplement_reply if clocks.supplement_reply.status == ClockStatus.RUNNING else None
        rows.append(
            QueueRow(
                filing, list(filing.assignments.all()), _regulator_clock(clocks), reply, drafts.get(filing.pk)
            )
        )
    if clock == "overdue":
        rows = [r for r in rows if r.overdue]
    elif clock == "nearly_due":
        rows = [r for r in rows if r.nearly_due]
    elif clock == "paused":
        rows = [r for r in rows if r.paused]
    elif clock == "running":
        rows = [r for r in rows if r.clock is not None and r.clock.status == ClockStatus.RUNNING]
    far = dt.date.max
    keys = {
        "due": lambda r: (not r.overdue, (r.clock.due_date if r.clock and r.clock.due_date else far)),
        "left": lambda r: r.clock.days_left if r.clock else 10**6,
        "used": lambda r: -(r.clock.used if r.clock else -1),
        "state": lambda r: ACTIVE_REVIEW_STATES.index(r.filing.state),
        "asset_class": lambda r: r.filing.asset_class,
        "submitted": lambda r: r.filing.submitted_at or timezone.now(),
    }
    rows.sort(key=keys.get(sort, keys["due"]))
    return rows


def assignee_choices(user: Any) -> list[User]:
    """Regulator reviewers, for the queue's assignee filter and the assignment form."""
    return list(
        User.objects.filter(role__in=[Role.REVIEWER, Role.LEAD_REVIEWER], is_active=True).order_by("username")
    )


def outbox_for_user(user: Any, *, event: str = "", status: str = "") -> QuerySet[OutboxMessage]:
    """Administrators see every email sent; everyone else the ones sent to them."""
    messages = OutboxMessage.objects.select_related("recipient", "filing")
    if not getattr(user, "is_administrator", False):
        messages = messages.filter(recipient_id=user.pk)
    if event:
        messages = messages.filter(event=event)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")
