"""Errors as RFC 9457 problem details (application/problem+json), in the language the client asked for.

The locale middleware has already chosen the language from Accept-Language, so every translated
message the services raise reads in it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from assets.errors import DuplicateTapeError, PoolLockedError, TapeImportError
from assets.errors import NotAllowedError as PoolNotAllowedError
from filings.errors import (
    BlockingFindingsError,
    FilingError,
    SectionLockedError,
    StaleEditError,
    TransitionRefusedError,
    UploadRejectedError,
)
from reviews.errors import NotAllowedError as ReviewNotAllowedError
from reviews.errors import WrongStateError

from .services.tokens import TokenError

logger = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "precondition failed"
    default_code = "stale"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "precondition required"
    default_code = "precondition_required"


def _titles() -> dict[int, str]:
    return {
        400: _("The request is not valid"),
        401: _("Authentication needed"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict with the filing's state"),
        412: _("Someone else changed this since you read it"),
        413: _("Too large"),
        415: _("Unsupported media type"),
        422: _("The content was refused"),
        428: _("Send If-Match with the ETag you read"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(status_code: int, detail: Any, *, slug: str, **extra: Any) -> Response:
    body = {
        "type": f"urn:filing-desk:problem:{slug}",
        "title": _titles().get(status_code, _("The request failed")),
        "status": status_code,
        "detail": str(detail),
        **extra,
    }
    return Response(body, status=status_code, content_type=PROBLEM_JSON)


def _domain_status(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, StaleEditError):
        return 412, "stale"
    if isinstance(exc, BlockingFindingsError):
        return 409, "blocking-findings"
    if isinstance(exc, (ReviewNotAllowedError, PoolNotAllowedError)):
        return 403, "not-allowed"
    if isinstance(exc, (TransitionRefusedError, SectionLockedError, WrongStateError, PoolLockedError)):
        return 409, "wrong-state"
    if isinstance(exc, DuplicateTapeError):
        return 409, "duplicate-tape"
    if isinstance(exc, (UploadRejectedError, TapeImportError)):
        return 422, "rejected"
    return 400, "refused"


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        return problem(404, _("There is nothing here, or it is outside your scope."), slug="not-found")
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, (FilingError, TapeImportError)):
        code, slug = _domain_status(exc)
        extra: dict[str, Any] = {}
        if isinstance(exc, BlockingFindingsError):
            extra["findings"] = [
                {"code": f.code, "severity": f.severity, "field": f.field, "message": str(f.message)}
                for f in exc.findings
            ]
        if isinstance(exc, DuplicateTapeError):
            extra["job"] = exc.existing.pk
        return problem(code, exc.user_message, slug=slug, **extra)
    if isinstance(exc, TokenError):
        return problem(400, exc.user_message, slug="token")
    if not isinstance(exc, exceptions.APIException):
        logger.exception("API request failed", exc_info=exc)
        return problem(500, _("Something went wrong on our side; it has been logged."), slug="server-error")
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
    code = exc.status_code
    if getattr(exc, "auth_header", None):  # set by DRF on a 401 from the authenticator
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        detail: Any = exc.detail
        response = problem(400, _("Some fields are not valid; see errors."), slug="invalid", errors=detail)
    else:
        message = exc.detail if isinstance(exc.detail, str) else exc.default_detail
        response = problem(code, message, slug=exc.default_code.replace("_", "-"))
    for name, value in headers.items():
        response[name] = value
    return response
