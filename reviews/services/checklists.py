"""Answering the checklist with evidence, and administrators' versioning of the checklist itself."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from filings.services import _lock
from filings.workflow import AssetClass

from ..anchors import SECTION_KEYS, path_exists
from ..errors import EvidenceError, NotAllowedError, ReviewError, WrongStateError
from ..models import (
    ChecklistAnswer,
    ChecklistGroup,
    ChecklistItem,
    ChecklistTemplate,
    ReviewRound,
    TemplateStatus,
    Verdict,
)
from ..permissions import can_work_on
from ..selectors import ACTIVE_REVIEW_STATES, current_template, snapshot_documents
from .rounds import ensure_round


def _check_evidence(
    round_: ReviewRound,
    *,
    verdict: str,
    note: str,
    document_id: int | None,
    page: int | None,
    path: str,
    finding: str,
) -> None:
    snapshot = round_.snapshot
    if verdict in (Verdict.SATISFIED, Verdict.DEFICIENT) and not (document_id or path or finding):
        raise EvidenceError(
            _(
                "Link the evidence: a document and page, a data field of the snapshot, or a "
                "pre-flight finding."
            )
        )
    if verdict == Verdict.NOT_APPLICABLE and not note:
        raise EvidenceError(_("Say why the item does not apply."))
    if verdict == Verdict.DEFICIENT and not note:
        raise EvidenceError(_("Describe the deficiency in the note."))
    if document_id and document_id not in {d.pk for d in snapshot_documents(round_.filing, snapshot)}:
        raise EvidenceError(
            _("That document is not part of snapshot %(version)s.") % {"version": snapshot.version}
        )
    if page is not None and (not document_id or page < 1):
        raise EvidenceError(_("A page number needs a document, and pages start at 1."))
    if path and not path_exists(snapshot.data, path):
        raise EvidenceError(
            _("“%(path)s” is not a field of snapshot %(version)s.")
            % {"path": path, "version": snapshot.version}
        )
    if finding and finding not in {f.get("code") for f in snapshot.data.get("preflight") or []}:
        raise EvidenceError(
            _("Pre-flight finding %(code)s is not reported in snapshot %(version)s.")
            % {"code": finding, "version": snapshot.version}
        )


@transaction.atomic
def answer_checklist_item(
    *,
    filing_id: int,
    item_id: int,
    verdict: str,
    by: Any,
    note: str = "",
    evidence_document_id: int | None = None,
    evidence_page: int | None = None,
    evidence_path: str = "",
    evidence_finding: str = "",
) -> ChecklistAnswer:
    """Record the verdict on one item of the current round, with what it rests on."""
    filing = _lock(filing_id)
    if not can_work_on(by, filing):
        raise NotAllowedError()
    if filing.state not in ACTIVE_REVIEW_STATES:
        raise WrongStateError(_("The checklist is answered while the filing is in review."))
    round_ = ensure_round(filing, by)
    if round_ is None:
        raise WrongStateError()
    item = round_.template.items.filter(pk=item_id).first()
    if item is None or not item.applies_to(filing.asset_class):
        raise ReviewError(
            _("This item is not part of the checklist of round %(round)s.") % {"round": round_.number}
        )
    if verdict not in Verdict.values:
        raise ReviewError(_("Choose satisfied, deficient or not applicable."))
    evidence: dict[str, Any] = {
        "verdict": verdict,
        "note": (note or "").strip(),
        "document_id": evidence_document_id,
        "page": evidence_page,
        "path": (evidence_path or "").strip(),
        "finding": (evidence_finding or "").strip(),
    }
    _check_evidence(round_, **evidence)
    return _write_answer(round_, item, by=by, **evidence)


def _write_answer(
    round_: ReviewRound,
    item: ChecklistItem,
    *,
    by: Any,
    verdict: str,
    note: str,
    document_id: int | None,
    page: int | None,
    path: str,
    finding: str,
    **context: Any,
) -> ChecklistAnswer:
    """Store the round's answer to the item (replacing an earlier or carried one) and record it;
    ``context`` adds to the event what led to the answer (the deficiency item that settled it)."""
    answer, _created = ChecklistAnswer.objects.update_or_create(
        round=round_,
        item=item,
        defaults={
            "verdict": verdict,
            "note": note,
            "evidence_document_id": document_id,
            "evidence_page": page,
            "evidence_path": path,
            "evidence_finding": finding,
            "answered_by": by,
            "answered_at": timezone.now(),
            "carried_from": None,
        },
    )
    record_event(
        action="checklist.answer",
        actor=by,
        subject=answer,
        filing_id=round_.filing_id,
        data={
            "round": round_.number,
            "template": round_.template.version,
            "item": item.code,
            "verdict": verdict,
            "note": note,
            "document": document_id,
            "page": page,
            "path": path,
            "finding": finding,
            **context,
        },
    )
    return answer


@transaction.atomic
def answer_checklist_items(
    *,
    filing_id: int,
    item_ids: list[int],
    by: Any,
    note: str = "",
    evidence_document_id: int | None = None,
    evidence_page: int | None = None,
    evidence_path: str = "",
    evidence_finding: str = "",
) -> list[ChecklistAnswer]:
    """Mark several items satisfied on the same evidence: all of them, or none if one is refused."""
    if not item_ids:
        raise ReviewError(_("Select the items to mark satisfied."))
    return [
        answer_checklist_item(
            filing_id=filing_id,
            item_id=item_id,
            verdict=Verdict.SATISFIED,
            by=by,
            note=note,
            evidence_document_id=evidence_document_id,
            evidence_page=evidence_page,
            evidence_path=evidence_path,
            evidence_finding=evidence_finding,
        )
        for item_id in dict.fromkeys(item_ids)
    ]


def settle_answers_from_accepted_item(*, round_: ReviewRound, item: Any, by: Any) -> list[ChecklistAnswer]:
    """The checklist items a deficiency item came from are satisfied once its answer is accepted.

    Called inside ``rule_on_item``'s transaction. The item was raised from an answer of an earlier
    round, so the current round's item is found by its code; the evidence is the field the
    deficiency item pointed at when the current snapshot still has it.
    """
    if item.checklist_item_id is None:
        return []
    code = ChecklistItem.objects.values_list("code", flat=True).get(pk=item.checklist_item_id)
    target = round_.template.items.filter(code=code).first()
    if target is None or not target.applies_to(round_.filing.asset_class):
        return []
    data = round_.snapshot.data
    candidates = [item.anchor_path] if item.anchor_path else []
    candidates += SECTION_KEYS.get(item.anchor_section, [])
    path = next((p for p in candidates if p and path_exists(data, p)), "")
    current = round_.answers.filter(item=target).first()
    keep = current is not None and current.has_evidence and not path
    note = str(_("Deficiency item %(number)s: the issuer's answer was accepted.") % {"number": item.number})
    answer = _write_answer(
        round_,
        target,
        by=by,
        verdict=Verdict.SATISFIED,
        note=note,
        document_id=current.evidence_document_id if keep and current else None,
        page=current.evidence_page if keep and current else None,
        path=path or (current.evidence_path if keep and current else ""),
        finding=current.evidence_finding if keep and current else "",
        deficiency_item=item.number,
    )
    return [answer]


# Templates: administrators edit a draft version and publish it; published versions never change.

ITEM_FIELDS = ("group", "code", "text_zh", "text_en", "citation", "asset_classes", "order")


def _require_administrator(by: Any) -> None:
    if not (getattr(by, "is_administrator", False) and by.is_active):
        raise NotAllowedError(_("Only administrators edit the checklist."))


def _locked_draft(template_id: int) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.select_for_update().get(pk=template_id)
    if not template.is_editable:
        raise ReviewError(
            _("Version %(version)s is published and can no longer change; start a new version.")
            % {"version": template.version}
        )
    return template


@transaction.atomic
def create_template_draft(*, by: Any, title: str = "") -> ChecklistTemplate:
    """Start the next version as a copy of the one in force."""
    _require_administrator(by)
    if ChecklistTemplate.objects.filter(status=TemplateStatus.DRAFT).exists():
        raise ReviewError(_("A draft version already exists; finish or publish it first."))
    base = current_template()
    version = (ChecklistTemplate.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = ChecklistTemplate.objects.create(
        version=version, title=title or (base.title if base else ""), created_by=by
    )
    if base is not None:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(template=draft, **{name: getattr(item, name) for name in ITEM_FIELDS})
            for item in base.items.all()
        )
    record_event(
        action="checklist_template.draft",
        actor=by,
        subject=draft,
        data={"version": version, "based_on": base.version if base else None},
    )
    return draft


@transaction.atomic
def save_template_item(
    *, template_id: int, by: Any, fields: dict[str, Any], item_id: int | None = None
) -> ChecklistItem:
    _require_administrator(by)
    template = _locked_draft(template_id)
    if fields.get("group") not in ChecklistGroup.values:
        raise ReviewError(_("Choose the group of the item."))
    classes = list(fields.get("asset_classes") or [])
    if any(c not in AssetClass.values for c in classes):
        raise ReviewError(_("Unknown asset class."))
    values = {name: fields[name] for name in ITEM_FIELDS if name in fields}
    values["asset_classes"] = classes
    duplicate = template.items.filter(code=values.get("code"))
    if item_id is not None:
        duplicate = duplicate.exclude(pk=item_id)
    if duplicate.exists():
        raise ReviewError(
            _("Another item of this version already has code %(code)s.") % {"code": values.get("code")}
        )
    if item_id is None:
        item = ChecklistItem.objects.create(template=template, **values)
    else:
        item = template.items.get(pk=item_id)
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
    record_event(
        action="checklist_template.item_save",
        actor=by,
        subject=item,
        data={"version": template.version, **{k: str(v) for k, v in values.items()}},
    )
    return item


@transaction.atomic
def delete_template_item(*, template_id: int, item_id: int, by: Any) -> None:
    _require_administrator(by)
    template = _locked_draft(template_id)
    item = template.items.get(pk=item_id)
    record_event(
        action="checklist_template.item_delete",
        actor=by,
        subject=template,
        data={"version": template.version, "code": item.code},
    )
    item.delete()


@transaction.atomic
def publish_template(*, template_id: int, by: Any, note: str = "") -> ChecklistTemplate:
    """The draft comes into force for rounds opened from now on; open rounds keep their version."""
    _require_administrator(by)
    template = _locked_draft(template_id)
    if not template.items.exists():
        raise ReviewError(_("A checklist needs at least one item."))
    ChecklistTemplate.objects.select_for_update().filter(status=TemplateStatus.PUBLISHED).update(
        status=TemplateStatus.SUPERSEDED
    )
    template.status = TemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    template.published_by = by
    if note:
        template.note = note
    template.save()
    record_event(
        action="checklist_template.publish",
        actor=by,
        subject=template,
        data={"version": template.version, "items": template.items.count(), "note": template.note},
    )
    return template
