"""Regulatory clocks derived from a filing's state changes, in PRC working days."""

import datetime as dt

import pytest

from filings.calendar import SHANGHAI, WorkingCalendar
from filings.clock import ClockLimits, ClockName, ClockPeriod, ClockStatus, StateChange, compute_clocks

D = dt.date
CALENDAR = WorkingCalendar()


def at(day: str, hour: int = 10) -> dt.datetime:
    """A Beijing-time timestamp: ``at("2024-09-23")`` is 10:00 that day."""
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def log(*steps: tuple[str, str]) -> list[StateChange]:
    """State changes from (day, new state) pairs, each leaving the previous state."""
    changes, state = [], "draft"
    for day, to_state in steps:
        changes.append(StateChange(at(day), state, to_state))
        state = to_state
    return changes


def test_a_draft_has_no_clocks_running():
    clocks = compute_clocks([], CALENDAR, now=at("2024-09-23"))

    assert clocks.state == "draft"
    assert [clock.status for clock in clocks] == [ClockStatus.NOT_STARTED] * 3
    assert [clock.name for clock in clocks] == [
        ClockName.COMPLETENESS,
        ClockName.REVIEW,
        ClockName.SUPPLEMENT_REPLY,
    ]
    assert clocks.review.due_date is None
    assert clocks.review.days_left == 20


def test_completeness_is_due_on_the_make_up_sunday_before_national_day():
    events = log(("2024-09-23", "submitted"))  # a Monday

    clock = compute_clocks(events, CALENDAR, now=at("2024-09-27", 16)).completeness

    assert clock.status == ClockStatus.RUNNING
    assert clock.used == 4  # 24, 25, 26, 27 September
    assert clock.days_left == 1
    assert clock.due_date == D(2024, 9, 29)  # a Sunday, made up as a working day
    assert clock.due_at == dt.datetime(2024, 9, 29, 23, 59, 59, tzinfo=SHANGHAI)
    assert clock.nearly_due is True
    assert clock.overdue is False


def test_review_runs_twenty_working_days_across_national_day():
    events = log(("2024-09-23", "submitted"), ("2024-09-27", "under_review"))

    clocks = compute_clocks(events, CALENDAR, now=at("2024-10-08", 9))

    assert clocks.completeness.status == ClockStatus.STOPPED
    assert clocks.completeness.used == 4
    assert clocks.completeness.overdue is False
    # 29 and 30 September, then nothing until 8 October: 3 days used, 17 left.
    assert (clocks.review.status, clocks.review.used, clocks.review.days_left) == (ClockStatus.RUNNING, 3, 17)
    assert clocks.review.due_date == D(2024, 10, 30)
    assert clocks.review.nearly_due is False


def test_review_pauses_for_a_supplement_request_and_carries_its_days_over():
    events = log(
        ("2024-09-01", "submitted"),
        ("2024-09-02", "under_review"),
        ("2024-09-13", "supplement_requested"),  # 9 working days of review used
    )

    paused = compute_clocks(events, CALENDAR, now=at("2024-10-08")).review

    assert paused.status == ClockStatus.PAUSED
    assert (paused.used, paused.days_left) == (9, 11)
    assert paused.due_date is None  # depends on when the issuer answers
    assert paused.nearly_due is False

    events += log(("2024-10-09", "under_review"))[-1:]
    resumed = compute_clocks(events, CALENDAR, now=at("2024-10-21", 15))

    # 10, 11, 12 (made-up Saturday), 14-18 and 21 October: 9 more days.
    assert (resumed.review.used, resumed.review.days_left) == (18, 2)
    assert resumed.review.due_date == D(2024, 10, 23)
    assert resumed.review.nearly_due is True
    assert resumed.review.periods == (
        ClockPeriod(at("2024-09-02"), at("2024-09-13")),
        ClockPeriod(at("2024-10-09"), None),
    )
    assert resumed.review.round == 2


def test_the_issuer_reply_clock_runs_per_round():
    events = log(
        ("2024-09-01", "submitted"),
        ("2024-09-02", "under_review"),
        ("2024-09-13", "supplement_requested"),
        ("2024-10-09", "under_review"),
        ("2024-10-22", "supplement_requested"),
    )

    clocks = compute_clocks(events, CALENDAR, now=at("2024-10-25"))

    reply = clocks.supplement_reply
    assert reply.status == ClockStatus.RUNNING
    assert reply.round == 2
    assert (reply.used, reply.days_left) == (3, 27)
    assert reply.due_date == D(2024, 12, 3)
    assert reply.periods == (ClockPeriod(at("2024-10-22"), None),)
    assert clocks.review.status == ClockStatus.PAUSED
    assert (clocks.review.used, clocks.review.days_left) == (19, 1)


def test_first_reply_round_used_thirteen_days_including_make_up_days():
    events = log(
        ("2024-09-01", "submitted"),
        ("2024-09-02", "under_review"),
        ("2024-09-13", "supplement_requested"),
        ("2024-10-09", "under_review"),
    )

    reply = compute_clocks(events, CALENDAR, now=at("2024-10-10")).supplement_reply

    # 14 Sep (made-up Saturday), 18-20, 23-27, 29 Sep (made-up Sunday), 30 Sep, 8 and 9 Oct.
    assert (reply.status, reply.used, reply.overdue) == (ClockStatus.STOPPED, 13, False)


def test_a_resubmission_during_completeness_resumes_with_the_days_already_used():
    events = log(
        ("2024-10-14", "submitted"),  # Monday
        ("2024-10-16", "supplement_requested"),  # incomplete: 15 and 16 October used
    )

    paused = compute_clocks(events, CALENDAR, now=at("2024-10-25")).completeness
    assert (paused.status, paused.used, paused.due_date) == (ClockStatus.PAUSED, 2, None)

    events += [StateChange(at("2024-10-28"), "supplement_requested", "submitted")]
    clocks = compute_clocks(events, CALENDAR, now=at("2024-10-29"))

    assert clocks.completeness.status == ClockStatus.RUNNING
    assert (clocks.completeness.used, clocks.completeness.days_left) == (3, 2)
    assert clocks.completeness.due_date == D(2024, 10, 31)
    assert clocks.review.status == ClockStatus.NOT_STARTED


def test_after_acceptance_a_resubmission_runs_the_review_clock_not_completeness():
    events = log(
        ("2024-10-14", "submitted"),
        ("2024-10-15", "under_review"),
        ("2024-10-18", "supplement_requested"),  # review used 16, 17, 18
        ("2024-10-28", "submitted"),
    )

    clocks = compute_clocks(events, CALENDAR, now=at("2024-10-30"))

    assert (clocks.completeness.status, clocks.completeness.used) == (ClockStatus.STOPPED, 1)
    assert (clocks.review.status, clocks.review.used) == (ClockStatus.RUNNING, 5)

    events += [StateChange(at("2024-10-31"), "submitted", "under_review")]
    review = compute_clocks(events, CALENDAR, now=at("2024-10-31", 12)).review
    assert review.periods == (
        ClockPeriod(at("2024-10-15"), at("2024-10-18")),
        ClockPeriod(at("2024-10-28"), None),  # submitted and under_review again: one run
    )
    assert review.used == 6


def test_overdue_the_working_day_after_the_due_date():
    events = log(("2024-10-18", "submitted"))  # a Friday; due Friday 25 October

    on_the_day = compute_clocks(events, CALENDAR, now=at("2024-10-25", 23)).completeness
    next_monday = compute_clocks(events, CALENDAR, now=at("2024-10-28")).completeness

    assert (on_the_day.used, on_the_day.days_left, on_the_day.overdue, on_the_day.nearly_due) == (
        5,
        0,
        False,
        True,
    )
    assert (next_monday.used, next_monday.days_over, next_monday.overdue, next_monday.nearly_due) == (
        6,
        1,
        True,
        False,
    )


def test_overdue_over_the_weekend_after_the_due_date():
    events = log(("2024-10-18", "submitted"))

    saturday = compute_clocks(events, CALENDAR, now=at("2024-10-26")).completeness

    assert (saturday.used, saturday.days_over) == (5, 0)  # no working day has passed since...
    assert saturday.overdue is True  # ...but the deadline expired on Friday at 23:59:59


def test_a_clock_that_ran_out_before_a_pause_is_overdue_as_soon_as_it_resumes():
    events = log(("2024-09-01", "submitted"), ("2024-09-02", "under_review"))
    events += [
        StateChange(at("2024-09-30"), "under_review", "supplement_requested"),  # day 20 exactly
        StateChange(at("2024-10-15"), "supplement_requested", "under_review"),
    ]

    before = compute_clocks(events[:-1], CALENDAR, now=at("2024-10-14")).review
    after = compute_clocks(events, CALENDAR, now=at("2024-10-15", 11)).review

    assert (before.used, before.due_date, before.overdue) == (20, D(2024, 9, 30), False)
    assert (after.used, after.days_left, after.due_date, after.overdue) == (20, 0, D(2024, 9, 30), True)


def test_a_decision_stops_every_clock():
    events = log(("2024-10-14", "submitted"), ("2024-10-15", "under_review"), ("2024-10-25", "filed"))

    clocks = compute_clocks(events, CALENDAR, now=at("2024-12-02"))

    assert clocks.state == "filed"
    assert [clock.status for clock in clocks] == [
        ClockStatus.STOPPED,
        ClockStatus.STOPPED,
        ClockStatus.NOT_STARTED,
    ]
    assert (clocks.review.used, clocks.review.overdue, clocks.review.nearly_due) == (8, False, False)


def test_limits_are_configurable():
    events = log(("2024-10-14", "submitted"), ("2024-10-15", "under_review"))
    limits = ClockLimits(review=10, nearly_due=5)

    review = compute_clocks(events, CALENDAR, now=at("2024-10-22"), limits=limits).review

    assert (review.limit, review.used, review.days_left) == (10, 5, 5)
    assert review.due_date == D(2024, 10, 29)
    assert review.nearly_due is True
    with pytest.raises(ValueError):
        ClockLimits(review=0)


def test_administrators_overrides_move_the_due_date():
    events = log(("2024-10-18", "submitted"))
    typhoon = WorkingCalendar({D(2024, 10, 23): False})

    clock = compute_clocks(events, typhoon, now=at("2024-10-21")).completeness

    assert clock.due_date == D(2024, 10, 28)


def test_a_due_date_in_a_year_the_calendar_does_not_know_is_unverified():
    events = log(("2026-12-21", "submitted"), ("2026-12-22", "under_review"))

    review = compute_clocks(events, CALENDAR, now=at("2026-12-23")).review

    assert review.due_date == D(2027, 1, 20)  # Mon-Fri less New Year's Day: provisional
    assert review.verified is False
    assert compute_clocks(events, CALENDAR, now=at("2026-12-23")).completeness.verified is True


def test_plain_tuples_are_accepted_and_the_log_must_be_in_order():
    events = [(at("2024-10-14"), "draft", "submitted"), (at("2024-10-15"), "submitted", "under_review")]

    assert compute_clocks(events, CALENDAR, now=at("2024-10-16")).review.used == 1
    with pytest.raises(ValueError, match="out of order"):
        compute_clocks(events[::-1], CALENDAR, now=at("2024-10-16"))
    with pytest.raises(ValueError, match="before the last state change"):
        compute_clocks(events, CALENDAR, now=at("2024-10-14"))
    with pytest.raises(ValueError, match="naive datetime"):
        compute_clocks(
            [(dt.datetime(2024, 10, 14, 10), "draft", "submitted")], CALENDAR, now=at("2024-10-16")
        )


# Pauses: communication meetings, consultations of other authorities, suspension --------------------


def test_a_consultation_stops_the_review_clock_and_it_resumes_with_the_days_used():
    steps = log(
        ("2024-09-02", "submitted"),  # Monday
        ("2024-09-02", "under_review"),
        ("2024-09-05", "review_paused"),  # Thursday: Tue, Wed, Thu used
        ("2024-09-12", "under_review"),  # a week later
    )

    during = compute_clocks(steps[:3], CALENDAR, now=at("2024-09-10"))
    after = compute_clocks(steps, CALENDAR, now=at("2024-09-16"))  # Fri 13 and Mon 16 used

    assert (during.review.status, during.review.used, during.review.due_date) == (ClockStatus.PAUSED, 3, None)
    assert (after.review.status, after.review.used, after.review.days_left) == (ClockStatus.RUNNING, 5, 15)
    assert after.review.periods == (
        ClockPeriod(at("2024-09-02"), at("2024-09-05")),
        ClockPeriod(at("2024-09-12"), None),
    )


def test_a_suspension_during_the_completeness_check_pauses_that_clock():
    steps = log(("2024-09-02", "submitted"), ("2024-09-04", "suspended"))

    clocks = compute_clocks(steps, CALENDAR, now=at("2024-09-20"))

    assert (clocks.completeness.status, clocks.completeness.used) == (ClockStatus.PAUSED, 2)
    assert clocks.review.status == ClockStatus.NOT_STARTED
    assert not clocks.completeness.overdue


def test_a_meeting_during_a_supplement_request_continues_the_same_reply_round():
    steps = log(
        ("2024-09-02", "submitted"),
        ("2024-09-02", "under_review"),
        ("2024-09-03", "supplement_requested"),
        ("2024-09-05", "review_paused"),  # Wed, Thu of the reply used
        ("2024-09-11", "supplement_requested"),
    )

    paused = compute_clocks(steps[:4], CALENDAR, now=at("2024-09-09"))
    clocks = compute_clocks(steps, CALENDAR, now=at("2024-09-13"))  # Thu 12, Fri 13

    assert (paused.supplement_reply.status, paused.supplement_reply.used) == (ClockStatus.PAUSED, 2)
    assert (clocks.supplement_reply.round, clocks.supplement_reply.used) == (1, 4)
    assert clocks.review.status == ClockStatus.PAUSED
