"""What the fault drills ask the app to do, run as a separate process (``python -m
tests.services.fault_actions ACTION JSON``): it prints one JSON line with what it made."""

from __future__ import annotations

import json
import sys


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    action, arguments = sys.argv[1], json.loads(sys.argv[2])
    by = get_user_model().objects.get(pk=arguments["user_id"])
    if action == "import":
        from assets import services

        with open(arguments["path"], "rb") as tape:
            job = services.start_tape_import(
                pool_id=arguments["pool_id"], upload=tape, kind="assets", mapping=None, by=by
            )
        print(json.dumps({"job_id": job.pk}))
    elif action == "request_dossier":
        from filings import services as filing_services

        job = filing_services.request_dossier(
            snapshot_id=arguments["snapshot_id"], language=arguments["language"], copy="issuer", by=by
        )
        print(json.dumps({"job_id": job.pk}))
    elif action == "submit":
        from filings.models import Filing
        from tests.filings import dossier_support

        # The real submission, blocking-findings check included; the drill measures recovery (the
        # render's own running time is subtracted).
        snapshot = dossier_support.submit(Filing.objects.get(pk=arguments["filing_id"]), by)
        print(json.dumps({"snapshot_id": snapshot.pk}))
    else:
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main()
