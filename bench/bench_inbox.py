"""Inbox benchmark: what the task inbox and the bell add to each person's pages at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fd_scale_bench \\
        .venv/bin/python bench/bench_inbox.py --notifications 50000 --repeat 15

Run after ``seed_scale --filings 10000``. Adds ``--notifications`` notifications spread over the
scale people (a third unread; idempotent: tops up to that number), then opens each page of each
role ``--repeat`` times in one process with Django's test client and prints the median time and
the number of queries per page. One process, loopback only, no server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from filings.models import Filing  # noqa: E402
from inbox.models import Notification  # noqa: E402
from tests.accounts.mfa_support import enrol_totp, mark_client_mfa  # noqa: E402


def top_up(total: int) -> None:
    have = Notification.objects.count()
    people = list(User.objects.filter(username__startswith="scale-").order_by("pk"))
    filings = list(Filing.objects.order_by("pk").values_list("pk", "reference")[:500])
    if have >= total or not people or not filings:
        return
    now = timezone.now()
    batch = []
    for n in range(have, total):
        pk, reference = filings[n % len(filings)]
        batch.append(
            Notification(
                recipient=people[n % len(people)],
                kind="review_assigned",
                filing_id=pk,
                params={"reference": reference},
                target=f"/review/{reference}/",
                read_at=None if n % 3 == 0 else now,
            )
        )
    Notification.objects.bulk_create(batch, batch_size=5000)


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    client.get(url)  # warm: templates, the calendar cache
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    top_up(args.notifications)
    print(f"filings={Filing.objects.count()} notifications={Notification.objects.count()}")
    pages = {
        "scale-preparer001": ["/", "/notifications/"],
        "scale-signatory001": ["/", "/notifications/"],
        "scale-reviewer01": ["/", "/review/"],
        "scale-lead1": ["/", "/review/", "/review/?sort=left&page=2"],
        "scale-admin1": ["/", "/notifications/"],
    }
    print(f"{'person':<20} {'page':<28} {'median ms':>9} {'queries':>7} status")
    for username, urls in pages.items():
        user = User.objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        enrol_totp(user)
        mark_client_mfa(client, user)
        for url in urls:
            median, queries, status = measure(client, url, args.repeat)
            print(f"{username:<20} {url:<28} {median:9.1f} {queries:7d} {status}")


if __name__ == "__main__":
    main()
