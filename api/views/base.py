"""What every API view shares: the filing in the token's scope (else 404, logged) and the audit of writes."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import record_event
from filings import services as filing_services
from filings.models import Filing

from ..authentication import client_address
from ..models import ApiToken
from ..selectors import filings_for_token

SAFE = ("GET", "HEAD", "OPTIONS")


class NotFoundView(APIView):
    """Every path under /api/v1/ no endpoint matches: a 404 in problem details, whatever the method."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    schema = None  # not an operation of the API

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise Http404


class ApiView(APIView):
    """Base of every endpoint. Writes are audited under the person, naming the token they used."""

    def token(self) -> ApiToken | None:
        auth = getattr(self.request, "auth", None)
        return auth if isinstance(auth, ApiToken) else None

    def filing(self, reference: str) -> Filing:
        """The filing if the token reaches it; otherwise a 404 (refusing an existing one is logged)."""
        filing = filings_for_token(self.request.user, self.token()).filter(reference=reference).first()
        if filing is None:
            filing_services.record_refused_access(
                reference=reference, by=self.request.user, path=self.request.path
            )
            raise Http404
        return filing

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        token = self.token()
        if request.method not in SAFE and token is not None:
            record_event(
                action="api.request",
                actor=request.user,
                subject=token,
                data={
                    "token": token.prefix,
                    "method": request.method,
                    "path": request.path[:300],
                    "status": response.status_code,
                    "address": client_address(request),
                },
            )
        return response
