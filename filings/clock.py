"""Regulatory clocks of a filing, derived from its state-change log (never stored as counters).

Three clocks, all counted in PRC working days with the event day not counted (D+1 is day 1) and
due at 23:59:59 Asia/Shanghai:

* **completeness** (CSRC, default 5 WD, TM Art. 19(2)): runs while the filing is ``submitted``
  before it has first been accepted. A supplement request during the completeness check pauses it;
  on resubmission the filing returns to ``submitted`` and the clock resumes with the days already
  used (time spent supplementing is not counted, TM Art. 19(2); a resubmission is not a fresh
  receipt). It stops for good once the filing is accepted (first entry into ``under_review``) or
  leaves the open states.
* **review** (CSRC, default 20 WD, TM Art. 19(1)): runs while ``under_review``, and while
  ``submitted`` *after* the first acceptance (a resubmitted supplement sits with the regulator
  awaiting re-acceptance, so the regulator's clock must not stand still). It accumulates across
  rounds and is paused while ``supplement_requested``; it stops at a decision or any closed state.
* **supplement_reply** (issuer, default 30 WD): runs while ``supplement_requested``; each request
  starts a fresh 30 days, so the clock describes the latest round only.

* **pauses**: while the filing is ``review_paused`` (a communication meeting, GL4 Art. 4, or a
  consultation of other authorities, TM Art. 19(2)) or ``suspended`` (GL1 §二.11) no clock runs:
  the clock that ran before stands paused, and on resumption it goes on with the days already
  used. A pause taken during a supplement request continues that round's reply clock on
  resumption instead of starting a new round. The pause's moments are the days the reviewer
  entered (the event's ``effective_at``), not the moment it was typed in.

Overdue means the clock was running at some instant after its due time (for a clock that ran out
during an earlier round, that is the moment it resumes). Nearly due means running, not overdue,
and at most ``ClockLimits.nearly_due`` working days left.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from filings.calendar import WorkingCalendar, end_of_day, local_date

# Filing states as stored in Filing.state (see filings/workflow.py); only these matter here.
DRAFT = "draft"
SUBMITTED = "submitted"
UNDER_REVIEW = "under_review"
SUPPLEMENT_REQUESTED = "supplement_requested"
REVIEW_PAUSED = "review_paused"
SUSPENDED = "suspended"
PAUSE_STATES = (REVIEW_PAUSED, SUSPENDED)
STOPPED_FOR_NOW = (SUPPLEMENT_REQUESTED, *PAUSE_STATES)  # the regulator's clock waits in these


class StateChange(NamedTuple):
    """One entry of the filing's event log; a plain ``(at, from_state, to_state)`` tuple also works."""

    at: dt.datetime  # aware
    from_state: str | None
    to_state: str


class ClockName(models.TextChoices):
    COMPLETENESS = "completeness", _("Completeness check")
    REVIEW = "review", _("Review")
    SUPPLEMENT_REPLY = "supplement_reply", _("Issuer's supplement reply")


class ClockStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


@dataclass(frozen=True)
class ClockLimits:
    """Limits in working days; the defaults follow TM Art. 19 and are admin-configurable upstream."""

    completeness: int = 5
    review: int = 20
    supplement_reply: int = 30
    nearly_due: int = 3  # "nearly due" when running with at most this many working days left

    def __post_init__(self) -> None:
        if min(self.completeness, self.review, self.supplement_reply) < 1 or self.nearly_due < 0:
            raise ValueError("clock limits must be at least 1 working day; nearly_due at least 0")


@dataclass(frozen=True)
class ClockPeriod:
    start: dt.datetime
    end: dt.datetime | None  # None: still running


@dataclass(frozen=True)
class Clock:
    name: ClockName
    status: ClockStatus
    limit: int  # working days allowed
    used: int  # working days consumed so far (today counts once it has started)
    days_left: int  # max(limit - used, 0)
    days_over: int  # max(used - limit, 0)
    due_date: dt.date | None  # None while paused before running out, or not started
    due_at: dt.datetime | None  # 23:59:59 Asia/Shanghai on due_date
    overdue: bool
    nearly_due: bool
    verified: bool  # False if any day involved is a Mon-Fri guess (calendar year not yet entered)
    periods: tuple[ClockPeriod, ...]  # when it ran; for supplement_reply the latest round only
    round: int  # supplement_reply: number of supplement requests so far; others: number of periods

    @property
    def label(self) -> str:
        return str(self.name.label)


@dataclass(frozen=True)
class FilingClocks:
    state: str  # the filing's state after the last event
    completeness: Clock
    review: Clock
    supplement_reply: Clock

    def __iter__(self) -> Iterator[Clock]:
        return iter((self.completeness, self.review, self.supplement_reply))


def compute_clocks(
    events: Iterable[tuple[dt.datetime, str | None, str]],
    calendar: WorkingCalendar,
    now: dt.datetime,
    limits: ClockLimits | None = None,
) -> FilingClocks:
    """The three clocks of a filing at ``now`` from its chronological state changes."""
    limits = limits or ClockLimits()
    changes = [StateChange(*event) for event in events]
    _check_order(changes, now)

    completeness: list[ClockPeriod] = []
    review: list[ClockPeriod] = []
    replies: list[list[ClockPeriod]] = []  # one list of periods per supplement round
    accepted = False
    for index, change in enumerate(changes):
        if change.to_state == UNDER_REVIEW:
            accepted = True
        end = changes[index + 1].at if index + 1 < len(changes) else None
        if change.to_state == SUBMITTED and not accepted:
            _extend(completeness, change.at, end)
        elif change.to_state == UNDER_REVIEW or (change.to_state == SUBMITTED and accepted):
            _extend(review, change.at, end)
        elif change.to_state == SUPPLEMENT_REQUESTED:
            if change.from_state in PAUSE_STATES and replies:
                replies[-1].append(ClockPeriod(change.at, end))  # the same round, after a pause
            else:
                replies.append([ClockPeriod(change.at, end)])

    state = changes[-1].to_state if changes else DRAFT
    completeness_status = _status(
        completeness,
        running=state == SUBMITTED and not accepted,
        paused=state in STOPPED_FOR_NOW and not accepted,
    )
    review_status = _status(
        review,
        running=state == UNDER_REVIEW or (state == SUBMITTED and accepted),
        paused=state in STOPPED_FOR_NOW and accepted,
    )
    paused_in_reply = state in PAUSE_STATES and changes[-1].from_state == SUPPLEMENT_REQUESTED
    latest_round = replies[-1] if replies else []
    reply_status = _status(latest_round, running=state == SUPPLEMENT_REQUESTED, paused=paused_in_reply)
    return FilingClocks(
        state=state,
        completeness=_clock(
            ClockName.COMPLETENESS,
            completeness,
            completeness_status,
            limits.completeness,
            calendar,
            now,
            limits,
        ),
        review=_clock(ClockName.REVIEW, review, review_status, limits.review, calendar, now, limits),
        supplement_reply=_clock(
            ClockName.SUPPLEMENT_REPLY,
            latest_round,
            reply_status,
            limits.supplement_reply,
            calendar,
            now,
            limits,
            round_=len(replies),
        ),
    )


def _check_order(changes: list[StateChange], now: dt.datetime) -> None:
    for moment in (now, *(change.at for change in changes)):
        local_date(moment)  # refuses naive datetimes before any comparison trips over them
    for earlier, later in itertools.pairwise(changes):
        if later.at < earlier.at:
            raise ValueError(f"state changes out of order: {later.at} after {earlier.at}")
    if changes and now < changes[-1].at:
        raise ValueError(f"now ({now}) is before the last state change ({changes[-1].at})")


def _extend(periods: list[ClockPeriod], start: dt.datetime, end: dt.datetime | None) -> None:
    # Back-to-back periods of the same clock (submitted → under_review after acceptance) are one run.
    if periods and periods[-1].end == start:
        periods[-1] = ClockPeriod(periods[-1].start, end)
    else:
        periods.append(ClockPeriod(start, end))


def _status(periods: list[ClockPeriod], *, running: bool, paused: bool) -> ClockStatus:
    if not periods:
        return ClockStatus.NOT_STARTED
    if running:
        return ClockStatus.RUNNING
    return ClockStatus.PAUSED if paused else ClockStatus.STOPPED


def _clock(
    name: ClockName,
    periods: list[ClockPeriod],
    status: ClockStatus,
    limit: int,
    calendar: WorkingCalendar,
    now: dt.datetime,
    limits: ClockLimits,
    round_: int | None = None,
) -> Clock:
    used = 0
    due_date: dt.date | None = None
    for period in periods:
        start, end = local_date(period.start), local_date(period.end or now)
        days = calendar.working_days_between(start, end)
        # The limit runs out in this period, or (still running) will run out in it: the due date
        # is then counted from this period's start with what was left when it began.
        if due_date is None and (used + days >= limit or period.end is None):
            due_date = calendar.add_working_days(start, limit - used)
        used += days

    due_at = end_of_day(due_date) if due_date else None
    verified = True
    overdue = False
    if periods:
        last_end = periods[-1].end or now
        overdue = due_at is not None and last_end > due_at
        last_day = max(local_date(last_end), due_date) if due_date else local_date(last_end)
        verified = calendar.is_span_verified(local_date(periods[0].start), last_day)
    days_left = max(limit - used, 0)
    return Clock(
        name=name,
        status=status,
        limit=limit,
        used=used,
        days_left=days_left,
        days_over=max(used - limit, 0),
        due_date=due_date,
        due_at=due_at,
        overdue=overdue,
        nearly_due=status == ClockStatus.RUNNING and not overdue and days_left <= limits.nearly_due,
        verified=verified,
        periods=tuple(periods),
        round=len(periods) if round_ is None else round_,
    )
