"""Create a development CA and dossier-signing PKCS#12 where settings.DOSSIER_SIGNING_P12 expects it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from filings.dossier.signing import CA_CERT_FILENAME, create_dev_signing_identity


class Command(BaseCommand):
    help = (
        "Write a development root CA (ca.pem) and a signer PKCS#12 protected by "
        "DOSSIER_SIGNING_PASSPHRASE, into the directory of DOSSIER_SIGNING_P12. "
        "Does nothing if both files exist, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, help="Directory to write to (default: that of DOSSIER_SIGNING_P12)."
        )
        parser.add_argument("--force", action="store_true", help="Replace existing files.")
        parser.add_argument(
            "--common-name", default="Filing Desk Development Signer", help="Signer certificate common name."
        )

    def handle(self, *args: Any, out: Path | None, force: bool, common_name: str, **options: Any) -> None:
        configured = Path(settings.DOSSIER_SIGNING_P12)
        directory = out or configured.parent
        p12_path = directory / configured.name
        ca_path = directory / CA_CERT_FILENAME
        existing = [path for path in (p12_path, ca_path) if path.exists()]

        if existing and not force:
            if len(existing) == 2:
                self.stdout.write(
                    f"Signing identity already present, nothing written:\n  {p12_path}\n  {ca_path}"
                )
                return
            # A lone PKCS#12 may be a real key; a lone ca.pem belongs to a lost key. Either way, ask.
            raise CommandError(
                f"Only {existing[0]} exists. Pass --force to replace it with a new development identity."
            )

        paths = create_dev_signing_identity(
            directory,
            common_name=common_name,
            passphrase=settings.DOSSIER_SIGNING_PASSPHRASE,
            p12_filename=configured.name,
        )
        self.stdout.write(
            self.style.SUCCESS("Wrote a development signing identity (not for production):")
            + f"\n  signer PKCS#12: {paths.signer_p12}\n  CA certificate: {paths.ca_cert}"
        )
