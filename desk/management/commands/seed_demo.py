"""Load the demo organisations, users and filings; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.test import override_settings

from desk.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo


class Command(BaseCommand):
    help = "Load demo organisations, one user per role and filings in every interesting state (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Run imports and renders here rather than in background threads: the command must
        # leave finished jobs behind when it exits.
        with override_settings(JOBS_RUN_INLINE=True):
            people, filings = seed_demo()
        self.stderr.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, user in people.items():
            admin = " · organisation administrator" if user.is_org_admin else ""
            self.stderr.write(f"  {username:<16} {user.get_role_display()} · {user.organisation}{admin}")
        self.stderr.write(
            "Signatories, reviewers, lead and admin also type a TOTP code; "
            f"demo-only authenticator secret: {DEMO_TOTP_SECRET}"
        )
        for filing in filings:
            self.stdout.write(f"{filing.reference} {filing.state} {filing.asset_class}")
