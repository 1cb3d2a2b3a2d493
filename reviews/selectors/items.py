"""Deficiency items, supplement requests, and what changed under each item between rounds."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from filings.models import Filing

from ..anchors import diff_within, prefixes_for
from ..models import (
    DeficiencyItem,
    DeficiencyResponse,
    RequestItem,
    SupplementRequest,
)


def items_for(filing: Filing) -> QuerySet[DeficiencyItem]:
    return (
        filing.deficiency_items.select_related("checklist_item", "created_by")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=DeficiencyResponse.objects.select_related(
                    "request", "answered_by", "ruled_by", "document", "submitted_in"
                ).order_by("request__number"),
            ),
            Prefetch(
                "request_items",
                queryset=RequestItem.objects.select_related("request").order_by("request__number"),
            ),
        )
        .order_by("number", "created_at")
    )


def requests_for(filing: Filing) -> QuerySet[SupplementRequest]:
    return filing.supplement_requests.select_related(
        "notice", "sent_by", "snapshot", "resubmitted_snapshot"
    ).order_by("-number")


def open_request(filing: Filing) -> SupplementRequest | None:
    return requests_for(filing).filter(resubmitted_at__isnull=True).first()


def last_answered_request(filing: Filing) -> SupplementRequest | None:
    return requests_for(filing).filter(resubmitted_at__isnull=False).first()


def item_changes(item: DeficiencyItem, request: SupplementRequest) -> list[tuple[str, Any, Any]]:
    """What changed under the item's anchor between the snapshot the request was sent on and the
    snapshot the issuer's resubmission froze."""
    if request.resubmitted_snapshot is None:
        return []
    return diff_within(
        request.snapshot.data,
        request.resubmitted_snapshot.data,
        prefixes_for(item.anchor_section, item.anchor_path),
    )


# Keys every new snapshot changes by construction: not a change the issuer made.
BOOKKEEPING_PATHS = {"snapshot_version"}


def request_changes(request: SupplementRequest) -> list[tuple[str, Any, Any]]:
    """The whole diff of the resubmission: every field that changed anywhere."""
    if request.resubmitted_snapshot is None:
        return []
    from filings.snapshot import compare

    return [
        row
        for row in compare(request.snapshot.data, request.resubmitted_snapshot.data)
        if row[0] not in BOOKKEEPING_PATHS
    ]


def review_items(filing: Filing) -> dict[str, Any]:
    """Items with their per-request history and, for the last answered request, what changed."""
    last = last_answered_request(filing)
    changed_paths: set[str] = set()
    rows = []
    for item in items_for(filing):
        history: list[dict[str, Any]] = []
        responses = {r.request_id: r for r in item.responses.all()}
        for request_item in item.request_items.all():
            history.append(
                {
                    "request": request_item.request,
                    "response": responses.get(request_item.request_id),
                    "was_reopened": request_item.was_reopened,
                }
            )
        changes = (
            item_changes(item, last) if last and any(h["request"].pk == last.pk for h in history) else []
        )
        changed_paths.update(path for path, _b, _a in changes)
        rows.append(
            {
                "item": item,
                "history": history,
                "changes": changes,
                "latest": history[-1]["response"] if history else None,
            }
        )
    whole = request_changes(last) if last else []
    return {
        "rows": rows,
        "last_request": last,
        "whole_diff": whole,
        "unanchored": [row for row in whole if row[0] not in changed_paths],
    }


def issuer_items(filing: Filing) -> dict[str, Any]:
    """The issuer's view: the open request and, per item, the question and their answer so far."""
    request = open_request(filing)
    rows = []
    if request is not None:
        responses = {r.item_id: r for r in request.responses.select_related("document")}
        for request_item in request.request_items.select_related("item").order_by("item__number"):
            rows.append(
                {
                    "item": request_item.item,
                    "question": request_item.question,
                    "was_reopened": request_item.was_reopened,
                    "response": responses.get(request_item.item_id),
                }
            )
    return {
        "open_request": request,
        "rows": rows,
        "answered": sum(1 for r in rows if r["response"] is not None),
        "history": requests_for(filing).filter(resubmitted_at__isnull=False),
    }
