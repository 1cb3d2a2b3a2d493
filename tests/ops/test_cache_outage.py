"""A cache whose Redis does not answer (nobody listens on its port) degrades, it does not fail."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.ops.cache_outage import api_client, assert_pages_and_api_answer, cache_at
from tests.processes import free_port

pytestmark = pytest.mark.django_db


def test_without_the_caches_redis_pages_and_api_answer_and_refusals_are_audited(other_preparer, draft_filing):
    api = api_client(other_preparer)
    with override_settings(
        CACHES=cache_at(f"redis://127.0.0.1:{free_port()}/0", "fd-outage"), API_TOKEN_RATE="2/min"
    ):
        assert_pages_and_api_answer(other_preparer=other_preparer, draft_filing=draft_filing, api=api, rate=2)
