"""The organisation's webhook endpoints: register, list, remove, rotate the secret, read the delivery log;
and who the token belongs to."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import WebhookEndpoint
from ..permissions import WebhooksScope
from ..selectors import deliveries_for, webhooks_for_organisation
from ..serializers.webhooks import (
    DeliverySerializer,
    MeSerializer,
    WebhookEndpointSerializer,
    WebhookSecretSerializer,
)
from ..services import webhooks
from .base import ApiView

PROBLEM = OpenApiResponse(description="Problem details (application/problem+json)")


class WebhookBase(ApiView):
    permission_classes = [WebhooksScope]

    def endpoint(self, pk: int) -> WebhookEndpoint:
        """One of the caller's organisation's endpoints; another organisation's is a 404."""
        endpoint = webhooks_for_organisation(self.request.user.organisation_id).filter(pk=pk).first()
        if endpoint is None:
            webhooks.record_refused_access(endpoint_id=pk, by=self.request.user, path=self.request.path)
            raise Http404
        return endpoint


class WebhookListView(WebhookBase):
    @extend_schema(responses={200: WebhookEndpointSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """The organisation's active endpoints."""
        endpoints = webhooks_for_organisation(request.user.organisation_id)
        return Response(WebhookEndpointSerializer(endpoints, many=True).data)

    @extend_schema(request=WebhookEndpointSerializer, responses={201: WebhookSecretSerializer, 400: PROBLEM})
    def post(self, request: Request) -> Response:
        """Register an endpoint for some events; the signing secret is in this response only."""
        body = WebhookEndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = webhooks.register_endpoint(
            url=body.validated_data["url"], events=body.validated_data["events"], by=request.user
        )
        return Response(WebhookSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(WebhookBase):
    @extend_schema(responses={200: WebhookEndpointSerializer, 404: PROBLEM})
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookEndpointSerializer(self.endpoint(pk)).data)

    @extend_schema(responses={204: None, 404: PROBLEM})
    def delete(self, request: Request, pk: int) -> Response:
        """Stop sending to this endpoint (its delivery log is kept)."""
        webhooks.remove_endpoint(endpoint_id=self.endpoint(pk).pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateView(WebhookBase):
    @extend_schema(request=None, responses={200: WebhookSecretSerializer, 404: PROBLEM})
    def post(self, request: Request, pk: int) -> Response:
        """A new secret; for a day deliveries carry a second signature made with the old one."""
        endpoint = webhooks.rotate_secret(endpoint_id=self.endpoint(pk).pk, by=request.user)
        return Response(WebhookSecretSerializer(endpoint).data)


class WebhookDeliveriesView(WebhookBase):
    @extend_schema(responses={200: DeliverySerializer(many=True), 404: PROBLEM})
    def get(self, request: Request, pk: int) -> Response:
        """The last 100 deliveries to this endpoint with every attempt's response code."""
        deliveries = deliveries_for(self.endpoint(pk))[:100]
        return Response(DeliverySerializer(deliveries, many=True).data)


class MeView(ApiView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        """Who the token acts for, what it may do and until when."""
        token: Any = self.token()
        user = request.user
        return Response(
            {
                "username": user.username,
                "role": user.role,
                "organisation": str(user.organisation) if user.organisation else None,
                "token": token.prefix,
                "scopes": token.scopes,
                "expires_at": token.expires_at,
                "filing": token.filing.reference if token.filing_id else None,
            }
        )
