"""The completeness check and the four-eyes decision: a reviewer drafts, a different lead confirms."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from filings import services as filing_services
from filings.models import Filing, ReasonCode
from filings.services import _lock
from filings.workflow import FilingState

from .. import notifications
from ..errors import (
    AlreadyDecidedError,
    ConflictOfInterestError,
    FourEyesError,
    NotAllowedError,
    ReviewError,
    WrongStateError,
)
from ..models import Decision, DecisionKind, DecisionStatus, NoticeKind
from ..permissions import can_work_on, has_declared_conflict, is_active_lead
from ..selectors import decision_blockers, latest_snapshot
from .notices import issue_notice
from .rounds import ensure_round

S = FilingState


def _lead_without_conflict(by: Any, filing: Filing) -> None:
    if not is_active_lead(by):
        raise NotAllowedError(_("Only the lead reviewer takes this step."))
    if has_declared_conflict(by, filing):
        raise ConflictOfInterestError()


@transaction.atomic
def accept_filing(*, filing_id: int, by: Any) -> Filing:
    """Completeness check passed: the filing goes under review and the 20-working-day clock starts."""
    filing = _lock(filing_id)
    _lead_without_conflict(by, filing)
    filing_services.transition_filing(filing_id=filing.pk, name="accept", by=by)
    filing = Filing.objects.get(pk=filing.pk)
    ensure_round(filing, by)
    notifications.notify(
        recipients=notifications.assigned_reviewers(filing, cleared_only=False),
        event="review_started",
        filing=filing,
    )
    return filing


@transaction.atomic
def not_accept_filing(*, filing_id: int, by: Any, reason_code: str, reason: str) -> Filing:
    """Completeness check failed beyond repair: the filing is not accepted, with a notice saying why."""
    filing = _lock(filing_id)
    _lead_without_conflict(by, filing)
    reason = (reason or "").strip()
    if reason_code not in ReasonCode.values or not reason:
        raise ReviewError(_("Give the reason code and the explanation the issuer will read."))
    filing_services.transition_filing(
        filing_id=filing.pk, name="not_accept", by=by, reason=reason, reason_code=reason_code
    )
    filing = Filing.objects.get(pk=filing.pk)
    notice = issue_notice(
        filing=filing,
        kind=NoticeKind.NOT_ACCEPTED,
        by=by,
        context={"reason": reason, "reason_label": ReasonCode(reason_code).label},
    )
    notifications.notify(
        recipients=notifications.issuer_contacts(filing),
        event="not_accepted",
        filing=filing,
        context={"notice": notice, "reason": reason},
    )
    return filing


@transaction.atomic
def draft_decision(
    *, filing_id: int, by: Any, kind: str, reasons: str = "", reason_code: str = ""
) -> Decision:
    """A reviewer proposes the outcome; "file" only once the checklist and every item are settled."""
    filing = _lock(filing_id)
    if has_declared_conflict(by, filing):
        raise ConflictOfInterestError()
    if not can_work_on(by, filing):
        raise NotAllowedError()
    if filing.state != S.UNDER_REVIEW:
        raise WrongStateError(_("Decisions are drafted while the filing is under review."))
    if Decision.objects.select_for_update().filter(filing=filing, status=DecisionStatus.DRAFTED).exists():
        raise ReviewError(
            _("A decision already awaits confirmation; it must be returned or withdrawn first.")
        )
    reasons = (reasons or "").strip()
    round_ = ensure_round(filing, by)
    if kind == DecisionKind.FILE:
        blockers = decision_blockers(filing, round_)
        if blockers:
            raise ReviewError(" ".join(str(b) for b in blockers))
        reason_code = ""
    elif kind == DecisionKind.REJECT:
        if reason_code not in ReasonCode.values or not reasons:
            raise ReviewError(_("A rejection needs a reason code and the reasons the issuer will read."))
    else:
        raise ReviewError(_("Choose to file or to reject."))
    decision = Decision.objects.create(
        filing=filing,
        round=round_,
        kind=kind,
        reasons=reasons,
        reason_code=reason_code,
        drafted_by=by,
        drafted_at=timezone.now(),
    )
    record_event(
        action="decision.draft",
        actor=by,
        subject=decision,
        filing_id=filing.pk,
        data={
            "kind": kind,
            "reason_code": reason_code,
            "reasons": reasons,
            "round": round_.number if round_ else None,
        },
    )
    notifications.notify(
        recipients=notifications.lead_reviewers(filing, exclude=[by.pk]),
        event="decision_drafted",
        filing=filing,
        context={"decision": decision},
    )
    return decision


def _locked_decision(decision_id: int) -> tuple[Filing, Decision]:
    filing_id = Decision.objects.values_list("filing_id", flat=True).get(pk=decision_id)
    filing = _lock(filing_id)
    # Lock the decision row too: two leads may confirm at once; the second must find it decided.
    return filing, Decision.objects.select_for_update().select_related("drafted_by").get(pk=decision_id)


@transaction.atomic
def withdraw_decision(*, decision_id: int, by: Any) -> Decision:
    filing, decision = _locked_decision(decision_id)
    if decision.status != DecisionStatus.DRAFTED:
        raise AlreadyDecidedError()
    if decision.drafted_by_id != by.pk:
        raise NotAllowedError(_("Only the drafter withdraws a draft decision."))
    decision.status = DecisionStatus.WITHDRAWN
    decision.save(update_fields=["status"])
    record_event(
        action="decision.withdraw",
        actor=by,
        subject=decision,
        filing_id=filing.pk,
        data={"kind": decision.kind},
    )
    return decision


def _check_confirmer(by: Any, filing: Filing, decision: Decision) -> None:
    if decision.status != DecisionStatus.DRAFTED:
        raise AlreadyDecidedError()
    if not is_active_lead(by):
        raise NotAllowedError(_("Only a lead reviewer confirms or returns a decision."))
    if decision.drafted_by_id == by.pk:
        raise FourEyesError()
    if has_declared_conflict(by, filing):
        raise ConflictOfInterestError()


@transaction.atomic
def return_decision(*, decision_id: int, by: Any, note: str) -> Decision:
    """The lead sends the draft back to its drafter with a note; nothing is decided."""
    filing, decision = _locked_decision(decision_id)
    _check_confirmer(by, filing, decision)
    note = (note or "").strip()
    if not note:
        raise ReviewError(_("Say why the draft goes back."))
    decision.status = DecisionStatus.RETURNED
    decision.returned_by = by
    decision.returned_at = timezone.now()
    decision.return_note = note
    decision.save(update_fields=["status", "returned_by", "returned_at", "return_note"])
    record_event(
        action="decision.return",
        actor=by,
        subject=decision,
        filing_id=filing.pk,
        data={"kind": decision.kind, "note": note},
    )
    notifications.notify(
        recipients=[decision.drafted_by],
        event="decision_returned",
        filing=filing,
        context={"decision": decision},
    )
    return decision


@transaction.atomic
def confirm_decision(*, decision_id: int, by: Any) -> Decision:
    """Four eyes: a lead who neither drafted it nor declared a conflict makes it the outcome.
    Filing issues the numbered filing notice; rejection the decision notice with the reasons."""
    filing, decision = _locked_decision(decision_id)
    _check_confirmer(by, filing, decision)
    if filing.state != S.UNDER_REVIEW:
        raise WrongStateError()
    if decision.kind == DecisionKind.FILE:
        # Something may have changed since the draft (an answer turned deficient, a waiver came in).
        blockers = decision_blockers(filing, ensure_round(filing, by))
        if blockers:
            raise ReviewError(" ".join(str(b) for b in blockers))
    now = timezone.now()
    filing_services.transition_filing(
        filing_id=filing.pk,
        name="decide_file" if decision.kind == DecisionKind.FILE else "decide_reject",
        by=by,
        reason=decision.reasons,
        reason_code=decision.reason_code,
        at=now,
        data={"decision": decision.pk, "drafted_by": decision.drafted_by.username},
    )
    filing = Filing.objects.get(pk=filing.pk)
    if decision.kind == DecisionKind.FILE:
        notice = issue_notice(
            filing=filing,
            kind=NoticeKind.FILING,
            by=by,
            context={"decision": decision, "snapshot": latest_snapshot(filing)},
        )
    else:
        notice = issue_notice(
            filing=filing,
            kind=NoticeKind.REJECTION,
            by=by,
            context={"decision": decision, "reason_label": ReasonCode(decision.reason_code).label},
        )
    decision.status = DecisionStatus.CONFIRMED
    decision.confirmed_by = by
    decision.confirmed_at = now
    decision.notice = notice
    decision.save(update_fields=["status", "confirmed_by", "confirmed_at", "notice"])
    record_event(
        action="decision.confirm",
        actor=by,
        subject=decision,
        filing_id=filing.pk,
        data={"kind": decision.kind, "drafted_by": decision.drafted_by.username, "notice": notice.number},
    )
    notifications.notify(
        recipients=[*notifications.issuer_contacts(filing), decision.drafted_by],
        event="decision_confirmed",
        filing=filing,
        context={"decision": decision, "notice": notice},
    )
    return decision
