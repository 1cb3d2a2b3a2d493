"""`manage.py preflight <reference>`: the pre-flight findings of one filing, for scripts and CI.

Exit status: 0 without blocking findings, 1 with any, 2 for an unknown reference.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from filings.compliance import BLOCKING, WARNING, run_preflight
from filings.models import Filing


class Command(BaseCommand):
    help = "Print the pre-flight findings of a filing; exit 1 if any is blocking, 2 if the filing is unknown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the filing reference, e.g. FD-2026-00001")
        parser.add_argument(
            "--language", default="en", choices=["en", "zh-hans"], help="language of the messages"
        )

    def handle(self, *args: Any, reference: str, language: str, **options: Any) -> None:
        filing = Filing.objects.filter(reference=reference.strip()).first()
        if filing is None:
            raise CommandError(f"No filing has the reference {reference!r}.", returncode=2)
        with translation.override(language):
            findings = run_preflight(filing)
            for finding in findings:
                waiver = f" [waiver {finding.waiver.status}]" if finding.waiver is not None else ""
                self.stdout.write(
                    f"{finding.severity.upper():8}  {finding.code:18}  {finding.section:12}  "
                    f"{finding.field or '-'}  {finding.text}{waiver}"
                )
        blocking = sum(1 for f in findings if f.severity == BLOCKING)
        warnings = sum(1 for f in findings if f.severity == WARNING)
        verdict = "submission refused" if blocking else "ready to submit"
        self.stdout.write(f"{filing.reference}: {blocking} blocking, {warnings} warning(s) — {verdict}.")
        if blocking:
            raise SystemExit(1)
