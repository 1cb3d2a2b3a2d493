"""Second-factor secrets encrypted at rest: the TOTP key and the recovery-code seed.

allauth calls our MFA adapter's ``encrypt``/``decrypt`` around every secret it stores in
``Authenticator.data``. We seal them with Fernet (AES-128-CBC + HMAC-SHA256, from the
``cryptography`` package). Keys come from ``MFA_ENCRYPTION_KEYS`` (comma-separated Fernet keys,
the first one encrypts, all of them decrypt: add a new key in front, run
``manage.py rotate_mfa_keys``, then drop the old one). Without that setting one key is derived
from ``SECRET_KEY`` (and one from each of ``SECRET_KEY_FALLBACKS``, so rotating the secret key does
not lock anyone out of their authenticator). A passkey's stored credential is a public key and
needs no sealing.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# Marks a sealed value, so a value stored before encryption existed is recognised (and migrated).
PREFIX = "fernet:"
# Where each authenticator type keeps its secrets in ``Authenticator.data``.
SECRET_KEYS = {"totp": ("secret",), "recovery_codes": ("seed",)}


class MfaSecretError(Exception):
    """A sealed secret that none of the configured keys opens."""


def _derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(f"filing-desk/mfa-secrets/{secret_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def configured_keys() -> list[bytes]:
    """The Fernet keys, the encrypting one first."""
    explicit = [key.strip().encode() for key in getattr(settings, "MFA_ENCRYPTION_KEYS", []) if key.strip()]
    if explicit:
        return explicit
    fallbacks = list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return [_derived_key(settings.SECRET_KEY), *(_derived_key(key) for key in fallbacks)]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in configured_keys()])


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(text: str) -> str:
    """The secret encrypted with the current key."""
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def unseal(value: str) -> str:
    """The secret back; a value stored before encryption existed is returned as it is."""
    if not is_sealed(value):
        return value
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise MfaSecretError("no configured MFA encryption key opens this secret") from error


def reseal(value: str) -> str:
    """Sealed with the current key: a plain value is sealed, an old key's value is re-encrypted."""
    if not is_sealed(value):
        return seal(value)
    try:
        return PREFIX + _fernet().rotate(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise MfaSecretError("no configured MFA encryption key opens this secret") from error


def resealed_data(kind: str, data: dict[str, Any], *, convert: Any = reseal) -> dict[str, Any] | None:
    """``data`` with its secrets passed through ``convert``, or None when nothing changed."""
    changed = dict(data)
    for key in SECRET_KEYS.get(kind, ()):
        if isinstance(changed.get(key), str):
            changed[key] = convert(changed[key])
    if kind == "recovery_codes" and isinstance(changed.get("migrated_codes"), list):
        changed["migrated_codes"] = [convert(code) for code in changed["migrated_codes"]]
    return changed if changed != data else None


def reseal_all(authenticators: Any, *, convert: Any = reseal) -> int:
    """Re-encrypt every stored secret of ``authenticators`` (a queryset); returns how many rows changed."""
    count = 0
    for authenticator in authenticators.iterator():
        data = resealed_data(authenticator.type, authenticator.data or {}, convert=convert)
        if data is not None:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count
