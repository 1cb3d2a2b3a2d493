"""The review history the reviewer copy of a dossier prints (settings.DOSSIER_REVIEW_HISTORY_PROVIDER).

filings may not import reviews, so the dossier asks for this by dotted path: set
``DOSSIER_REVIEW_HISTORY_PROVIDER = "reviews.dossier.review_history"``.
"""

from __future__ import annotations

from typing import Any

from filings.models import Filing, Snapshot

from .models import ChecklistGroup, DecisionStatus, Ruling


def _evidence(answer: Any) -> str:
    parts = []
    if answer.evidence_document_id:
        document = answer.evidence_document
        page = f" p.{answer.evidence_page}" if answer.evidence_page else ""
        parts.append(f"{document.requirement.code} v{document.version}{page}")
    if answer.evidence_path:
        parts.append(answer.evidence_path)
    if answer.evidence_finding:
        parts.append(answer.evidence_finding)
    return "; ".join(parts)


def review_history(filing: Filing, snapshot: Snapshot) -> dict[str, Any]:
    """Round N's checklist, the requests sent on snapshot N with their answers, and its decisions."""
    round_ = filing.review_rounds.filter(number=snapshot.version).first()
    checklist = []
    decisions = []
    if round_ is not None:
        answers = round_.answers.select_related("item", "evidence_document__requirement").order_by(
            "item__order"
        )
        checklist = [
            {
                "group": str(ChecklistGroup(a.item.group).label),
                "item": f"{a.item.code} {a.item.text}",
                "answer": a.get_verdict_display(),
                "note": a.note,
                "evidence": _evidence(a),
            }
            for a in answers
        ]
        decisions = [
            {
                "kind": d.get_kind_display(),
                "drafted_by": str(d.drafted_by),
                "confirmed_by": str(d.confirmed_by) if d.confirmed_by else "",
                "confirmed_at": d.confirmed_at,
                "reasons": d.reasons,
            }
            for d in filing.decisions.filter(round=round_, status=DecisionStatus.CONFIRMED).select_related(
                "drafted_by", "confirmed_by"
            )
        ]
    rounds = []
    for request in filing.supplement_requests.filter(snapshot=snapshot).order_by("number"):
        responses = {r.item_id: r for r in request.responses.all()}
        items = []
        for request_item in request.request_items.select_related("item").order_by("item__number"):
            response = responses.get(request_item.item_id)
            status = (
                Ruling(response.ruling).label
                if response and response.ruling
                else ("answered" if response else "open")
            )
            items.append(
                {
                    "number": request_item.item.number,
                    "anchor": request_item.item.anchor,
                    "question": request_item.question,
                    "status": str(status),
                    "answer": response.text if response else "",
                }
            )
        rounds.append({"number": request.number, "sent_at": request.sent_at, "items": items})
    return {"checklist": checklist, "rounds": rounds, "decisions": decisions}
