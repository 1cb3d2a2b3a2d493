"""The audit history frozen with a snapshot, and the review history of the reviewer copy.

Frozen history. The dossier prints the filing's events up to and including the one that recorded
the snapshot (``filing.submit`` / ``filing.resubmit`` with ``data.snapshot == version``) and the
filing chain's hash at that event. Events are append-only and their sequence never changes, so the
same snapshot prints the same history and head hash however much happens to the filing later.
(Where no such event exists, e.g. for hand-made snapshots, the cut is ``occurred_at <= created_at``.)

Review history. Reviews import filings, never the reverse: the reviewer copy asks the callable named
by ``settings.DOSSIER_REVIEW_HISTORY_PROVIDER`` (``(filing, snapshot) -> dict``) and, when that is
unset or cannot be imported, prints the review and lifecycle events recorded for this snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.models import GENESIS_HASH
from audit.selectors import events_for_filing

from ..models import ClockPause, Snapshot
from .formatting import Cell, Table, moment, text

logger = logging.getLogger(__name__)

MAX_HISTORY_ROWS = 500
SUBMIT_ACTIONS = ("filing.submit", "filing.resubmit")
REVIEW_PREFIXES = ("review.", "filing.")
NOT_REVIEW = ("filing.access_refused", "access.refused")  # the first: logs written before desk.refusals


@dataclass(frozen=True)
class FrozenHistory:
    table: Table
    count: int
    head_hash: str
    last_sequence: int | None
    submitted_by: str
    pauses: Table | None = None  # the clock's pauses recorded up to the cut (None: there were none)


def _submission_event_sequence(snapshot: Snapshot) -> int | None:
    return (
        events_for_filing(snapshot.filing_id)
        .filter(action__in=SUBMIT_ACTIONS, data__snapshot=snapshot.version)
        .values_list("sequence", flat=True)
        .first()
    )


def frozen_history(snapshot: Snapshot) -> FrozenHistory:
    """The filing's events as they stood when this snapshot was submitted, with the chain head then."""
    events = events_for_filing(snapshot.filing_id)
    cut = _submission_event_sequence(snapshot)
    events = (
        events.filter(sequence__lte=cut)
        if cut is not None
        else events.filter(occurred_at__lte=snapshot.created_at)
    )
    rows = list(events.values("sequence", "occurred_at", "action", "actor_label", "filing_hash"))
    last = rows[-1] if rows else None
    submitted_by = last["actor_label"] if last and last["action"] in SUBMIT_ACTIONS else ""
    shown = rows[-MAX_HISTORY_ROWS:]
    table = Table(
        headers=[
            Cell(_("No."), num=True),
            Cell(_("Time")),
            Cell(_("Action")),
            Cell(_("By")),
            Cell(_("Filing chain hash")),
        ],
        rows=[
            [
                Cell(str(row["sequence"]), num=True),
                Cell(moment(row["occurred_at"])),
                Cell(row["action"]),
                Cell(text(row["actor_label"])),
                Cell(row["filing_hash"][:16] + "…"),
            ]
            for row in shown
        ],
        hidden=len(rows) - len(shown),
    )
    return FrozenHistory(
        table=table,
        count=len(rows),
        head_hash=(last["filing_hash"] if last else "") or GENESIS_HASH,
        last_sequence=last["sequence"] if last else None,
        submitted_by=submitted_by,
        pauses=pause_table(snapshot, until=last["occurred_at"] if last else snapshot.created_at),
    )


def pause_table(snapshot: Snapshot, *, until: Any = None) -> Table | None:
    """Every pause of the clock (meeting, consultation, suspension) recorded by ``until`` (all when
    None), with its end only if it ended by then: the same snapshot prints the same."""
    pauses = ClockPause.objects.filter(filing_id=snapshot.filing_id).select_related("started_by")
    if until is not None:
        pauses = pauses.filter(recorded_at__lte=until)
    rows = []
    for pause in pauses[:MAX_HISTORY_ROWS]:
        ended = pause.ended_at is not None and (until is None or pause.ended_at <= until)
        rows.append(
            [
                Cell(str(pause.get_kind_display())),
                Cell(text(pause.reason)),
                Cell(moment(pause.started_at)),
                Cell(moment(pause.ended_at) if ended else _("still paused")),
                Cell(str(pause.get_outcome_display()) if ended else text("")),
                Cell(text(str(pause.started_by))),
            ]
        )
    if not rows:
        return None
    return Table(
        headers=[
            Cell(_("Pause")),
            Cell(_("Reason")),
            Cell(_("From")),
            Cell(_("Until")),
            Cell(_("Outcome")),
            Cell(_("Recorded by")),
        ],
        rows=rows,
    )


def review_provider() -> Callable[[Any, Snapshot], Mapping[str, Any]] | None:
    path = getattr(settings, "DOSSIER_REVIEW_HISTORY_PROVIDER", "")
    if not path:
        return None
    try:
        provider: Callable[[Any, Snapshot], Mapping[str, Any]] = import_string(path)
    except ImportError:
        logger.warning("DOSSIER_REVIEW_HISTORY_PROVIDER %r cannot be imported; using the audit events", path)
        return None
    return provider


def review_history(snapshot: Snapshot) -> dict[str, Any]:
    """Checklist answers, deficiency rounds and decisions for the reviewer copy."""
    provider = review_provider()
    if provider is not None:
        return _provided_history(provider(snapshot.filing, snapshot))
    return {"source": "events", "events": _review_events(snapshot)}


def _provided_history(history: Mapping[str, Any]) -> dict[str, Any]:
    checklist = Table(
        headers=[Cell(_("Group")), Cell(_("Item")), Cell(_("Answer")), Cell(_("Note")), Cell(_("Evidence"))],
        rows=[
            [Cell(text(row.get(key))) for key in ("group", "item", "answer", "note", "evidence")]
            for row in history.get("checklist") or []
        ][:MAX_HISTORY_ROWS],
    )
    rounds = []
    for round_ in history.get("rounds") or []:
        items = Table(
            headers=[
                Cell(_("No."), num=True),
                Cell(_("Anchor")),
                Cell(_("Question")),
                Cell(_("Status")),
                Cell(_("Answer")),
            ],
            rows=[
                [
                    Cell(text(item.get("number")), num=True),
                    Cell(text(item.get("anchor"))),
                    Cell(text(item.get("question"))),
                    Cell(text(item.get("status"))),
                    Cell(text(item.get("answer"))),
                ]
                for item in (round_.get("items") or [])[:MAX_HISTORY_ROWS]
            ],
        )
        rounds.append(
            {"number": text(round_.get("number")), "sent_at": moment(round_.get("sent_at")), "items": items}
        )
    decisions = Table(
        headers=[
            Cell(_("Decision")),
            Cell(_("Drafted by")),
            Cell(_("Confirmed by")),
            Cell(_("Confirmed")),
            Cell(_("Reasons")),
        ],
        rows=[
            [
                Cell(text(row.get("kind"))),
                Cell(text(row.get("drafted_by"))),
                Cell(text(row.get("confirmed_by"))),
                Cell(moment(row.get("confirmed_at"))),
                Cell(text(row.get("reasons"))),
            ]
            for row in history.get("decisions") or []
        ],
    )
    return {"source": "provider", "checklist": checklist, "rounds": rounds, "decisions": decisions}


def _review_events(snapshot: Snapshot) -> Table:
    """Review and lifecycle events from this snapshot's submission up to the next one's."""
    start = _submission_event_sequence(snapshot)
    events = events_for_filing(snapshot.filing_id)
    if start is not None:
        events = events.filter(sequence__gt=start)
    else:
        events = events.filter(occurred_at__gt=snapshot.created_at)
    following = Snapshot.objects.filter(filing_id=snapshot.filing_id, version=snapshot.version + 1).first()
    end = _submission_event_sequence(following) if following is not None else None
    if end is not None:
        events = events.filter(sequence__lte=end)
    rows = [
        row
        for row in events.values("sequence", "occurred_at", "action", "actor_label", "data")
        if row["action"].startswith(REVIEW_PREFIXES) and row["action"] not in NOT_REVIEW
    ]
    shown = rows[:MAX_HISTORY_ROWS]
    return Table(
        headers=[
            Cell(_("No."), num=True),
            Cell(_("Time")),
            Cell(_("Action")),
            Cell(_("By")),
            Cell(_("Details")),
        ],
        rows=[
            [
                Cell(str(row["sequence"]), num=True),
                Cell(moment(row["occurred_at"])),
                Cell(row["action"]),
                Cell(text(row["actor_label"])),
                Cell(_event_details(row["data"])),
            ]
            for row in shown
        ],
        hidden=len(rows) - len(shown),
    )


def _event_details(data: Any) -> str:
    if not isinstance(data, Mapping):
        return text(data)
    parts = [
        f"{key}: {text(value)}" for key, value in sorted(data.items()) if value not in ("", None, [], {})
    ]
    joined = "; ".join(parts)
    return joined if len(joined) <= 300 else joined[:299] + "…"
