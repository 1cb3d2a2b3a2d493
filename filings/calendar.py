"""PRC working days (State Council calendar with weekend make-up days) for regulatory deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


class DaySource(StrEnum):
    """Where a day's working/non-working status came from, strongest first."""

    OVERRIDE = "override"  # the administrators' table
    PACKAGE = "package"  # chinesecalendar, which follows the State Council notices
    VERIFIED_YEAR = "verified_year"  # Mon-Fri inside a year the administrators declared complete
    FALLBACK = "fallback"  # Mon-Fri guess: nobody has entered this year's notice yet


@dataclass(frozen=True)
class Day:
    date: dt.date
    is_working: bool
    source: DaySource

    @property
    def verified(self) -> bool:
        return self.source is not DaySource.FALLBACK


@dataclass(frozen=True)
class Deadline:
    """The n-th working day after an event, due at 23:59:59 Asia/Shanghai that day."""

    due_date: dt.date
    due_at: dt.datetime
    verified: bool  # False if any day from the event to the due date is a Mon-Fri guess


def local_date(value: dt.date) -> dt.date:
    """The Asia/Shanghai calendar date of an aware datetime; a plain date is returned as is.

    Naive datetimes are refused: with USE_TZ every timestamp we hold is aware, so a naive one is a
    bug that would silently shift deadlines by a day around midnight.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime or a date")
        return value.astimezone(SHANGHAI).date()
    return value


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 Asia/Shanghai on ``day``: when a deadline falling on that day expires."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


class WorkingCalendar:
    """PRC working days: administrators' overrides, then chinesecalendar, then a flagged Mon-Fri guess.

    ``overrides`` maps a date to whether it is a working day and beats the package (the regulator
    enters next year's notice the day it is published, or an ad hoc closure). ``verified_years``
    names years whose notice the administrators have entered completely as overrides, so their
    remaining days follow Mon-Fri *and count as verified*. Outside the package's years (it raises
    NotImplementedError there) and those, a day is a Mon-Fri guess marked ``DaySource.FALLBACK``.
    Results are cached per year; build a new calendar when the overrides change.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        *,
        verified_years: Iterable[int] = (),
    ) -> None:
        self._overrides = {local_date(day): bool(working) for day, working in (overrides or {}).items()}
        self._verified_years = frozenset(verified_years)
        self._years: dict[int, dict[dt.date, Day]] = {}

    # -- single days ---------------------------------------------------------------------------

    def day(self, value: dt.date) -> Day:
        day = local_date(value)
        return self._year(day.year)[day]

    def is_working_day(self, value: dt.date) -> bool:
        return self.day(value).is_working

    def is_verified(self, value: dt.date) -> bool:
        return self.day(value).verified

    def is_year_verified(self, year: int) -> bool:
        """True when no day of ``year`` relies on the Mon-Fri guess (for a 1 December check)."""
        return all(day.verified for day in self._year(year).values())

    def _year(self, year: int) -> dict[dt.date, Day]:
        if year not in self._years:
            self._years[year] = self._build_year(year)
        return self._years[year]

    def _build_year(self, year: int) -> dict[dt.date, Day]:
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
            in_package = True
        except NotImplementedError:
            in_package = False
        days = {}
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day in self._overrides:
                days[day] = Day(day, self._overrides[day], DaySource.OVERRIDE)
            elif in_package:
                days[day] = Day(day, chinese_calendar.is_workday(day), DaySource.PACKAGE)
            else:
                source = DaySource.VERIFIED_YEAR if year in self._verified_years else DaySource.FALLBACK
                days[day] = Day(day, day.weekday() < 5, source)
            day += dt.timedelta(days=1)
        return days

    # -- arithmetic ----------------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (the event day is not counted; D+1 is day 1).

        ``n == 0`` gives ``start`` itself if it is a working day, else the next working day. A
        negative ``n`` counts backwards ("5 working days before 31 January").
        """
        day = local_date(start)
        step = dt.timedelta(days=1 if n >= 0 else -1)
        if n == 0:
            while not self.is_working_day(day):
                day += step
            return day
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: the start day is not counted, the end day is.

        So ``working_days_between(d, add_working_days(d, n)) == n``. Negative if ``end < start``.
        """
        first, last = local_date(start), local_date(end)
        if last < first:
            return -self.working_days_between(last, first)
        return sum(1 for day in _dates(first + dt.timedelta(days=1), last) if self.is_working_day(day))

    def is_span_verified(self, start: dt.date, end: dt.date) -> bool:
        """True when every day from ``start`` to ``end`` (both included) comes from real data."""
        first, last = sorted((local_date(start), local_date(end)))
        return all(self.is_verified(day) for day in _dates(first, last))

    def deadline(self, start: dt.date, n: int) -> Deadline:
        """Due n working days after ``start``, at 23:59:59 Asia/Shanghai on that day."""
        due = self.add_working_days(start, n)
        return Deadline(due_date=due, due_at=end_of_day(due), verified=self.is_span_verified(start, due))


def _dates(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


_DEFAULT = WorkingCalendar()


def _calendar(overrides: Mapping[dt.date, bool] | None) -> WorkingCalendar:
    return WorkingCalendar(overrides) if overrides else _DEFAULT


def is_working_day(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    return _calendar(overrides).is_working_day(day)


def add_working_days(start: dt.date, n: int, overrides: Mapping[dt.date, bool] | None = None) -> dt.date:
    return _calendar(overrides).add_working_days(start, n)


def working_days_between(
    start: dt.date, end: dt.date, overrides: Mapping[dt.date, bool] | None = None
) -> int:
    return _calendar(overrides).working_days_between(start, end)


def deadline(start: dt.date, n: int, overrides: Mapping[dt.date, bool] | None = None) -> Deadline:
    return _calendar(overrides).deadline(start, n)
