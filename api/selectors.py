"""Reads the API needs beyond the apps' own selectors: tokens, webhooks, the filings a token reaches."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from filings.models import Filing, FilingQuerySet
from filings.selectors import filings_for_user

from .models import ApiToken, WebhookDelivery, WebhookEndpoint


def tokens_for_user(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(owner=user).select_related("filing").order_by("-created_at")


def all_tokens() -> QuerySet[ApiToken]:
    """Every token, for administrators (who may revoke any)."""
    return ApiToken.objects.select_related("owner", "owner__organisation", "filing").order_by("-created_at")


def filings_for_token(user: Any, token: ApiToken | None) -> FilingQuerySet:
    """The owner's filings, narrowed to the one filing a pinned token reaches."""
    filings = filings_for_user(user)
    if token is not None and token.filing_id is not None:
        filings = filings.filter(pk=token.filing_id)
    return filings


def filing_choices_for_pin(user: Any) -> QuerySet[Filing]:
    """The filings a token may be pinned to: the organisation's own, or those delegated to an agent."""
    if not (getattr(user, "is_issuer", False) or getattr(user, "is_agent", False)):
        return Filing.objects.none()
    return filings_for_user(user).order_by("-created_at")


def webhooks_for_organisation(organisation_id: int | None) -> QuerySet[WebhookEndpoint]:
    if organisation_id is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(organisation_id=organisation_id, is_active=True)


def deliveries_for(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.order_by("-created_at")
