"""Deficiency rounds: draft items, send them as a numbered request, the issuer answers and
resubmits, the reviewer accepts or reopens each answer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import hooks
from audit.services import record_event
from filings import services as filing_services
from filings.deadlines import filing_clocks
from filings.models import Filing
from filings.services import _lock
from filings.workflow import FilingState

from .. import notifications
from ..anchors import SECTION_KEYS, path_exists, section_for_path
from ..errors import EvidenceError, NotAllowedError, ReviewError, WrongStateError
from ..models import (
    DeficiencyItem,
    DeficiencyResponse,
    ItemStatus,
    NoticeKind,
    RequestItem,
    Ruling,
    SupplementRequest,
)
from ..permissions import can_answer_deficiencies, can_work_on, is_issuer_of
from ..selectors import latest_snapshot, open_request
from .checklists import settle_answers_from_accepted_item
from .notices import issue_notice
from .rounds import ensure_round

S = FilingState
REQUEST_STATES = [S.SUBMITTED, S.UNDER_REVIEW]
SECTION_ORDER = list(SECTION_KEYS)


@transaction.atomic
def draft_deficiency_item(
    *,
    filing_id: int,
    by: Any,
    question: str,
    citation: str,
    anchor_section: str = "",
    anchor_path: str = "",
    rule_code: str = "",
    checklist_item_id: int | None = None,
) -> DeficiencyItem:
    """A reviewer writes an item to send with the next supplement request; it has no number yet."""
    filing = _lock(filing_id)
    if not can_work_on(by, filing):
        raise NotAllowedError()
    if filing.state not in REQUEST_STATES:
        raise WrongStateError(_("Deficiency items are drafted while the regulator holds the filing."))
    question, citation = (question or "").strip(), (citation or "").strip()
    anchor_path = (anchor_path or "").strip()
    if not question or not citation:
        raise ReviewError(_("An item needs the question and the rule it rests on."))
    if anchor_path:
        snapshot = latest_snapshot(filing)
        path_section = section_for_path(anchor_path)
        if snapshot is None or path_section is None or not path_exists(snapshot.data, anchor_path):
            raise EvidenceError(_("“%(path)s” is not a field of the filing.") % {"path": anchor_path})
        if anchor_section and anchor_section != path_section:
            raise EvidenceError(_("“%(path)s” belongs to another section.") % {"path": anchor_path})
        anchor_section = path_section
    if anchor_section not in SECTION_KEYS:
        raise ReviewError(_("Anchor the item to a section or a field."))
    item = DeficiencyItem.objects.create(
        filing=filing,
        question=question,
        citation=citation,
        anchor_section=anchor_section,
        anchor_path=anchor_path,
        rule_code=(rule_code or "").strip(),
        checklist_item_id=checklist_item_id,
        created_by=by,
    )
    record_event(
        action="deficiency.draft",
        actor=by,
        subject=item,
        filing_id=filing.pk,
        data={"question": question, "anchor": item.anchor, "citation": citation, "rule": item.rule_code},
    )
    return item


@transaction.atomic
def discard_draft_item(*, item_id: int, by: Any) -> None:
    item = DeficiencyItem.objects.get(pk=item_id)
    filing = _lock(item.filing_id)
    item = DeficiencyItem.objects.select_for_update().get(pk=item_id)
    if not can_work_on(by, filing):
        raise NotAllowedError()
    if item.status != ItemStatus.DRAFT:
        raise ReviewError(_("Only draft items can be discarded; sent items keep their number."))
    record_event(
        action="deficiency.discard",
        actor=by,
        subject=filing,
        filing_id=filing.pk,
        data={"question": item.question, "anchor": item.anchor},
    )
    item.delete()


@transaction.atomic
def send_supplement_request(
    *, filing_id: int, by: Any, item_ids: list[int] | None = None, message: str = ""
) -> SupplementRequest:
    """Bundle draft and reopened items into a numbered request; only their sections reopen and
    the regulator's clock stops while the issuer's reply clock runs."""
    filing = _lock(filing_id)
    if not can_work_on(by, filing):
        raise NotAllowedError()
    if filing.state not in REQUEST_STATES:
        raise WrongStateError(
            _("A supplement request can be sent during the completeness check or the review.")
        )
    if filing.review_rounds.exists():
        ensure_round(filing, by)  # a resubmission not yet taken in must be, before the next request
    candidates = filing.deficiency_items.select_for_update().filter(
        status__in=[ItemStatus.DRAFT, ItemStatus.REOPENED]
    )
    if item_ids is not None:
        candidates = candidates.filter(pk__in=item_ids)
    items = sorted(candidates, key=lambda i: (i.number is None, i.number or 0, i.created_at))
    if not items:
        raise ReviewError(_("Choose at least one draft or reopened item to send."))
    snapshot = latest_snapshot(filing)
    if snapshot is None:
        raise WrongStateError()
    next_number = filing.deficiency_items.aggregate(n=Max("number"))["n"] or 0
    reopened = {item.pk: item.status == ItemStatus.REOPENED for item in items}
    for item in items:
        if item.number is None:
            next_number += 1
            item.number = next_number
            item.status = ItemStatus.OPEN
            item.save(update_fields=["number", "status"])
    sections = sorted({item.anchor_section for item in items}, key=SECTION_ORDER.index)
    request_number = (filing.supplement_requests.aggregate(n=Max("number"))["n"] or 0) + 1
    numbers = [item.number for item in items]
    filing_services.transition_filing(
        filing_id=filing.pk,
        name="request_supplement",
        by=by,
        data={"request": request_number, "items": numbers, "reopened_sections": sections},
    )
    filing = Filing.objects.get(pk=filing.pk)  # still locked by this transaction
    filing.reopened_sections = sections
    filing.save(update_fields=["reopened_sections"])
    request = SupplementRequest.objects.create(
        filing=filing,
        number=request_number,
        snapshot=snapshot,
        message=(message or "").strip(),
        reopened_sections=sections,
        reply_due_date=filing_clocks(filing).supplement_reply.due_date,
        sent_by=by,
        sent_at=timezone.now(),
    )
    RequestItem.objects.bulk_create(
        RequestItem(
            request=request,
            item=item,
            question=item.question,
            was_reopened=reopened[item.pk],
            reopen_note=item.reopen_note if reopened[item.pk] else "",
        )
        for item in items
    )
    entries = [
        {
            "item": item,
            "responses": list(item.responses.select_related("request").order_by("request__number")),
        }
        for item in items
    ]
    request.notice = issue_notice(
        filing=filing,
        kind=NoticeKind.SUPPLEMENT,
        by=by,
        sequence=request_number,
        context={"request": request, "entries": entries, "snapshot": snapshot},
    )
    request.save(update_fields=["notice"])
    record_event(
        action="review.supplement_request",
        actor=by,
        subject=request,
        filing_id=filing.pk,
        data={
            "request": request_number,
            "items": numbers,
            "reopened_sections": sections,
            "notice": request.notice.number,
            "reply_due": str(request.reply_due_date),
            "snapshot": snapshot.version,
        },
    )
    hooks.emit(
        "supplement.requested",
        filing=filing,
        data={"request": request_number, "items": numbers, "reply_due": str(request.reply_due_date)},
    )
    notifications.notify(
        recipients=notifications.issuer_contacts(filing),
        event="supplement_requested",
        filing=filing,
        context={"request": request, "items": items},
    )
    return request


@transaction.atomic
def answer_deficiency_item(
    *, item_id: int, by: Any, text: str, document_id: int | None = None
) -> DeficiencyResponse:
    """The issuer answers one item of the open request; the answer can change until resubmission."""
    filing_id = DeficiencyItem.objects.values_list("filing_id", flat=True).get(pk=item_id)
    filing = _lock(filing_id)
    if not can_answer_deficiencies(by, filing):
        raise NotAllowedError(
            _(
                "Only the issuer's staff, or an agent the filing is delegated to for answering deficiency "
                "items, answer them."
            )
        )
    if filing.state != S.SUPPLEMENT_REQUESTED:
        raise WrongStateError(_("Items are answered while a supplement request is open."))
    request = open_request(filing)
    item = DeficiencyItem.objects.select_for_update().get(pk=item_id)
    if request is None or not request.request_items.filter(item=item).exists():
        raise ReviewError(_("This item is not part of the open supplement request."))
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write the answer to the item."))
    if document_id is not None and not filing.documents.filter(pk=document_id, is_current=True).exists():
        raise ReviewError(_("Choose a current document of this filing."))
    response, created = DeficiencyResponse.objects.update_or_create(
        item=item,
        request=request,
        defaults={"text": text, "document_id": document_id, "answered_by": by, "answered_at": timezone.now()},
    )
    item.status = ItemStatus.ANSWERED
    item.save(update_fields=["status"])
    record_event(
        action="deficiency.answer",
        actor=by,
        subject=response,
        filing_id=filing.pk,
        data={
            "item": item.number,
            "request": request.number,
            "text": text,
            "document": document_id,
            "revised": not created,
        },
    )
    return response


@transaction.atomic
def resubmit_answers(*, filing_id: int, by: Any) -> Filing:
    """The issuer signatory sends the answers back: snapshot N+1 is frozen and round N+1 opens.
    Items left unanswered stay open for the reviewer to reopen or raise again."""
    filing = _lock(filing_id)
    if not (is_issuer_of(by, filing) and by.is_signatory):
        raise NotAllowedError(_("Only the issuer signatory resubmits."))
    filing_services.resubmit_filing(filing_id=filing.pk, by=by)
    filing = Filing.objects.get(pk=filing.pk)
    ensure_round(filing, by)
    return filing


@transaction.atomic
def rule_on_item(*, item_id: int, by: Any, ruling: str, note: str = "") -> DeficiencyItem:
    """After a resubmission the reviewer accepts an answer, or reopens the item for the next request."""
    filing_id = DeficiencyItem.objects.values_list("filing_id", flat=True).get(pk=item_id)
    filing = _lock(filing_id)
    if not can_work_on(by, filing):
        raise NotAllowedError()
    if filing.state not in REQUEST_STATES:
        raise WrongStateError(_("Answers are ruled on after the issuer has resubmitted."))
    round_ = ensure_round(filing, by)
    item = DeficiencyItem.objects.select_for_update().get(pk=item_id)
    note = (note or "").strip()
    if ruling == Ruling.ACCEPTED:
        if item.status != ItemStatus.ANSWERED:
            raise ReviewError(_("Only an answered item can be accepted."))
    elif ruling == Ruling.REOPENED:
        if item.status not in (ItemStatus.ANSWERED, ItemStatus.OPEN):
            raise ReviewError(_("Only an open or answered item can be reopened."))
        if not note:
            raise ReviewError(
                _("Say what is still missing: the note goes to the issuer with the next request.")
            )
    else:
        raise ReviewError(_("Accept or reopen the item."))
    response = (
        item.responses.filter(submitted_in__isnull=False, ruling="").order_by("-request__number").first()
    )
    if response is not None:
        response.ruling = ruling
        response.ruling_note = note
        response.ruled_by = by
        response.ruled_at = timezone.now()
        response.save(update_fields=["ruling", "ruling_note", "ruled_by", "ruled_at"])
    before = item.status
    item.status = ItemStatus.ACCEPTED if ruling == Ruling.ACCEPTED else ItemStatus.REOPENED
    if ruling == Ruling.REOPENED:
        item.reopen_note = note  # printed with the item in the next request's notice
    item.save(update_fields=["status", "reopen_note"])
    record_event(
        action="deficiency.rule",
        actor=by,
        subject=item,
        filing_id=filing.pk,
        data={"item": item.number, "from": before, "to": item.status, "note": note},
    )
    if ruling == Ruling.ACCEPTED and round_ is not None:
        settle_answers_from_accepted_item(round_=round_, item=item, by=by)
    return item
