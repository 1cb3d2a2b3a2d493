"""PRC working days (State Council calendar with weekend make-up days) for regulatory deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar
from lunardate import LunarDate

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


class DaySource(StrEnum):
    """Where a day's working/non-working status came from, strongest first."""

    OVERRIDE = "override"  # the administrators' table
    PACKAGE = "package"  # chinesecalendar, which follows the State Council notices
    VERIFIED_YEAR = "verified_year"  # Mon-Fri inside a year the administrators declared complete
    STATUTORY = "statutory"  # a holiday the law fixes, in a year whose notice is not yet published
    FALLBACK = "fallback"  # Mon-Fri guess: nobody has entered this year's notice yet


# The holidays fixed by the State Council's 《全国年节及纪念日放假办法》 (as amended in force from
# 2025): the annual notice only moves days around them (bridges, weekend make-up days), so before a
# year's notice is published these are certain to be days off, and everything else is a guess.
STATUTORY_HOLIDAY_NAMES = {
    "new_year": ("元旦", "New Year's Day"),
    "spring_festival": ("春节", "Spring Festival"),
    "qingming": ("清明节", "Qingming Festival"),
    "labour_day": ("劳动节", "Labour Day"),
    "dragon_boat": ("端午节", "Dragon Boat Festival"),
    "mid_autumn": ("中秋节", "Mid-Autumn Festival"),
    "national_day": ("国庆节", "National Day"),
}


def qingming(year: int) -> dt.date:
    """The day of the Qingming solar term (sun at 15° ecliptic longitude), 2000-2099.

    The classical day formula [Y·D + C] − L with the 21st-century constant C = 4.81 for Qingming,
    checked in the tests against every year chinesecalendar knows.
    """
    if not 2000 <= year <= 2099:
        raise ValueError(f"Qingming is computed for 2000-2099 only, not {year}")
    y = year % 100
    return dt.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days off the law fixes in ``year`` (13 days), each with its holiday's key.

    Spring Festival is the eve and the first three days of the lunar year; Dragon Boat and
    Mid-Autumn fall on the 5th of the 5th and the 15th of the 8th lunar month (``lunardate``).
    """
    new_lunar_year = LunarDate(year, 1, 1).to_solar_date()
    days = {
        dt.date(year, 1, 1): "new_year",
        qingming(year): "qingming",
        dt.date(year, 5, 1): "labour_day",
        dt.date(year, 5, 2): "labour_day",
        LunarDate(year, 5, 5).to_solar_date(): "dragon_boat",
        LunarDate(year, 8, 15).to_solar_date(): "mid_autumn",
        dt.date(year, 10, 1): "national_day",
        dt.date(year, 10, 2): "national_day",
        dt.date(year, 10, 3): "national_day",
    }
    for offset in range(-1, 3):  # the eve (除夕) and the first three days
        days[new_lunar_year + dt.timedelta(days=offset)] = "spring_festival"
    return days


@dataclass(frozen=True)
class Day:
    date: dt.date
    is_working: bool
    source: DaySource

    @property
    def verified(self) -> bool:
        return self.source not in (DaySource.FALLBACK, DaySource.STATUTORY)


@dataclass(frozen=True)
class Deadline:
    """The n-th working day after an event, due at 23:59:59 Asia/Shanghai that day."""

    due_date: dt.date
    due_at: dt.datetime
    verified: bool  # False if any day from the event to the due date is a Mon-Fri guess

    @property
    def provisional(self) -> bool:
        """The due date may still move: the State Council has not published a year it spans."""
        return not self.verified


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
    """PRC working days: administrators' overrides, then chinesecalendar, then a flagged estimate.

    ``overrides`` maps a date to whether it is a working day and beats the package (the regulator
    enters next year's notice the day it is published, or an ad hoc closure). ``verified_years``
    names years whose notice the administrators have entered completely as overrides, so their
    remaining days follow Mon-Fri *and count as verified*. Outside the package's years (it raises
    NotImplementedError there) and those, the holidays the law fixes are days off
    (``DaySource.STATUTORY``) and the other days a Mon-Fri guess (``DaySource.FALLBACK``); both are
    provisional until the year's notice is entered.
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
        statutory = {} if in_package or year in self._verified_years else _statutory_or_none(year)
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day in self._overrides:
                days[day] = Day(day, self._overrides[day], DaySource.OVERRIDE)
            elif in_package:
                days[day] = Day(day, chinese_calendar.is_workday(day), DaySource.PACKAGE)
            elif year in self._verified_years:
                days[day] = Day(day, day.weekday() < 5, DaySource.VERIFIED_YEAR)
            elif day in statutory:
                days[day] = Day(day, False, DaySource.STATUTORY)
            else:
                days[day] = Day(day, day.weekday() < 5, DaySource.FALLBACK)
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


def _statutory_or_none(year: int) -> dict[dt.date, str]:
    try:
        return statutory_holidays(year)
    except ValueError:  # outside the lunar tables or the Qingming formula: plain Mon-Fri
        return {}


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
