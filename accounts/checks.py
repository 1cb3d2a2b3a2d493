"""Release-time check that the configured keys still open the stored second-factor secrets.

A SECRET_KEY (or MFA_ENCRYPTION_KEYS) replaced without keeping the old one in SECRET_KEY_FALLBACKS
(or behind the new key) would lock every person with an authenticator app out, each sign-in an
error. ``migrate`` runs database checks, so the release step stops with this message instead.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def stored_mfa_secrets_open(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    if not databases or "default" not in databases:
        return []
    from allauth.mfa.models import Authenticator

    from .mfa_secrets import MfaSecretError, unseal

    try:
        newest = (
            Authenticator.objects.filter(type=Authenticator.Type.TOTP)
            .order_by("-pk")
            .values_list("data", flat=True)
            .first()
        )
    except DatabaseError:  # before the first migrate: no table yet
        return []
    if not newest:
        return []
    try:
        unseal(newest.get("secret", ""))
    except MfaSecretError:
        return [
            Error(
                "None of the configured keys opens the stored second-factor secrets.",
                hint="Put the previous SECRET_KEY in SECRET_KEY_FALLBACKS (or the previous key behind "
                "the new one in MFA_ENCRYPTION_KEYS) and run `manage.py rotate_mfa_keys`; see "
                "docs/operations.md.",
                id="accounts.E001",
            )
        ]
    return []
