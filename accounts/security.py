"""Who must use a second factor, and whether this session has passed one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Role

# Reviewers decide filings, signatories attest for an issuer, administrators hold every key.
MFA_REQUIRED_ROLES = frozenset({Role.SIGNATORY, Role.REVIEWER, Role.LEAD_REVIEWER, Role.ADMINISTRATOR})
REGULATOR_SESSION_ROLES = frozenset({Role.REVIEWER, Role.LEAD_REVIEWER, Role.ADMINISTRATOR})


def requires_mfa(user: Any) -> bool:
    """Whether this person must sign in with a second factor (staff of the Django admin included)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in MFA_REQUIRED_ROLES or user.is_staff or user.is_superuser


def has_second_factor(user: Any) -> bool:
    """Whether the person has enrolled an authenticator app or a passkey."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session was opened (or confirmed) with a second factor."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def mark_session_mfa(request: HttpRequest, *, user: Any, kind: str) -> None:
    """Record on the session that the person has just proved a second factor."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, "mfa", type=kind)
