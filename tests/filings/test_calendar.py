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


def test_a_year_outside_the_package_counts_the_statutory_holidays_and_guesses_the_rest(calendar):
    new_year, saturday, monday = D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 4)

    assert calendar.day(new_year) == cal.Day(new_year, False, DaySource.STATUTORY)
    assert calendar.day(saturday) == cal.Day(saturday, False, DaySource.FALLBACK)
    assert calendar.day(monday) == cal.Day(monday, True, DaySource.FALLBACK)
    assert not calendar.is_verified(new_year)
    assert not calendar.is_year_verified(2027)
    assert calendar.is_year_verified(2026)


def test_the_2027_statutory_holidays_follow_the_law_and_the_lunar_calendar():
    assert sorted(cal.statutory_holidays(2027).items()) == [
        (D(2027, 1, 1), "new_year"),
        (D(2027, 2, 5), "spring_festival"),  # New Year's Eve of the lunar year
        (D(2027, 2, 6), "spring_festival"),  # 正月初一
        (D(2027, 2, 7), "spring_festival"),
        (D(2027, 2, 8), "spring_festival"),
        (D(2027, 4, 5), "qingming"),
        (D(2027, 5, 1), "labour_day"),
        (D(2027, 5, 2), "labour_day"),
        (D(2027, 6, 9), "dragon_boat"),
        (D(2027, 9, 15), "mid_autumn"),
        (D(2027, 10, 1), "national_day"),
        (D(2027, 10, 2), "national_day"),
        (D(2027, 10, 3), "national_day"),
    ]


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_computed_festivals_are_days_off_in_every_year_the_package_knows(year):
    """Lunar dates (lunardate) and the Qingming solar term agree with the State Council notices."""
    import chinese_calendar

    days = cal.statutory_holidays(year)
    spring = min(day for day, key in days.items() if key == "spring_festival")
    # The law's 2025 amendment added the lunar New Year's Eve and 2 May; older notices may not have them.
    checked = [day for day in days if day != spring and day != D(year, 5, 2)]

    assert [day for day in checked if chinese_calendar.is_workday(day)] == []
    assert chinese_calendar.get_holiday_detail(cal.qingming(year))[1] == "Tomb-sweeping Day"


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_of_the_amended_law_is_off_in_its_years(year):
    import chinese_calendar

    assert [day for day in cal.statutory_holidays(year) if chinese_calendar.is_workday(day)] == []


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


def test_a_deadline_running_into_an_unknown_year_skips_new_year_and_is_provisional(calendar):
    deadline = calendar.deadline(D(2026, 12, 30), 3)

    # 31 Dec, (1 January is a statutory holiday, 2-3 a weekend), 4 Jan, 5 Jan: provisional until the
    # 2027 notice is loaded, since the notice may add a bridge day.
    assert deadline.due_date == D(2027, 1, 5)
    assert deadline.verified is False
    assert deadline.provisional is True


def test_no_deadline_falls_on_new_years_day_2027(calendar):
    due_dates = {calendar.add_working_days(D(2026, 12, 1), n) for n in range(0, 40)}

    assert D(2027, 1, 1) not in due_dates


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
