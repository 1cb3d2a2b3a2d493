"""The stored clock columns say what the derivation from the audit log says, after the services move
the clock and after the working-day rollover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from desk.scale import seed_scale
from filings.calendar import local_date
from filings.deadlines import CLOCK_FIELDS, clock_columns, clocks_for_filings, refresh_clocks
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

    moving = list(Filing.objects.filter(state__in=["submitted", "under_review", "supplement_requested"]))
    assert refreshed == len(moving)
    assert {f.pk: _stored(f) for f in moving} == _derived(moving, later)
    assert refresh_clocks(now=later) == 0  # the same day again: nothing to do
