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


class Receiver:
    """A webhook receiver on a free loopback port: it keeps what it is sent and answers ``status``."""

    def __init__(self, status: int = 204) -> None:
        import http.server
        import threading

        self.status = status
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    hook = Receiver()
    yield hook
    hook.close()


def verify(secret: str, delivery: dict[str, Any]) -> bool:
    """What a client does: recompute the HMAC over ``<timestamp>.<body>`` and compare."""
    import hashlib
    import hmac

    headers = {k.lower(): v for k, v in delivery["headers"].items()}
    timestamp = headers["x-filingdesk-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + delivery["body"], hashlib.sha256
    ).hexdigest()
    return f"v1={expected}" in headers["x-filingdesk-signature"].split(",")


@pytest.fixture
def receivable_filing(preparer):
    from filings.services import create_filing

    return create_filing(
        organisation=preparer.organisation,
        title="测试应收账款 2026-1",
        asset_class="trade_receivable",
        by=preparer,
    )
