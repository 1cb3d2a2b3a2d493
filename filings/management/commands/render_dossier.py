"""Render a filing's dossier to a file, in this process (no worker, no job row)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from filings.models import DossierCopy, DossierLanguage, Filing


class Command(BaseCommand):
    help = (
        "Render the dossier of a filing's snapshot (the latest unless --snapshot) to a PDF, "
        "sealed when DOSSIER_SIGNING_P12 exists. Example: "
        "render_dossier ABST-2026-00001 --lang en --copy reviewer -o dossier.pdf"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="Filing reference, e.g. ABST-2026-00001.")
        parser.add_argument("--snapshot", type=int, help="Snapshot version (default: the latest).")
        parser.add_argument("--lang", choices=DossierLanguage.values, default=DossierLanguage.ZH_HANS)
        parser.add_argument("--copy", choices=DossierCopy.values, default=DossierCopy.ISSUER)
        parser.add_argument("-o", "--output", type=Path, required=True, help="Where to write the PDF.")

    def handle(
        self,
        *args: Any,
        reference: str,
        snapshot: int | None,
        lang: str,
        copy: str,
        output: Path,
        **options: Any,
    ) -> None:
        from filings.dossier.render import render_dossier

        filing = Filing.objects.filter(reference=reference).first()
        if filing is None:
            raise CommandError(f"No filing with reference {reference!r}.")
        snapshots = filing.snapshots.order_by("-version")
        chosen = snapshots.filter(version=snapshot).first() if snapshot else snapshots.first()
        if chosen is None:
            raise CommandError(
                f"{reference} has no snapshot {snapshot}."
                if snapshot
                else f"{reference} has not been submitted."
            )
        rendered = render_dossier(chosen, language=lang, copy=copy)
        output.write_bytes(rendered.pdf)
        seal = f"signed by {rendered.signer or 'the configured key'}" if rendered.signed else "NOT signed"
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {output}")
            + f": {reference} v{chosen.version} {lang} {copy} copy, {rendered.page_count} pages, "
            f"{len(rendered.pdf):,} bytes, {seal}\n  SHA-256 {rendered.sha256}\n"
            f"  attachments: {', '.join(a['filename'] for a in rendered.attachments)}\n"
            f"  time: {rendered.timings['total']:.1f} s"
        )
