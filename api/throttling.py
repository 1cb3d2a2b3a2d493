"""The rate limit is per token, so one integration cannot starve another of the same organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self) -> str | None:
        return str(settings.API_TOKEN_RATE)  # read per request, so deployments and tests can change it

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None  # unauthenticated requests fail authentication before they cost anything
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
