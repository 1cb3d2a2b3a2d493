"""Request id in and out, and one access-log line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import sentry_sdk
from django.http import HttpRequest, HttpResponse

from . import context

logger = logging.getLogger("ops.request")
QUIET_PATHS = frozenset({"/healthz", "/readyz"})  # load-balancer probes every few seconds


class RequestIdMiddleware:
    """Accepts an incoming X-Request-ID (else makes one), echoes it in the response, and logs the
    request as one line: request id, user id, method, path, status, duration in ms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = context.accept_or_generate(request.headers.get(context.HEADER))
        token = context.request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        sentry_sdk.set_tag("request_id", rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[context.HEADER] = rid
            if request.path not in QUIET_PATHS:
                user = getattr(request, "user", None)
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            context.request_id.reset(token)
