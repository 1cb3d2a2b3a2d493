"""With REDIS_URL, limits hold across processes: a refusal recorded by one Django process is a
repeat for another (as for two gunicorn workers), so the audit's flood control is not multiplied
by the number of workers. The cache keys here carry a prefix of their own."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings

from audit.models import Event
from desk.refusals import record_refused_access

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]

OTHER_PROCESS = """
import django; django.setup()
from accounts.models import User
from django.core.cache import caches
from desk.refusals import record_refused_access
print(type(caches["default"]).__name__)
print(record_refused_access(by=User.objects.get(pk={user}), method="GET", path="/filings/X-1/",
      url_name="filings:detail", kwargs={{"reference": "X-1"}}, status=404))
"""


def test_a_refusal_seen_by_one_process_is_a_repeat_for_another(preparer):
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: the shared cache needs a real Redis")
    prefix = f"fd-test-{uuid.uuid4().hex[:8]}"
    caches = {"default": {**settings.REDIS_CACHES["default"], "KEY_PREFIX": prefix}}
    assert caches["default"]["BACKEND"] == "config.cache.TolerantRedisCache"
    ask = {"by": preparer, "method": "GET", "url_name": "filings:detail", "status": 404}
    db = connection.settings_dict

    def other_process() -> list[str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",  # what prod counts in, REDIS_URL set
            "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
                db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
            ),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
        }
        run = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS.format(user=preparer.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    try:
        with override_settings(CACHES=caches):
            first = record_refused_access(path="/filings/X-1/", kwargs={"reference": "X-1"}, **ask)
            elsewhere = other_process()
            other_path = record_refused_access(path="/filings/X-2/", kwargs={"reference": "X-2"}, **ask)
    finally:  # only this test's keys (clearing the cache would flush the whole Redis db)
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()

    assert first == "recorded"
    assert elsewhere == ["TolerantRedisCache", "repeat"]
    assert other_path == "recorded"
    assert list(Event.objects.filter(action="access.refused").values_list("data__path", flat=True)) == [
        "/filings/X-1/",
        "/filings/X-2/",
    ]
