"""The cache's Redis stopped while the app runs: pages and the API still answer, refusals are
still audited; with Redis up the same refusal is deduped and the rate limit counts."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.ops.cache_outage import api_client, assert_pages_and_api_answer, cache_at, refusals_of
from tests.processes import private_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_a_stopped_cache_redis_degrades_limits_and_fails_nothing(other_preparer, draft_filing):
    api = api_client(other_preparer)
    web = Client()
    web.force_login(other_preparer)
    refused = reverse("filings:detail", args=[draft_filing.reference])
    with (
        private_redis() as redis,
        override_settings(CACHES=cache_at(redis.url, "fd-outage"), API_TOKEN_RATE="2/min"),
    ):
        assert [web.get(refused).status_code for _ in range(2)] == [404, 404]
        assert refusals_of(other_preparer) == 1  # Redis up: the repeat is deduped
        assert [api.get("/api/v1/filings/").status_code for _ in range(3)] == [200, 200, 429]

        redis.stop()
        assert_pages_and_api_answer(
            other_preparer=other_preparer,
            draft_filing=draft_filing,
            api=api_client(other_preparer),
            rate=2,
        )
