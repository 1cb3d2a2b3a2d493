"""Checklist versions, review rounds, answers and the evidence a reviewer can link."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet

from filings.models import Document, Filing, Snapshot
from filings.snapshot import flatten

from ..anchors import field_paths
from ..models import (
    ChecklistGroup,
    ChecklistItem,
    ChecklistTemplate,
    ReviewRound,
    TemplateStatus,
    Verdict,
)
from ..models.checklists import GROUP_ORDER
from .common import S


def current_template() -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED).order_by("-version").first()


def templates_for_admin() -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.annotate(
        item_count=Count("items"), round_count=Count("rounds", distinct=True)
    )


def current_round(filing: Filing) -> ReviewRound | None:
    return filing.review_rounds.select_related("snapshot", "template").order_by("-number").first()


def needs_round_sync(filing: Filing) -> bool:
    """A resubmission froze a snapshot the review has not opened a round for yet."""
    latest = filing.snapshots.aggregate(v=Max("version"))["v"]
    round_ = filing.review_rounds.aggregate(n=Max("number"))["n"]
    if latest is None or filing.state == S.SUPPLEMENT_REQUESTED:
        return False
    if round_ is not None:
        return latest > round_
    return filing.supplement_requests.filter(resubmitted_at__isnull=True).exists()


def applicable_items(round_: ReviewRound) -> list[ChecklistItem]:
    return [item for item in round_.template.items.all() if item.applies_to(round_.filing.asset_class)]


@dataclass
class ChecklistGroupRows:
    key: str
    label: Any
    rows: list[dict[str, Any]] = field(default_factory=list)


def checklist_for(round_: ReviewRound) -> list[ChecklistGroupRows]:
    """The round's applicable items by group, each with its answer (and last round's, for reference)."""
    answers = {
        a.item_id: a
        for a in round_.answers.select_related(
            "answered_by", "evidence_document", "evidence_document__requirement", "carried_from__round"
        )
    }
    groups = {key: ChecklistGroupRows(key, ChecklistGroup(key).label) for key in GROUP_ORDER}
    for item in applicable_items(round_):
        groups[item.group].rows.append({"item": item, "answer": answers.get(item.pk)})
    return [g for g in groups.values() if g.rows]


def checklist_progress(round_: ReviewRound | None) -> dict[str, int]:
    if round_ is None:
        return {"total": 0, "answered": 0, "satisfied": 0, "deficient": 0, "not_applicable": 0, "carried": 0}
    items = {item.pk for item in applicable_items(round_)}
    answers = [a for a in round_.answers.all() if a.item_id in items]
    return {
        "total": len(items),
        "answered": len(answers),
        "satisfied": sum(a.verdict == Verdict.SATISFIED for a in answers),
        "deficient": sum(a.verdict == Verdict.DEFICIENT for a in answers),
        "not_applicable": sum(a.verdict == Verdict.NOT_APPLICABLE for a in answers),
        "carried": sum(a.carried_from_id is not None for a in answers),
    }


def snapshot_documents(filing: Filing, snapshot: Snapshot) -> list[Document]:
    """The documents the snapshot froze (matched by hash), for evidence links."""
    hashes = {d.get("sha256") for d in snapshot.data.get("documents") or []}
    return [
        d
        for d in filing.documents.select_related("requirement").order_by("requirement__order", "-version")
        if d.sha256 in hashes
    ]


def evidence_paths(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Each field of the snapshot a reviewer can cite, with what it holds (the picker shows both)."""
    leaves = flatten(data)
    paths = []
    for path in field_paths(data):
        value = leaves.get(path)
        preview = "" if value is None or value in ([], "") else str(value)
        paths.append((path, preview[:77] + "…" if len(preview) > 80 else preview))
    return paths


def evidence_options(round_: ReviewRound) -> dict[str, Any]:
    data = round_.snapshot.data
    return {
        "documents": snapshot_documents(round_.filing, round_.snapshot),
        "paths": evidence_paths(data),
        "findings": data.get("preflight") or [],
    }


def snapshot_finding(snapshot: Snapshot, code: str) -> dict[str, Any] | None:
    return next((f for f in snapshot.data.get("preflight") or [] if f.get("code") == code), None)
