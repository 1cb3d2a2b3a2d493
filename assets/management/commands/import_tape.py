"""`manage.py import_tape <filing-reference> <file> [--mapping mapping.json]`: import a tape from a shell.

Runs the same pipeline as the web import (same service, same job row, same audit events), in this
process, and prints the same report: every error as row, column, value and reason.

Exit status: 0 when the tape is accepted (or is already the current tape), 1 when it is refused or
the import fails, 2 for a usage error (unknown filing, file, user or mapping).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from assets import services
from assets.errors import DuplicateTapeError, TapeImportError
from assets.models import AssetPool, SavedMapping, TapeKind
from assets.reports import report_lines
from assets.tape import ColumnMapping, MappingError


def _legal_final_maturity(filing: Any) -> dt.date | None:
    dates = [d for d in filing.tranches.values_list("legal_final_maturity", flat=True) if d is not None]
    return max(dates) if dates else None


def _pool(filing: Any) -> AssetPool:
    """The filing's pool, created on first use (the filing is reached by model name: assets does not
    import filings)."""
    if filing.pool_id is not None:
        return filing.pool  # type: ignore[no-any-return]
    with transaction.atomic():
        pool = services.create_pool(organisation=filing.organisation, asset_class=filing.asset_class)
        if not type(filing).objects.filter(pk=filing.pk, pool__isnull=True).update(pool=pool):
            pool.delete()  # created meanwhile by someone else
            filing.refresh_from_db(fields=["pool"])
            return filing.pool  # type: ignore[no-any-return]
    filing.pool = pool
    return pool


class Command(BaseCommand):
    help = (
        "Import an asset tape into a filing's pool and print the report; exit 1 if the tape is refused, "
        "2 for a usage error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the filing reference, e.g. ABST-2026-00001")
        parser.add_argument("file", help="the tape (CSV or XLSX)")
        parser.add_argument("--mapping", help="a column-mapping JSON file (see assets.tape.mapping)")
        parser.add_argument("--saved-mapping", help="the name of a mapping saved by the issuer")
        parser.add_argument(
            "--kind",
            default=TapeKind.ASSETS,
            choices=TapeKind.values,
            help="the table: assets, or history / forecast / debt_service of an income right",
        )
        parser.add_argument(
            "--user", help="the issuer user the import is recorded for (default: the creator)"
        )
        parser.add_argument(
            "--language", default="en", choices=["en", "zh-hans"], help="language of the report"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        filing_model = apps.get_model("filings", "Filing")
        filing = (
            filing_model.objects.select_related("organisation", "created_by")
            .filter(reference=options["reference"].strip())
            .first()
        )
        if filing is None:
            raise CommandError(f"No filing has the reference {options['reference']!r}.", returncode=2)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=2)
        user = filing.created_by
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user is called {options['user']!r}.", returncode=2)
        mapping: dict[str, Any] | None = None
        try:
            if options["mapping"]:
                mapping = ColumnMapping.from_json(Path(options["mapping"])).to_json()
        except (MappingError, OSError) as error:
            raise CommandError(f"The mapping cannot be read: {error}", returncode=2) from None
        if options["saved_mapping"]:
            saved = SavedMapping.objects.filter(
                organisation_id=filing.organisation_id,
                asset_class=filing.asset_class,
                kind=options["kind"],
                name=options["saved_mapping"],
            ).first()
            if saved is None:
                raise CommandError(f"No saved mapping is called {options['saved_mapping']!r}.", returncode=2)
            mapping = saved.mapping
        pool = _pool(filing)
        try:
            with path.open("rb") as handle:
                job = services.start_tape_import(
                    pool_id=pool.pk,
                    upload=handle,
                    kind=options["kind"],
                    mapping=mapping,
                    by=user,
                    cutoff_date=filing.cutoff_date,
                    criteria=filing.criteria_profile or None,
                    legal_final_maturity=_legal_final_maturity(filing),
                    file_name=path.name,
                    enqueue=False,
                )
        except DuplicateTapeError as error:
            self.stdout.write(str(error.user_message))
            if error.existing.is_current:
                return
            raise SystemExit(1) from None
        except TapeImportError as error:
            raise CommandError(str(error.user_message), returncode=2) from None
        self.stderr.write(f"{filing.reference}: importing {path.name} as the {options['kind']} table …")
        services.run_tape_import(job.pk)
        job.refresh_from_db()
        for line in report_lines(job):
            self.stdout.write(line)
        if job.outcome != "accepted":
            sys.stdout.flush()
            raise SystemExit(1)
