"""Library signals we act on: lockouts and new second factors go into the audit log."""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authenticator_added
from axes.signals import user_locked_out
from django.dispatch import receiver

from audit.services import record_event

from .security import mark_session_mfa


@receiver(user_locked_out, dispatch_uid="accounts-locked-out")
def on_locked_out(sender: Any, request: Any, username: Any, ip_address: Any, **kwargs: Any) -> None:
    record_event(
        action="auth.locked_out", data={"username": str(username or "")[:150], "ip": ip_address or ""}
    )


@receiver(authenticator_added, dispatch_uid="accounts-mfa-enrolled")
def on_authenticator_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """Adding a passkey proves it (the TOTP form marks the session itself, see ActivateTotpForm)."""
    record_event(action="auth.mfa_enrolled", actor=user, data={"type": authenticator.type})
    if request is not None and authenticator.type == "webauthn":
        mark_session_mfa(request, user=user, kind=authenticator.type)
