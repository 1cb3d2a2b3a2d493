"""Re-encrypt every stored second-factor secret with the first key of MFA_ENCRYPTION_KEYS."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.mfa_secrets import reseal_all


class Command(BaseCommand):
    help = "Re-encrypt TOTP keys and recovery seeds with the current MFA encryption key (after adding one)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = reseal_all(Authenticator.objects.select_for_update())
        self.stdout.write(f"re-encrypted {count} authenticators")
