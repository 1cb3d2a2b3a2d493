"""The Django side of the regulatory clock: calendar overrides, limits and the filing's log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Event

from .bulk import update_columns
from .calendar import WorkingCalendar, local_date
from .clock import Clock, ClockLimits, ClockStatus, FilingClocks, StateChange, compute_clocks
from .models import CalendarOverride, Filing, RegulatorySetting

WORKING_DAYS = _("working days")


@dataclass(frozen=True)
class Limit:
    """One time limit the desk applies, where it comes from, and whether it is read by analogy.

    ``assumed``: the 2026 guideline fixes no such limit; the value is carried over from the 2023
    overseas-listing regime (domain.md §6.4 marks these [A]) until CSRC practice is known, and is
    labelled "assumed" wherever it is shown. ``desk_policy``: the desk's own choice, cited to nobody.
    """

    name: str
    key: str  # RegulatorySetting.key
    default: int
    label: Any
    source: str
    unit: Any = WORKING_DAYS
    assumed: bool = True
    desk_policy: bool = False
    moves_clocks: bool = True


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("completeness", "clock.completeness_working_days", 5, _("Completeness check"), "TM Art. 19(2)"),
        Limit("review", "clock.review_working_days", 20, _("Review"), "TM Art. 19(1)"),
        Limit(
            "supplement_reply",
            "clock.supplement_reply_working_days",
            30,
            _("Issuer's supplement reply"),
            "TM Art. 19(2)",
        ),
        Limit(
            "nearly_due",
            "clock.nearly_due_working_days",
            3,
            _("Reminder before a clock runs out"),
            "Filing Desk",
            assumed=False,
            desk_policy=True,
        ),
        Limit(
            "material_event",
            "reports.material_event_working_days",
            3,
            _("Report of a material change or event"),
            "GL1 §二.10; TM Art. 22",
            moves_clocks=False,
        ),
        Limit(
            "issuance_report",
            "reports.issuance_report_working_days",
            3,
            _("Issuance report after completion"),
            "TM Art. 16(2); GL3 §一",
            moves_clocks=False,
        ),
        Limit(
            "lapse",
            "filing.lapse_months",
            12,
            _("Filing lapses without issuance after"),
            "GL1 §二.9",
            unit=_("months"),
            moves_clocks=False,
        ),
    )
}
LIMIT_KEYS = {name: LIMITS[name].key for name in ("completeness", "review", "supplement_reply", "nearly_due")}
VERIFIED_YEARS_KEY = "calendar.verified_years"
MATERIAL_EVENT_DAYS_KEY = LIMITS["material_event"].key
LAPSE_MONTHS_KEY = LIMITS["lapse"].key


def setting(key: str, default: Any) -> Any:
    row = RegulatorySetting.objects.filter(key=key).first()
    return row.value if row is not None else default


def limit_value(limit: Limit) -> int:
    """The administrator's value of a limit, else its default."""
    try:
        return int(setting(limit.key, limit.default))
    except (TypeError, ValueError):
        return limit.default


def limit_for_clock(name: str) -> Limit | None:
    return LIMITS.get(str(name))


_cached: tuple[Any, WorkingCalendar] | None = None


def _calendar_version() -> tuple[Any, ...]:
    """What identifies the calendar's inputs, read in two small queries instead of every row."""
    stamp = CalendarOverride.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    years = setting(VERIFIED_YEARS_KEY, [])
    return stamp["count"], stamp["latest"], tuple(sorted(int(year) for year in years or []))


def working_calendar() -> WorkingCalendar:
    """The State Council calendar behind the administrators' overrides.

    Built once per process and kept with the days it has already worked out, so a queue of fifty
    filings does not rebuild a year of days per request; rebuilt as soon as an override is added,
    edited or deleted or the verified years change (each of which moves ``_calendar_version``).
    """
    global _cached
    version = _calendar_version()
    if _cached is None or _cached[0] != version:
        overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
        _cached = (version, WorkingCalendar(overrides, verified_years=version[2]))
    return _cached[1]


def clock_limits() -> ClockLimits:
    """All limits in one query (queues compute clocks for many filings at once)."""
    stored = dict(RegulatorySetting.objects.filter(key__in=LIMIT_KEYS.values()).values_list("key", "value"))
    defaults = ClockLimits()
    return ClockLimits(
        **{name: int(stored.get(key, getattr(defaults, name))) for name, key in LIMIT_KEYS.items()}
    )


def state_changes_by_filing(filing_ids: Iterable[int]) -> dict[int, list[StateChange]]:
    """The filings' transitions as recorded in the audit log (the single source of the clock),
    read in one query however many filings are asked for."""
    changes: dict[int, list[StateChange]] = {filing_id: [] for filing_id in filing_ids}
    events = Event.objects.filter(filing_id__in=list(changes), action__startswith="filing.").order_by(
        "sequence"
    )
    for event in events.only("filing_id", "occurred_at", "data"):
        to_state = event.data.get("to")
        if to_state and to_state != event.data.get("from") and event.filing_id is not None:
            at = _effective_at(event.data) or event.occurred_at
            changes[event.filing_id].append(StateChange(at, event.data.get("from"), to_state))
    return changes


def _effective_at(data: dict[str, Any]) -> dt.datetime | None:
    """A pause or resumption counts from the day the reviewer entered (never before the previous
    change: the service checks), not from the moment it was typed in."""
    value = data.get("effective_at")
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def state_changes(filing: Filing) -> list[StateChange]:
    return state_changes_by_filing([filing.pk])[filing.pk]


def clocks_for_filings(
    filings: Iterable[Filing], now: dt.datetime | None = None, calendar: WorkingCalendar | None = None
) -> dict[int, FilingClocks]:
    """Every filing's clocks with one query for the log, one for the calendar and one for the limits."""
    filings = list(filings)
    calendar = calendar or working_calendar()
    now = now or timezone.now()
    limits = clock_limits()
    changes = state_changes_by_filing(f.pk for f in filings)
    return {f.pk: compute_clocks(changes[f.pk], calendar, now, limits) for f in filings}


def filing_clocks(
    filing: Filing, now: dt.datetime | None = None, calendar: WorkingCalendar | None = None
) -> FilingClocks:
    return clocks_for_filings([filing], now, calendar)[filing.pk]


def calendar_warning(today: dt.date | None = None, calendar: WorkingCalendar | None = None) -> int | None:
    """The year whose official calendar is missing (this year or next), or None."""
    today = today or timezone.localdate()
    calendar = calendar or working_calendar()
    for year in (today.year, today.year + 1):
        if not calendar.is_year_verified(year):
            return year
    return None


def provisional_years(years: Iterable[int], calendar: WorkingCalendar | None = None) -> set[int]:
    """Those of ``years`` whose State Council schedule is not loaded: their due dates may move.
    One call per page (the calendar is cached per process), however many rows show a date."""
    calendar = calendar or working_calendar()
    return {year for year in years if not calendar.is_year_verified(year)}


def report_due_date(occurred_on: dt.date) -> dt.date:
    return working_calendar().add_working_days(occurred_on, limit_value(LIMITS["material_event"]))


# Stored clock state --------------------------------------------------------------------------------
# Queues filter and sort by the clock in SQL, so each filing carries the result of the derivation
# above in columns (Filing.clock_*). The derivation stays the source of truth: these functions only
# write down what compute_clocks says, and a test checks the columns against the log.

# The states whose stored clock a rollover or a calendar/limit change may move (a paused or suspended
# review keeps its clock on the queue; a change of limit moves its due date too).
CLOCK_STATES = ("submitted", "under_review", "supplement_requested", "review_paused", "suspended")


def _clock_dict(clock: Clock) -> dict[str, Any]:
    return {
        "name": str(clock.name),
        "status": str(clock.status),
        "used": clock.used,
        "limit": clock.limit,
        "days_left": clock.days_left,
        "days_over": clock.days_over,
        "due_date": clock.due_date.isoformat() if clock.due_date else None,
        "overdue": clock.overdue,
        "nearly_due": clock.nearly_due,
    }


def regulator_clock(clocks: FilingClocks) -> Clock | None:
    """The regulator's clock that matters: completeness while it runs, else review once started."""
    if clocks.completeness.status == ClockStatus.RUNNING:
        return clocks.completeness
    if clocks.review.status != ClockStatus.NOT_STARTED:
        return clocks.review
    if clocks.completeness.status != ClockStatus.NOT_STARTED:
        return clocks.completeness
    return None


def clock_columns(clocks: FilingClocks, today: dt.date) -> dict[str, Any]:
    """The Filing.clock_* values for one filing's derived clocks."""
    regulator = regulator_clock(clocks)
    reply = clocks.supplement_reply if clocks.supplement_reply.status == ClockStatus.RUNNING else None
    current = reply or regulator
    overdue = any(c is not None and c.overdue and c.status == ClockStatus.RUNNING for c in (regulator, reply))
    return {
        "clock_phase": str(current.name) if current else "",
        "clock_status": str(current.status) if current else "",
        "clock_used": current.used if current else None,
        "clock_limit": current.limit if current else None,
        "clock_days_left": current.days_left if current else None,
        "clock_due_date": current.due_date if current else None,
        "clock_overdue": overdue,
        "clock_nearly_due": not overdue and any(c is not None and c.nearly_due for c in (regulator, reply)),
        "clock_paused": regulator is not None and regulator.status == ClockStatus.PAUSED,
        "clock_summary": {
            "regulator": _clock_dict(regulator) if regulator else None,
            "reply": _clock_dict(reply) if reply else None,
        },
        "clock_as_of": today,
    }


CLOCK_FIELDS = [
    "clock_phase",
    "clock_status",
    "clock_used",
    "clock_limit",
    "clock_days_left",
    "clock_due_date",
    "clock_overdue",
    "clock_nearly_due",
    "clock_paused",
    "clock_summary",
    "clock_as_of",
]


def store_clocks(
    filing_ids: Iterable[int], *, now: dt.datetime | None = None, calendar: WorkingCalendar | None = None
) -> int:
    """Derive the clocks of these filings from the log and write them into their clock columns.
    Called by the services that move a clock, and by the rollover task for every open filing."""
    now = now or timezone.now()
    # With the state: the FSM mixin reads it on load, which would cost one query per deferred row.
    filings = list(Filing.objects.filter(pk__in=list(filing_ids)).only("pk", "state"))
    if not filings:
        return 0
    today = local_date(now)
    derived = clocks_for_filings(filings, now=now, calendar=calendar or working_calendar())
    for filing in filings:
        for field, value in clock_columns(derived[filing.pk], today).items():
            setattr(filing, field, value)
    update_columns(Filing, filings, CLOCK_FIELDS)
    return len(filings)


def refresh_clocks(*, now: dt.datetime | None = None, batch: int = 1000, everything: bool = False) -> int:
    """At the working-day rollover: recompute the clocks of every filing whose clock may still move
    and that was last computed on an earlier day (idempotent; a missed run is caught up by the next).
    ``everything``: also those computed today, because the calendar or a clock's limit changed."""
    now = now or timezone.now()
    today = local_date(now)
    calendar = working_calendar()
    scope = Filing.objects.filter(state__in=CLOCK_STATES)
    if not everything:
        scope = scope.filter(models.Q(clock_as_of__lt=today) | models.Q(clock_as_of__isnull=True))
    done = 0
    ids = list(scope.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        done += store_clocks(ids[start : start + batch], now=now, calendar=calendar)
    return done
