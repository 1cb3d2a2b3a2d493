"""Every refused access goes into the audit log, from one place: the request's 404 (or 403).

Views refuse in many ways (a selector that finds nothing, ``get_object_or_404`` on a filing's
related objects, a role gate raising ``Http404`` — a page refused by role answers 404 like one that
does not exist, so a refusal confirms nothing; the API's scope refusals stay 403); all of them end
in a 404 or 403 response to a URL that resolved, so the middleware below records the refusal there instead of
each view remembering to. It lives in desk, above filings, because it names the filing the URL
points at. A crawler cannot flood the log: the same refused request is logged once per
``DEDUPE_SECONDS``, and one person's refusals at most ``LIMIT`` times per ``WINDOW_SECONDS``, after
which one event says that logging stopped. While the cache's Redis is away (config/cache.py) the
counting stops, not the audit: every refusal is recorded, none deduped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from audit.services import record_event
from filings.models import Filing

REFUSED_STATUSES = (403, 404)
DEDUPE_SECONDS = 600
WINDOW_SECONDS = 3600
LIMIT = 300


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def record_refused_access(
    *,
    by: Any,
    method: str,
    path: str,
    url_name: str,
    kwargs: dict[str, Any],
    status: int,
) -> str:
    """Log one refusal unless it repeats a recent one or the person's limit is reached.

    Returns what happened: "recorded", "repeat", "suppressed" (the event saying logging stopped
    was written) or "over_limit"."""
    fingerprint = hashlib.sha256(f"{by.pk}|{method}|{path}".encode()).hexdigest()[:32]
    if not cache.add(
        f"audit:refused:{fingerprint}", 1, timeout=_setting("AUDIT_REFUSAL_DEDUPE_SECONDS", DEDUPE_SECONDS)
    ):
        return "repeat"
    window = _setting("AUDIT_REFUSAL_WINDOW_SECONDS", WINDOW_SECONDS)
    limit = _setting("AUDIT_REFUSAL_LIMIT", LIMIT)
    counter = f"audit:refused-count:{by.pk}"
    cache.add(counter, 0, timeout=window)
    count = cache.incr(counter)
    reference = kwargs.get("reference")
    filing_id = (
        Filing.objects.filter(reference=reference).values_list("pk", flat=True).first()
        if isinstance(reference, str)
        else None
    )
    data = {
        "method": method,
        "path": path[:300],
        "url_name": url_name,
        "kwargs": {key: str(value)[:100] for key, value in kwargs.items()},
        "status": status,
        "organisation_id": getattr(by, "organisation_id", None),
    }
    if count > limit:
        if count == limit + 1:
            record_event(
                action="access.refused_suppressed", actor=by, data={**data, "limit": limit, "window": window}
            )
            return "suppressed"
        return "over_limit"
    record_event(action="access.refused", actor=by, filing_id=filing_id, data=data)
    return "recorded"


class RefusedAccessAuditMiddleware:
    """Records an ``access.refused`` event when a signed-in person's request to one of our URLs
    ends in 403 or 404 (placed after the authentication middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None and response.status_code in REFUSED_STATUSES:
            # Refused by a middleware before the URL was resolved (the Django admin without a
            # second factor): still a refusal of one of our pages.
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        user = getattr(request, "user", None)
        if (
            response.status_code in REFUSED_STATUSES
            and match is not None
            and user is not None
            and user.is_authenticated
        ):
            record_refused_access(
                by=user,
                method=request.method or "",
                path=request.path,
                url_name=match.view_name,
                kwargs=dict(match.kwargs),
                status=response.status_code,
            )
        return response
