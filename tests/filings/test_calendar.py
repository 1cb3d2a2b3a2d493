"""PRC working days: the State Council calendar (with make-up days), admin overrides, unknown years."""

import datetime as dt

import pytest

from filings import calendar as cal
from filings.calendar import SHANGHAI, DaySource, WorkingCalendar

D = dt.date


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


# -- which days are working days -------------------------------------------------------------------


@pytest.mark.parametrize("sunday", [D(2024, 2, 4), D(2024, 2, 18)])
def test_spring_festival_2024_make_up_sundays_are_working_days(calendar, sunday):
    assert sunday.weekday() == 6
    assert calendar.day(sunday) == cal.Day(sunday, True, DaySource.PACKAGE)


def test_national_day_2024_is_seven_days_off_then_a_make_up_saturday(calendar):
    golden_week = [D(2024, 10, 1) + dt.timedelta(days=i) for i in range(7)]

    assert [calendar.is_working_day(day) for day in golden_week] == [False] * 7
    assert calendar.is_working_day(D(2024, 9, 29))  # Sunday before, made up
    assert calendar.is_working_day(D(2024, 10, 8))
    assert calendar.is_working_day(D(2024, 10, 12))  # Saturday after, made up


def test_spring_festival_2025_per_the_package(calendar):
    assert [calendar.is_working_day(D(2025, 1, 28) + dt.timedelta(days=i)) for i in range(8)] == [False] * 8
    assert calendar.is_working_day(D(2025, 1, 26))  # Sunday, made up
    assert calendar.is_working_day(D(2025, 2, 5))
    assert calendar.is_working_day(D(2025, 2, 8))  # Saturday, made up


def test_spring_festival_2026_per_the_package(calendar):
    assert [calendar.is_working_day(D(2026, 2, 15) + dt.timedelta(days=i)) for i in range(9)] == [False] * 9
    assert calendar.is_working_day(D(2026, 2, 14))  # Saturday, made up
    assert calendar.is_working_day(D(2026, 2, 24))
    assert calendar.is_working_day(D(2026, 2, 28))  # Saturday, made up


def test_all_2026_make_up_days_from_the_state_council_notice(calendar):
    make_up = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]

    assert all(calendar.is_working_day(day) and day.weekday() >= 5 for day in make_up)
    assert not any(calendar.is_working_day(day) for day in [D(2026, 1, 2), D(2026, 5, 5), D(2026, 10, 7)])


def test_overrides_beat_the_package_both_ways():
    calendar = WorkingCalendar({D(2024, 10, 8): False, D(2024, 10, 5): True})

    assert calendar.day(D(2024, 10, 8)) == cal.Day(D(2024, 10, 8), False, DaySource.OVERRIDE)
    assert calendar.day(D(2024, 10, 5)) == cal.Day(D(2024, 10, 5), True, DaySource.OVERRIDE)
    assert calendar.day(D(2024, 10, 9)).source == DaySource.PACKAGE


def test_a_year_outside_the_package_falls_back_to_monday_to_friday_unverified(calendar):
    friday, saturday = D(2027, 1, 1), D(2027, 1, 2)

    assert calendar.day(friday) == cal.Day(friday, True, DaySource.FALLBACK)
    assert calendar.day(saturday) == cal.Day(saturday, False, DaySource.FALLBACK)
    assert not calendar.is_verified(friday)
    assert not calendar.is_year_verified(2027)
    assert calendar.is_year_verified(2026)


def test_an_unknown_year_entered_by_the_administrators_counts_as_verified():
    calendar = WorkingCalendar({D(2027, 1, 1): False}, verified_years=[2027])

    assert calendar.day(D(2027, 1, 1)) == cal.Day(D(2027, 1, 1), False, DaySource.OVERRIDE)
    assert calendar.day(D(2027, 1, 4)) == cal.Day(D(2027, 1, 4), True, DaySource.VERIFIED_YEAR)
    assert calendar.is_year_verified(2027)


# -- counting --------------------------------------------------------------------------------------


def test_the_event_day_is_not_counted_and_holidays_are_skipped(calendar):
    assert calendar.add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)
    assert calendar.add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)  # the make-up Sunday
    assert calendar.add_working_days(D(2024, 9, 23), 5) == D(2024, 9, 29)
    assert calendar.add_working_days(D(2024, 9, 27), 20) == D(2024, 10, 30)


def test_zero_days_from_a_holiday_is_the_next_working_day(calendar):
    assert calendar.add_working_days(D(2024, 10, 3), 0) == D(2024, 10, 8)
    assert calendar.add_working_days(D(2024, 10, 8), 0) == D(2024, 10, 8)


def test_negative_days_count_backwards(calendar):
    # 31 January 2025 falls in the Spring Festival break; 26 January was a make-up Sunday.
    assert calendar.add_working_days(D(2025, 1, 31), -5) == D(2025, 1, 22)


def test_working_days_between_excludes_the_start_and_includes_the_end(calendar):
    assert calendar.working_days_between(D(2024, 9, 30), D(2024, 10, 8)) == 1
    assert calendar.working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == 0
    assert calendar.working_days_between(D(2024, 9, 27), D(2024, 10, 30)) == 20
    assert calendar.working_days_between(D(2024, 10, 30), D(2024, 9, 27)) == -20
    assert calendar.working_days_between(D(2024, 10, 8), D(2024, 10, 8)) == 0


def test_deadline_is_end_of_the_due_day_in_shanghai(calendar):
    deadline = calendar.deadline(D(2024, 9, 30), 1)

    assert deadline == cal.Deadline(
        due_date=D(2024, 10, 8),
        due_at=dt.datetime(2024, 10, 8, 23, 59, 59, tzinfo=SHANGHAI),
        verified=True,
    )
    assert deadline.due_at.utcoffset() == dt.timedelta(hours=8)


def test_a_deadline_running_into_an_unknown_year_is_unverified(calendar):
    deadline = calendar.deadline(D(2026, 12, 30), 3)

    # 31 Dec, 1 Jan, 4 Jan: the Mon-Fri guess even counts New Year's Day, hence "unverified".
    assert deadline.due_date == D(2027, 1, 4)
    assert deadline.verified is False


def test_datetimes_count_by_their_shanghai_date(calendar):
    late_evening_utc = dt.datetime(2024, 9, 30, 16, 30, tzinfo=dt.UTC)  # 00:30 on 1 October in Beijing

    assert cal.local_date(late_evening_utc) == D(2024, 10, 1)
    assert calendar.is_working_day(late_evening_utc) is False
    with pytest.raises(ValueError, match="naive datetime"):
        calendar.is_working_day(dt.datetime(2024, 10, 1, 9, 0))


def test_module_functions_take_overrides():
    closure = {D(2024, 10, 8): False}

    assert cal.is_working_day(D(2024, 2, 4)) is True
    assert cal.is_working_day(D(2024, 10, 8), closure) is False
    assert cal.add_working_days(D(2024, 9, 30), 1, closure) == D(2024, 10, 9)
    assert cal.working_days_between(D(2024, 9, 30), D(2024, 10, 9), closure) == 1
    assert cal.deadline(D(2024, 9, 30), 1, closure).due_date == D(2024, 10, 9)
