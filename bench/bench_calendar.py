"""Benchmark the working calendar per request: rebuilt every time (before) vs built once per process.

Run from the project root:  .venv/bin/python bench/bench_calendar.py [--requests 200] [--filings 50]

A scratch in-memory SQLite database (migrated) holds 40 administrators' overrides. One "request"
is what a reviewer queue page does for the calendar: get the working calendar, then work out a
20-working-day deadline and a span check for each of ``--filings`` filings submitted on different
days of November-December 2026 (so the 2026 and 2027 years are both built). "Before" builds a new
WorkingCalendar from the override rows on each request, as filings.deadlines.working_calendar did;
"after" calls today's working_calendar(), which reuses the process's calendar while the overrides'
(count, latest updated_at) and the verified years are unchanged. Prints the median and p95 of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--filings", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    from filings import deadlines
    from filings.calendar import WorkingCalendar
    from filings.models import CalendarOverride

    CalendarOverride.objects.bulk_create(
        CalendarOverride(date=dt.date(2026, 1, 5) + dt.timedelta(days=9 * n), is_working_day=n % 2 == 0)
        for n in range(40)
    )
    starts = [dt.date(2026, 11, 2) + dt.timedelta(days=n % 55) for n in range(args.filings)]

    def work(calendar: WorkingCalendar) -> None:
        for start in starts:
            deadline = calendar.deadline(start, 20)
            calendar.is_span_verified(start, deadline.due_date)

    def before() -> None:
        overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
        work(WorkingCalendar(overrides, verified_years=deadlines.setting(deadlines.VERIFIED_YEARS_KEY, [])))

    def after() -> None:
        work(deadlines.working_calendar())

    for name, request in (("before (rebuilt per request)", before), ("after (once per process)", after)):
        request()  # warm imports and the process's calendar
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            request()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{name:30s} median {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms")


if __name__ == "__main__":
    main()
