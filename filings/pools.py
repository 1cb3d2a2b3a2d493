"""The filing's side of its asset pool: the pool itself, the cut-off date and starting a tape import
with the filing's own criteria. Shared by the pool screens and the API, so both do the same thing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from assets import services as pool_services
from assets.criteria import DEFAULT_CRITERIA
from assets.errors import NotAllowedError
from assets.models import AssetPool, TapeImport, TapeUpload
from audit.services import record_event

from .models import Filing
from .rules import can_import_tapes


def ensure_pool(filing: Filing) -> AssetPool:
    """The filing's pool, created on first use (filings made before pools existed have none)."""
    if filing.pool_id is not None:
        return filing.pool  # type: ignore[return-value]
    with transaction.atomic():
        pool = pool_services.create_pool(organisation=filing.organisation, asset_class=filing.asset_class)
        if not Filing.objects.filter(pk=filing.pk, pool__isnull=True).update(pool=pool):
            pool.delete()  # another request created it meanwhile
            filing.refresh_from_db(fields=["pool"])
            return filing.pool  # type: ignore[return-value]
    filing.pool = pool
    return pool


def legal_final_maturity(filing: Filing) -> dt.date | None:
    dates = [d for d in filing.tranches.values_list("legal_final_maturity", flat=True) if d is not None]
    return max(dates) if dates else None


def criteria_of(filing: Filing) -> dict[str, Any]:
    return filing.criteria_profile or DEFAULT_CRITERIA


def set_cutoff_date(*, filing: Filing, cutoff: dt.date, by: Any) -> None:
    """The cut-off date given with a tape becomes the filing's (基准日)."""
    if filing.cutoff_date == cutoff:
        return
    if not can_import_tapes(by, filing):
        raise NotAllowedError()
    with transaction.atomic():
        before = filing.cutoff_date
        Filing.objects.filter(pk=filing.pk).update(cutoff_date=cutoff)
        filing.cutoff_date = cutoff
        record_event(
            action="filing.cutoff_date",
            actor=by,
            subject=filing,
            filing_id=filing.pk,
            data={"before": before.isoformat() if before else None, "after": cutoff.isoformat()},
        )


def start_filing_import(
    *, filing: Filing, upload: TapeUpload, mapping: Mapping[str, Any] | Any | None, by: Any
) -> TapeImport:
    """Start importing a received tape with the filing's cut-off date, criteria and legal final maturity."""
    return pool_services.start_tape_import(
        pool_id=upload.pool_id,
        upload=upload,
        kind=upload.kind,
        mapping=mapping,
        by=by,
        cutoff_date=filing.cutoff_date,
        criteria=criteria_of(filing),
        legal_final_maturity=legal_final_maturity(filing),
    )
