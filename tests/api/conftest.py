"""API fixtures: a client that speaks with a bearer token, and tokens for the role fixtures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.services.tokens import create_token


@pytest.fixture
def make_token() -> Callable[..., str]:
    def make(user: Any, scopes: list[str] | None = None, **kwargs: Any) -> str:
        return create_token(owner=user, name="test", scopes=scopes or ["read"], **kwargs).secret

    return make


@pytest.fixture
def client_for(make_token) -> Callable[..., APIClient]:
    """An API client carrying a new token of ``user`` with ``scopes``; English unless told."""

    def make(user: Any, scopes: list[str] | None = None, language: str = "en", **kwargs: Any) -> APIClient:
        client = APIClient()
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {make_token(user, scopes, **kwargs)}", HTTP_ACCEPT_LANGUAGE=language
        )
        return client

    return make


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
