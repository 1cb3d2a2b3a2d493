"""Drive a running deployment over HTTP: log in, import a tape on a worker, submit, download the dossier."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from desk.demo import DEMO_PASSWORD
from ops.smoke import SmokeError, run_journey, wait_until


class Command(BaseCommand):
    help = "Smoke-test a running deployment (seed_demo loaded) through its web pages and workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--timeout", type=float, default=300)

    def handle(self, *args: Any, base_url: str, timeout: float, **options: Any) -> None:
        import json
        import urllib.request

        def ready() -> bool:
            try:
                with urllib.request.urlopen(base_url + "/readyz", timeout=5) as reply:
                    return bool(reply.status == 200)
            except OSError:
                return False

        try:
            wait_until("/readyz turns 200", ready, timeout)
            journey = run_journey(base_url.rstrip("/"), password=DEMO_PASSWORD, timeout=timeout)
        except SmokeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            json.dumps(
                {
                    "filing": journey.reference,
                    "import": journey.import_url,
                    "dossier": journey.dossier_url,
                    "pdf_bytes": len(journey.pdf),
                    "pdf_sha256": hashlib.sha256(journey.pdf).hexdigest(),
                    "upload_request_id": journey.request_ids[0],
                    "timings": journey.timings,
                }
            )
        )
