"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import GENESIS_HASH, ChainHead, Event


def canonical_json(value: Any) -> str:
    """Stable JSON: sorted keys, no spaces, non-ASCII kept, so the same data hashes the same."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _event_body(event: Event) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "filing_id": event.filing_id,
        "data": event.data,
    }


def compute_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(body)).encode("utf-8")).hexdigest()


def record_event(
    *,
    action: str,
    actor: Any = None,
    subject: models.Model | None = None,
    filing_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain; call inside the transaction of the change it records."""
    with transaction.atomic():
        # Lock the head row: two concurrent appends must not both link to the same predecessor.
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = Event(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=(str(actor) if actor is not None else "system"),
            action=action,
            subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=subject.pk if subject is not None else None,
            filing_id=filing_id,
            data=json.loads(canonical_json(data or {})),
            prev_hash=head.last_hash,
        )
        body = _event_body(event)
        event.hash = compute_hash(head.last_hash, body)
        if filing_id is not None:
            previous = (
                Event.objects.filter(filing_id=filing_id)
                .order_by("-sequence")
                .values_list("filing_hash", flat=True)
                .first()
            )
            event.filing_prev_hash = previous or GENESIS_HASH
            event.filing_hash = compute_hash(event.filing_prev_hash, body)
        event.save(force_insert=True)
        head.last_sequence = event.sequence
        head.last_hash = event.hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    head_hash: str
    first_broken_sequence: int | None = None
    reason: str = ""


def verify_chain() -> ChainVerification:
    """Recompute every hash in order, the global chain and each filing's chain; report the first
    event whose link or content was altered, or where an event is missing."""
    prev = GENESIS_HASH
    filing_heads: dict[int, str] = {}
    checked = 0
    expected_sequence = 1
    for event in Event.objects.order_by("sequence").iterator(chunk_size=2000):
        body = _event_body(event)
        reason = ""
        if event.sequence != expected_sequence:
            reason = "missing event before this one"
        elif event.prev_hash != prev:
            reason = "link to the previous event broken"
        elif compute_hash(prev, body) != event.hash:
            reason = "content altered"
        elif event.filing_id is not None:
            filing_prev = filing_heads.get(event.filing_id, GENESIS_HASH)
            if event.filing_prev_hash != filing_prev or compute_hash(filing_prev, body) != event.filing_hash:
                reason = "filing chain broken"
            filing_heads[event.filing_id] = event.filing_hash
        if reason:
            return ChainVerification(False, checked, prev, event.sequence, reason)
        prev = event.hash
        checked += 1
        expected_sequence += 1
    return ChainVerification(True, checked, prev)


def filing_head_hash(filing_id: int) -> str:
    """The head of one filing's chain: printed in its dossier."""
    head = (
        Event.objects.filter(filing_id=filing_id)
        .order_by("-sequence")
        .values_list("filing_hash", flat=True)
        .first()
    )
    return head or GENESIS_HASH
