"""Decisions, what still blocks filing, waivers awaiting a ruling, and notices."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from filings.models import Filing, Waiver, WaiverStatus
from filings.selectors import filings_for_user

from ..models import (
    Decision,
    DecisionStatus,
    ItemStatus,
    Notice,
    ReviewRound,
)
from ..models.deficiencies import UNRESOLVED_STATUSES
from .checklists import checklist_progress


def drafted_decision(filing: Filing) -> Decision | None:
    return filing.decisions.filter(status=DecisionStatus.DRAFTED).select_related("drafted_by").first()


def decisions_for(filing: Filing) -> QuerySet[Decision]:
    return filing.decisions.select_related("drafted_by", "confirmed_by", "returned_by", "notice").order_by(
        "-drafted_at"
    )


def pending_waivers(filing: Filing) -> QuerySet[Waiver]:
    return filing.waivers.filter(status=WaiverStatus.PENDING)


def decision_blockers(filing: Filing, round_: ReviewRound | None) -> list[str]:
    """Why the filing cannot be filed yet, in words the reviewer can act on (empty: it can)."""
    blockers = []
    progress = checklist_progress(round_)
    if round_ is None:
        blockers.append(_("The review round has not started."))
    else:
        missing = progress["total"] - progress["answered"]
        if missing:
            blockers.append(_("%(n)s checklist items are not answered.") % {"n": missing})
        if progress["deficient"]:
            blockers.append(_("%(n)s checklist items are marked deficient.") % {"n": progress["deficient"]})
    unresolved = filing.deficiency_items.filter(status__in=UNRESOLVED_STATUSES)
    numbers = [str(n) for n in unresolved.exclude(number=None).values_list("number", flat=True)]
    if numbers:
        blockers.append(
            _("Deficiency items %(numbers)s are not accepted yet.") % {"numbers": ", ".join(numbers)}
        )
    drafts = unresolved.filter(status=ItemStatus.DRAFT).count()
    if drafts:
        blockers.append(_("%(n)s draft deficiency items are neither sent nor discarded.") % {"n": drafts})
    waivers = pending_waivers(filing).count()
    if waivers:
        blockers.append(_("%(n)s waiver requests await a ruling.") % {"n": waivers})
    return blockers


def notices_for(filing: Filing) -> QuerySet[Notice]:
    """Notices of a filing the caller already has in scope (issuers their own, regulator staff theirs)."""
    return filing.notices.select_related("issued_by").order_by("-issued_at")


def notice_for_user(user: Any, reference: str, pk: int) -> Notice:
    """One notice within the user's scope; Notice.DoesNotExist otherwise."""
    return Notice.objects.select_related("filing").get(
        pk=pk, filing__in=filings_for_user(user), filing__reference=reference
    )
