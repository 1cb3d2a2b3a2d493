"""What a person sees while the cache's Redis is away: pages and the API answer as usual (never a
500), a refused access is still audited (each time: nothing dedupes it), and the API's rate limit
lets requests through. Shared by the plain test (a port nobody listens on) and the service-backed
one (a private redis-server that is stopped)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.services.tokens import create_token
from audit.models import Event


def cache_at(url: str, prefix: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}


def api_client(user: Any) -> APIClient:
    api = APIClient()
    secret = create_token(owner=user, name="outage", scopes=["read"]).secret
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def refusals_of(user: Any) -> int:
    return Event.objects.filter(action="access.refused", actor=user).count()


def assert_pages_and_api_answer(*, other_preparer: Any, draft_filing: Any, api: APIClient, rate: int) -> None:
    """With the cache away (and API_TOKEN_RATE at ``rate`` a minute)."""
    web = Client()
    web.force_login(other_preparer)
    before = refusals_of(other_preparer)

    assert web.get(reverse("filings:list")).status_code == 200
    for _ in range(2):  # the same refusal twice: the dedupe is skipped, the audit is not
        assert web.get(reverse("filings:detail", args=[draft_filing.reference])).status_code == 404
    assert refusals_of(other_preparer) == before + 2

    answers = [api.get("/api/v1/filings/").status_code for _ in range(rate + 2)]
    assert answers == [200] * (rate + 2)  # nothing counted, nothing throttled
