"""Pauses of the regulator's clock and suspension, each an FSM transition with reason and days.

A communication meeting (GL4 Art. 4) or a consultation of other authorities (TM Art. 19(2)) pauses
the review (``pause_review`` / ``resume_review``, the lead or an assigned reviewer); a suspension
(GL1 §二.11) is the lead's (``suspend`` / ``resume``, or ``terminate``). The clock (filings/clock.py)
stops while the filing is in either state and counts from the days entered here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import SHANGHAI, local_date
from .errors import TransitionRefusedError
from .models import ClockPause, Filing, PauseKind, PauseOutcome
from .services import _check_transition, _lock, _state_changed
from .workflow import FilingState


def _moment(day: dt.date, floor: dt.datetime, now: dt.datetime) -> dt.datetime:
    """Today means now; an earlier day its first moment, but never before the previous change."""
    if day == local_date(now):
        return max(now, floor)
    return max(dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI), floor)


def _check_day(day: dt.date | None, floor: dt.datetime, now: dt.datetime, what: Any) -> None:
    if day is None:
        raise TransitionRefusedError(_("Enter the date."))
    if day > local_date(now):
        raise TransitionRefusedError(_("The %(what)s cannot be in the future.") % {"what": what})
    if day < local_date(floor):
        raise TransitionRefusedError(
            _("The %(what)s cannot be before %(date)s, the filing's last change of state.")
            % {"what": what, "date": local_date(floor).isoformat()}
        )


def _last_change_at(filing: Filing) -> dt.datetime:
    from .deadlines import state_changes

    changes = state_changes(filing)
    return changes[-1].at if changes else filing.created_at


def open_pause(filing: Filing) -> ClockPause | None:
    return filing.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()


@transaction.atomic
def pause_clock(*, filing_id: int, kind: str, reason: str, started_on: dt.date | None, by: Any) -> ClockPause:
    """Record a meeting, consultation or suspension from ``started_on``; the clock stops."""
    filing = _lock(filing_id)
    if kind not in PauseKind.values:
        raise TransitionRefusedError(_("Choose what the pause is for."))
    name = "suspend" if kind == PauseKind.SUSPENSION else "pause_review"
    step = _check_transition(filing, name, by)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefusedError(_("Give the reason for the pause."))
    now = timezone.now()
    floor = _last_change_at(filing)
    _check_day(started_on, floor, now, _("start date"))
    assert started_on is not None  # checked above
    at = _moment(started_on, floor, now)
    before = filing.state
    step()
    filing.save()
    pause = ClockPause.objects.create(
        filing=filing, kind=kind, reason=reason, started_at=at, return_state=before, started_by=by
    )
    started = {"kind": kind, "reason": reason, "started_on": started_on.isoformat()}
    _state_changed(filing, name=name, by=by, before=before, data={**started, "effective_at": at.isoformat()})
    return pause


@transaction.atomic
def end_pause(
    *, filing_id: int, ended_on: dt.date | None, by: Any, note: str = "", name: str = ""
) -> ClockPause:
    """The meeting or consultation is over (``resume_review``), or the suspension lifted
    (``resume``), on ``ended_on``: the clock goes on from where it stood."""
    filing = _lock(filing_id)
    name = name or ("resume" if filing.state == FilingState.SUSPENDED else "resume_review")
    if name not in {"resume", "resume_review"}:
        raise ValueError(name)
    step = _check_transition(filing, name, by)
    pause = open_pause(filing)
    if pause is None:
        raise TransitionRefusedError()
    now = timezone.now()
    floor = max(pause.started_at, _last_change_at(filing))
    _check_day(ended_on, floor, now, _("end date"))
    assert ended_on is not None  # checked above
    at = _moment(ended_on, floor, now)
    before = filing.state
    step()
    filing.save()
    pause.ended_at = at
    pause.ended_by = by
    pause.outcome = PauseOutcome.RESUMED
    pause.save(update_fields=["ended_at", "ended_by", "outcome"])
    ended = {"kind": pause.kind, "note": note.strip(), "ended_on": ended_on.isoformat()}
    _state_changed(filing, name=name, by=by, before=before, data={**ended, "effective_at": at.isoformat()})
    return pause


def close_open_pause(filing: Filing, *, by: Any, outcome: str, at: dt.datetime) -> None:
    """A paused or suspended filing terminated or withdrawn: its pause ends with it."""
    pause = open_pause(filing)
    if pause is not None:
        pause.ended_at = max(at, pause.started_at)
        pause.ended_by = by
        pause.outcome = outcome
        pause.save(update_fields=["ended_at", "ended_by", "outcome"])
