"""The stored clock columns say what the derivation from the audit log says, after the services move
the clock and after the working-day rollover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from desk.scale import seed_scale
from filings.calendar import local_date
from filings.deadlines import CLOCK_FIELDS, CLOCK_STATES, clock_columns, clocks_for_filings, refresh_clocks
from filings.models import Filing

pytestmark = pytest.mark.django_db


def _stored(filing: Filing) -> dict[str, object]:
    return {name: getattr(filing, name) for name in CLOCK_FIELDS}


def _derived(filings: list[Filing], now: dt.datetime) -> dict[int, dict[str, object]]:
    clocks = clocks_for_filings(filings, now=now)
    return {f.pk: clock_columns(clocks[f.pk], local_date(now)) for f in filings}


def test_every_stored_clock_matches_the_one_derived_from_the_log():
    seed_scale(120, force=True)
    filings = list(Filing.objects.all())
    derived = _derived(filings, timezone.now())

    assert {f.pk: _stored(f) for f in filings} == derived
    states = {f.state for f in filings if f.clock_overdue}
    assert states and states <= {"submitted", "under_review", "supplement_requested"}


def test_the_rollover_task_brings_the_clocks_of_open_filings_to_the_new_day():
    seed_scale(120, force=True)
    later = timezone.now() + dt.timedelta(days=9)

    refreshed = refresh_clocks(now=later)

    # Paused and suspended reviews keep their clock on the queue: it moves with the day too.
    moving = list(Filing.objects.filter(state__in=CLOCK_STATES))
    assert {"review_paused", "suspended"} <= {f.state for f in moving}
    assert refreshed == len(moving)
    assert {f.pk: _stored(f) for f in moving} == _derived(moving, later)
    assert refresh_clocks(now=later) == 0  # the same day again: nothing to do


def _next_working_day(after: dt.date) -> dt.date:
    from filings.deadlines import working_calendar

    calendar = working_calendar()
    day = after + dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _submitted(ready_filing: Filing, signatory) -> Filing:
    from filings.services import submit_filing

    submit_filing(filing_id=ready_filing.pk, by=signatory)
    filing = Filing.objects.get(pk=ready_filing.pk)
    assert filing.clock_due_date is not None
    return filing


def test_a_day_off_declared_on_the_calendar_screen_moves_the_stored_due_date(
    client, ready_filing, signatory, admin_user, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    filing = _submitted(ready_filing, signatory)
    before = filing.clock_due_date
    day_off = _next_working_day(local_date(timezone.now()))  # inside the running clock's window
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("filings:setting_create", args=["calendar"]),
            {"date": day_off.isoformat(), "is_working_day": "", "note": "extra day off"},
        )

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.clock_due_date == _next_working_day(before)
    assert _stored(filing) == _derived([filing], timezone.now())[filing.pk]


def test_loading_a_holiday_schedule_moves_the_stored_due_date(
    ready_filing, signatory, admin_user, django_capture_on_commit_callbacks
):
    from filings.services import load_calendar_year

    filing = _submitted(ready_filing, signatory)
    before = filing.clock_due_date
    day_off = _next_working_day(local_date(timezone.now()))

    with django_capture_on_commit_callbacks(execute=True):
        load_calendar_year(year=day_off.year, holidays=[day_off], working_days=[], by=admin_user)

    filing.refresh_from_db()
    assert filing.clock_due_date == _next_working_day(before)


def test_a_longer_limit_moves_the_stored_due_date(
    client, ready_filing, signatory, admin_user, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from filings.deadlines import working_calendar
    from filings.models import RegulatorySetting

    filing = _submitted(ready_filing, signatory)
    before = filing.clock_due_date
    client.force_login(admin_user)

    key = "clock.completeness_working_days"
    existing = RegulatorySetting.objects.filter(key=key).first()
    url = (
        reverse("filings:setting_edit", args=["limits", existing.pk])
        if existing
        else reverse("filings:setting_create", args=["limits"])
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"key": key, "value": str(filing.clock_limit + 5), "note": ""},
        )

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.clock_due_date == working_calendar().add_working_days(before, 5)
    assert _stored(filing) == _derived([filing], timezone.now())[filing.pk]
