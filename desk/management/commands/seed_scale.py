"""Load N filings over 200 issuer organisations with their audit trail, for measuring at scale."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from desk.scale import NonDemoDataError, seed_scale


class Command(BaseCommand):
    help = (
        "Load N filings in every state over 200 issuer organisations, with snapshots, assignments, "
        "clocks at every stage and a verified audit chain (idempotent per N; demo databases only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--filings", type=int, default=10_000)
        parser.add_argument(
            "--force", action="store_true", help="run even if the database holds non-demo organisations"
        )
        parser.add_argument(
            "--no-drafts",
            action="store_true",
            help="do not fill the people's first drafts like the demo's (they make section saves real)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            added = seed_scale(
                options["filings"],
                force=options["force"],
                fill_drafts=not options["no_drafts"],
                log=self.stderr.write,
            )
        except NonDemoDataError as error:
            raise CommandError(
                f"This database holds organisations that are not demo data ({error}); "
                "use --force to load scale data into it anyway."
            ) from error
        self.stdout.write(f"{added} filings added in {time.monotonic() - started:.1f} s")
