"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import GENESIS_HASH, ChainHead, Event, FilingChainHead


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


def actor_label(actor: Any) -> str:
    """Who acted, frozen into the event: a person's name, and for an agent also the organisation they
    act from (the issuer must see which law firm's lawyer did what, whatever happens to the account)."""
    if actor is None:
        return "system"
    if getattr(actor, "is_agent", False) and getattr(actor, "organisation_id", None):
        return f"{actor} ({actor.organisation})"[:200]
    return str(actor)[:200]


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
            actor_label=actor_label(actor),
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
        if filing_id is not None:
            _move_filing_head(filing_id, event)
    return event


def _move_filing_head(filing_id: int, event: Event) -> None:
    """Point the filing's head at its newest event; the global head's row lock, held by the caller,
    already serialises this, so a plain update cannot lose a concurrent append."""
    moved = FilingChainHead.objects.filter(filing_id=filing_id).update(
        last_sequence=event.sequence, last_hash=event.filing_hash, length=models.F("length") + 1
    )
    if not moved:
        FilingChainHead.objects.create(
            filing_id=filing_id, last_sequence=event.sequence, last_hash=event.filing_hash, length=1
        )


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    head_hash: str
    first_broken_sequence: int | None = None
    reason: str = ""
    chain: str = ""  # "global", or "filing <id>" for one filing's chain


@dataclass
class _FilingTail:
    last_sequence: int
    last_hash: str
    length: int


def verify_chain() -> ChainVerification:
    """Recompute every hash in order, the global chain and each filing's chain; report the first
    event whose link or content was altered, or where an event is missing — including the newest
    events of a chain, which only the recorded heads can vouch for."""
    prev = GENESIS_HASH
    tails: dict[int, _FilingTail] = {}
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
            tail = tails.get(event.filing_id)
            filing_prev = tail.last_hash if tail else GENESIS_HASH
            if event.filing_prev_hash != filing_prev or compute_hash(filing_prev, body) != event.filing_hash:
                return ChainVerification(
                    False, checked, prev, event.sequence, "filing chain broken", f"filing {event.filing_id}"
                )
            length = (tail.length if tail else 0) + 1
            tails[event.filing_id] = _FilingTail(event.sequence, event.filing_hash, length)
        if reason:
            return ChainVerification(False, checked, prev, event.sequence, reason, "global")
        prev = event.hash
        checked += 1
        expected_sequence += 1
    broken = _against_global_head(checked, prev) or _against_filing_heads(tails)
    if broken is not None:
        sequence, reason, chain = broken
        return ChainVerification(False, checked, prev, sequence, reason, chain)
    return ChainVerification(True, checked, prev)


def _against_global_head(last_sequence: int, last_hash: str) -> tuple[int, str, str] | None:
    """Compare where the recomputed chain ends with where the head says it ends."""
    head = ChainHead.objects.filter(pk=1).first()
    recorded = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    if recorded[0] > last_sequence:
        missing = recorded[0] - last_sequence
        return (
            last_sequence + 1,
            f"chain truncated: it ends at event #{last_sequence} but its head records #{recorded[0]} "
            f"({missing} newest event{'s' if missing != 1 else ''} missing, "
            f"#{last_sequence + 1}–#{recorded[0]})",
            "global",
        )
    if recorded[0] < last_sequence:
        return (recorded[0] + 1, f"events after the recorded head #{recorded[0]} bypassed it", "global")
    if recorded[1] != last_hash:
        return (last_sequence, "the newest event does not match the recorded head", "global")
    return None


def _against_filing_heads(tails: dict[int, _FilingTail]) -> tuple[int, str, str] | None:
    """Each filing's chain must end exactly where its head row says, with as many events."""
    heads = {head.filing_id: head for head in FilingChainHead.objects.order_by("filing_id")}
    for filing_id in sorted(heads.keys() | tails.keys()):
        head, tail = heads.get(filing_id), tails.get(filing_id)
        chain = f"filing {filing_id}"
        if head is None:
            assert tail is not None
            return (tail.last_sequence, "no head recorded for this filing's chain", chain)
        seen = tail or _FilingTail(0, GENESIS_HASH, 0)
        recorded = (head.last_sequence, head.last_hash, head.length)
        if (seen.last_sequence, seen.last_hash, seen.length) == recorded:
            continue
        missing = head.length - seen.length
        if missing > 0:
            return (
                head.last_sequence,
                f"chain truncated: it ends at event #{seen.last_sequence or '—'} but its head records "
                f"#{head.last_sequence} ({missing} newest event{'s' if missing != 1 else ''} missing, "
                f"the newest #{head.last_sequence})",
                chain,
            )
        return (seen.last_sequence, "the chain does not end at its recorded head", chain)
    return None


def filing_head_hash(filing_id: int) -> str:
    """The head of one filing's chain: printed in its dossier."""
    head = (
        Event.objects.filter(filing_id=filing_id)
        .order_by("-sequence")
        .values_list("filing_hash", flat=True)
        .first()
    )
    return head or GENESIS_HASH
