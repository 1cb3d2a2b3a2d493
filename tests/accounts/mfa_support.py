"""Test support for the second factor: a known TOTP secret, codes computed from it, and a test
client whose ``force_login``/``login`` stand for a completed sign-in (password and second factor).

Production is not loosened: the MFA middleware still demands an enrolled factor and a session that
passed it; here the test client writes exactly what a real sign-in writes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

# Base32; only for tests (the demo has its own, documented in the README).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TEST_TOTP_SECRET, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for this secret now (or at ``at``).

    A code read in the last seconds of its 30-second period may reach the server in the next one,
    where it is no longer accepted (no tolerance is configured): like a person, wait for the next code.
    """
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if at is None and time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.05)
    return format_hotp_value(hotp_value(secret, int((at or time.time()) // 30)))


def enrol_totp(user: Any, secret: str = TEST_TOTP_SECRET) -> Any:
    """Give the person an authenticator app with ``secret`` (as if they had scanned the QR code)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def mark_client_mfa(client: Any, user: Any) -> None:
    """Write on the client's session what a completed second-factor sign-in writes."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.username},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True, scope="session")
def _client_logins_pass_second_factor() -> Iterator[None]:
    from django.contrib.auth import authenticate
    from django.test import Client, RequestFactory

    from accounts.security import requires_mfa

    original_force_login = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original_force_login(self, user, backend)
        if requires_mfa(user):
            enrol_totp(user)
        mark_client_mfa(self, user)

    def login(self: Client, **credentials: Any) -> bool:
        # django-axes needs the request a sign-in form would pass.
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
        user = authenticate(request, **credentials)
        if user is None:
            return False
        force_login(self, user, getattr(user, "backend", None))
        return True

    Client.force_login = force_login  # type: ignore[method-assign]
    Client.login = login  # type: ignore[method-assign]
    yield
    Client.force_login = original_force_login  # type: ignore[method-assign]
