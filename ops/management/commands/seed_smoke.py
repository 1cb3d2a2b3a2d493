"""The demo's people and its one complete draft filing, for a production smoke test.

seed_demo's other filings are submitted and would queue a dozen dossier renders ahead of the one
the smoke test waits for; this loads only what the journey needs (idempotent).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from desk.demo import DEMO_FILINGS, ORGANISATIONS, enrol_demo_mfa, fill_filing, seed_people
from filings.models import Filing
from filings.services import create_filing


class Command(BaseCommand):
    help = "Load the demo users and the demo's draft filing (the production smoke test's starting point)."

    def handle(self, *args: Any, **options: Any) -> None:
        spec = next(s for s in DEMO_FILINGS if s["key"] == "sz" and s["to"] == "draft")
        with override_settings(
            JOBS_RUN_INLINE=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            people = seed_people()
            enrol_demo_mfa(people)  # the signatory signs in with the demo's second factor
            filing = Filing.objects.filter(title=spec["title"]).first()
            if filing is None:
                preparer, signatory = people["sz-preparer"], people["sz-signatory"]
                name_zh, code = next((zh, c) for key, zh, _en, c in ORGANISATIONS if key == "sz")
                with transaction.atomic():
                    filing = create_filing(
                        organisation=preparer.organisation,
                        title=spec["title"],
                        asset_class=spec["asset_class"],
                        by=preparer,
                    )
                    fill_filing(filing, preparer, signatory, name_zh=name_zh, code=code)
                filing = Filing.objects.get(pk=filing.pk)
        self.stdout.write(f"{filing.reference} {filing.state} {filing.asset_class}")
