"""How django-allauth behaves here: no self sign-up; mail goes through Django's configured backend."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are created by an administrator or by invitation, never by the public."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in of the last five minutes counts: enrolment forced right after signing in
        must not ask for the password a second time."""
        import time

        from allauth.account.authentication import get_authentication_records
        from allauth.core import context

        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and time.time() - float(records[-1]["at"]) < 300:
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send in the recipient's language, like our other notifications."""
        from django.utils import translation

        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """TOTP keys and recovery seeds are stored encrypted (see accounts.mfa_secrets)."""
        from .mfa_secrets import seal

        return seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        from .mfa_secrets import unseal

        return unseal(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A person whose role requires a second factor keeps at least one app or passkey."""
        from .security import requires_mfa

        if authenticator.type == Authenticator.Type.RECOVERY_CODES or not requires_mfa(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exclude(pk=authenticator.pk)
        return others.exists()
