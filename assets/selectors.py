"""Reads of asset pools: current tapes, imports, rows, saved mappings, and the pool as snapshot JSON."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Asset, AssetPool, PeriodRow, SavedMapping, TapeImport, TapeKind, TapeUpload
from .storage import read_tape

# Which current tape stands for the pool in the snapshot (and is embedded in the dossier).
_MAIN_KIND_ORDER = (TapeKind.ASSETS, TapeKind.HISTORY, TapeKind.FORECAST, TapeKind.DEBT_SERVICE)
_TOLL_MAIN_KIND_ORDER = (TapeKind.HISTORY, TapeKind.ASSETS, TapeKind.FORECAST, TapeKind.DEBT_SERVICE)


def tape_bytes(sha256: str) -> bytes | None:
    """The original file of an imported tape, from private storage; None if no tape has that hash."""
    if not TapeImport.objects.filter(sha256=sha256).exists():
        return None
    return read_tape(sha256)


def current_tapes(pool: AssetPool | None) -> dict[str, TapeImport]:
    """The tape in force per table (kind)."""
    if pool is None:
        return {}
    return {tape.kind: tape for tape in TapeImport.objects.filter(pool=pool, is_current=True)}


def current_asset_count(pool_id: int) -> int:
    """How many assets the pool's asset table in force holds (0 when none is)."""
    counts = TapeImport.objects.filter(pool_id=pool_id, kind=TapeKind.ASSETS, is_current=True)
    return next(iter(counts.values_list("rows_stored", flat=True)), 0)


def imports_for_pool(pool: AssetPool) -> QuerySet[TapeImport]:
    return TapeImport.objects.filter(pool=pool).select_related("requested_by").order_by("-created_at", "-pk")


def upload_for_pool(pool: AssetPool, upload_id: int) -> TapeUpload:
    return TapeUpload.objects.get(pool=pool, pk=upload_id)


def latest_upload(pool: AssetPool, sha256: str, kind: str) -> TapeUpload | None:
    """The last upload of a file, to map it again after a refused import."""
    return (
        TapeUpload.objects.filter(pool=pool, sha256=sha256, kind=kind).order_by("-created_at", "-pk").first()
    )


def import_for_pool(pool: AssetPool, import_id: int) -> TapeImport:
    return TapeImport.objects.select_related("requested_by").get(pool=pool, pk=import_id)


def assets_of(tape: TapeImport, *, ineligible_only: bool = False) -> QuerySet[Asset]:
    assets = Asset.objects.filter(tape=tape)
    if ineligible_only:
        assets = assets.filter(eligible=False)
    return assets.order_by("source_row")


def periods_of(tape: TapeImport) -> QuerySet[PeriodRow]:
    return PeriodRow.objects.filter(tape=tape).order_by("period", "source_row")


def saved_mappings_for(
    organisation_id: int, asset_class: str, kind: str | None = None
) -> QuerySet[SavedMapping]:
    mappings = SavedMapping.objects.filter(organisation_id=organisation_id, asset_class=asset_class)
    if kind is not None:
        mappings = mappings.filter(kind=kind)
    return mappings.order_by("kind", "name")


def _tape_summary(tape: TapeImport) -> dict[str, Any]:
    return {
        "kind": tape.kind,
        "file_name": tape.file_name,
        "sha256": tape.sha256,
        "size": tape.size,
        "rows": tape.rows_stored,
        "cutoff_date": tape.cutoff_date.isoformat() if tape.cutoff_date else None,
        "imported_at": tape.finished_at.isoformat() if tape.finished_at else None,
        "encoding": (tape.result or {}).get("encoding"),
    }


def main_tape(pool: AssetPool, current: dict[str, TapeImport] | None = None) -> TapeImport | None:
    current = current_tapes(pool) if current is None else current
    order = _TOLL_MAIN_KIND_ORDER if pool.asset_class == "toll_income" else _MAIN_KIND_ORDER
    return next((current[kind] for kind in order if kind in current), None)


def pool_snapshot(pool: AssetPool | None) -> dict[str, Any]:
    """The pool as canonical JSON for the filing's data: the tape in force and the stored analytics.

    Keys: asset_class, tape ({sha256, rows, file_name, cutoff_date, kind, …} or None), tapes (every
    current table), criteria_version, computed_at and the analytics (overview, eligible_overview, strata,
    eligibility, pool_checks, stability, exceptions ≤ 200, top_obligors for pools; income,
    income_eligibility, toll_assets for income rights).
    """
    if pool is None:
        return {"asset_class": None, "tape": None, "tapes": []}
    current = current_tapes(pool)
    main = main_tape(pool, current)
    order = {kind: position for position, kind in enumerate(TapeKind.values)}
    data: dict[str, Any] = {
        "asset_class": pool.asset_class,
        "tape": _tape_summary(main) if main is not None else None,
        "tapes": [_tape_summary(current[kind]) for kind in sorted(current, key=order.__getitem__)],
    }
    if main is not None:
        data["tape"]["asset_class"] = pool.asset_class
        data["computed_at"] = pool.analytics_computed_at.isoformat() if pool.analytics_computed_at else None
        data.update(pool.analytics or {})
    return data
