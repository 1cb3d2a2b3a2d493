"""Review rounds: round N reviews snapshot N with the checklist version in force when it opened."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from filings.models import Filing

from .. import notifications
from ..errors import ReviewError
from ..models import ChecklistAnswer, DeficiencyResponse, ItemStatus, ReviewRound
from ..selectors import current_template, latest_snapshot


def ensure_round(filing: Filing, by: Any = None) -> ReviewRound | None:
    """Open the round for the latest snapshot if it has none; the caller holds the filing's lock.

    Opening round N+1 also closes the supplement request the resubmission answered: its answers are
    frozen with the new snapshot and the assigned reviewers are told the answers are in. This runs
    whichever screen the issuer resubmitted from, so nothing depends on which button was pressed.
    """
    snapshot = latest_snapshot(filing)
    if snapshot is None:
        return None
    existing = (
        filing.review_rounds.filter(number=snapshot.version).select_related("snapshot", "template").first()
    )
    if existing is not None:
        return existing
    template = current_template()
    if template is None:
        raise ReviewError(_("No checklist version is in force: an administrator must publish one."))
    previous = filing.review_rounds.order_by("-number").first()
    round_ = ReviewRound.objects.create(
        filing=filing, number=snapshot.version, snapshot=snapshot, template=template
    )
    carried = _carry_answers(previous, round_) if previous is not None else 0
    record_event(
        action="review.round_open",
        actor=by,
        subject=round_,
        filing_id=filing.pk,
        data={
            "round": round_.number,
            "snapshot": snapshot.version,
            "template": template.version,
            "carried_answers": carried,
        },
    )
    answered_request = (
        filing.supplement_requests.filter(resubmitted_at__isnull=True, snapshot__version__lt=snapshot.version)
        .order_by("-number")
        .first()
    )
    if answered_request is not None:
        answered_request.resubmitted_snapshot = snapshot
        answered_request.resubmitted_at = snapshot.created_at
        answered_request.save(update_fields=["resubmitted_snapshot", "resubmitted_at"])
        DeficiencyResponse.objects.filter(request=answered_request).update(submitted_in=snapshot)
        numbers = list(
            answered_request.request_items.order_by("item__number").values_list("item__number", flat=True)
        )
        answered = list(
            answered_request.items.filter(status=ItemStatus.ANSWERED)
            .order_by("number")
            .values_list("number", flat=True)
        )
        record_event(
            action="review.answers_received",
            actor=by,
            subject=answered_request,
            filing_id=filing.pk,
            data={
                "request": answered_request.number,
                "snapshot": snapshot.version,
                "items": numbers,
                "answered": answered,
            },
        )
        notifications.notify(
            recipients=notifications.assigned_reviewers(filing),
            event="resubmitted",
            filing=filing,
            context={
                "request": answered_request,
                "answered": answered,
                "unanswered": sorted(set(numbers) - set(answered)),
                "snapshot": snapshot,
            },
        )
    return round_


def _carry_answers(previous: ReviewRound, round_: ReviewRound) -> int:
    """Copy last round's answers onto the same item codes, marked as carried until re-confirmed."""
    by_code = {item.code: item for item in round_.template.items.all()}
    copies = []
    for answer in previous.answers.select_related("item"):
        item = by_code.get(answer.item.code)
        if item is None or not item.applies_to(round_.filing.asset_class):
            continue
        copies.append(
            ChecklistAnswer(
                round=round_,
                item=item,
                verdict=answer.verdict,
                note=answer.note,
                evidence_document_id=answer.evidence_document_id,
                evidence_page=answer.evidence_page,
                evidence_path=answer.evidence_path,
                evidence_finding=answer.evidence_finding,
                answered_by_id=answer.answered_by_id,
                answered_at=answer.answered_at,
                carried_from=answer,
            )
        )
    ChecklistAnswer.objects.bulk_create(copies)
    return len(copies)
