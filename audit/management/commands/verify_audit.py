"""Verify the audit log's hash chains against their heads; exit non-zero and name the first broken event."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute every hash of the audit log and compare each chain with its recorded head; "
        "exit 1 at the first altered or missing event."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"OK: {result.checked} events, head {result.head_hash}")
            return
        self.stdout.write(
            f"BROKEN at event #{result.first_broken_sequence} ({result.chain} chain): {result.reason} "
            f"({result.checked} events verified before it)"
        )
        sys.exit(1)
