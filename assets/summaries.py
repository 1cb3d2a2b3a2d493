"""The pool figures kept with the pool: analytics of the current tapes, shaped for the pool view, the
pre-flight rules and the dossier (every list bounded, JSON only, stable order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from assets.analytics import income_right_eligibility, income_right_metrics
from assets.analytics.common import money
from assets.analytics.report import PoolReport

MAX_EXCEPTIONS: Final = 200
MAX_MONTHS_CHARTED: Final = 240


def pool_report_stream(
    *,
    asset_class: str,
    criteria: Mapping[str, Any],
    legal_final_maturity: dt.date | None,
    on_ineligible: Callable[[list[dict[str, Any]]], None] | None = None,
) -> PoolReport:
    """An empty PoolReport to feed a pool's assets batch by batch, then hand to pool_analytics.

    It keeps the first MAX_EXCEPTIONS ineligible assets; on_ineligible receives each batch's.
    """
    return PoolReport(
        asset_class=asset_class,
        criteria=criteria,
        legal_final_maturity=legal_final_maturity,
        keep_ineligible=MAX_EXCEPTIONS,
        on_ineligible=on_ineligible,
    )


def pool_analytics(
    columns: Mapping[str, Sequence[Any]] | PoolReport,
    *,
    asset_class: str,
    criteria: Mapping[str, Any],
    legal_final_maturity: dt.date | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Analytics of a receivable, lease or loan pool from its columns (assets.analytics.pool.POOL_FIELDS),
    or from a PoolReport already fed with them (pool_report_stream; its profile is the one used).

    Returns the dict stored on the pool and the ineligible assets ({asset_id, source_row, reasons}):
    all of them from columns, which the caller writes onto the asset rows; from a PoolReport, the ones it
    kept (its on_ineligible saw every batch's).
    """
    if isinstance(columns, PoolReport):
        stream = columns
    else:
        stream = PoolReport(
            asset_class=asset_class, criteria=criteria, legal_final_maturity=legal_final_maturity
        )
        stream.add(columns)
    report = stream.result()
    eligibility = dict(report["eligibility"])
    ineligible = list(eligibility.pop("ineligible"))
    reason_messages = {code: reason["message"] for code, reason in eligibility["reasons"].items()}
    eligibility["ineligible"] = [
        {"asset_id": entry["asset_id"], "source_row": entry["source_row"], "reasons": entry["reasons"]}
        for entry in ineligible[:MAX_EXCEPTIONS]
    ]
    eligibility["ineligible_listed"] = min(eligibility["ineligible_count"], MAX_EXCEPTIONS)
    exceptions = [
        {
            "asset_id": entry["asset_id"],
            "source_row": entry["source_row"],
            "obligor_name": name,
            "outstanding_amount": money(amount) if amount is not None else None,
            "reasons": list(entry["reasons"]),
            "message": " ".join(reason_messages.get(code, code) for code in entry["reasons"]),
        }
        for entry, (name, amount) in zip(ineligible[:MAX_EXCEPTIONS], stream.listed, strict=False)
    ]
    latest, latest_eligible = stream.latest_maturity, stream.latest_eligible_maturity
    analytics: dict[str, Any] = {
        "criteria_version": report["criteria_version"],
        "legal_final_maturity": legal_final_maturity.isoformat() if legal_final_maturity else None,
        "overview": {**report["overview"], "max_maturity_date": latest.isoformat() if latest else None},
        "eligible_overview": {
            **report["eligible_overview"],
            "max_maturity_date": latest_eligible.isoformat() if latest_eligible else None,
        },
        "strata": report["strata"],
        "eligibility": eligibility,
        "pool_checks": report["pool_checks"],
        "stability": report["stability"],
        "exceptions": exceptions,
        "top_obligors": top_obligors(report["strata"]),
    }
    if len(stream.currencies) == 1:
        analytics["currency"] = next(iter(stream.currencies))
    return analytics, ineligible


def top_obligors(strata: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ten largest obligor groups of the obligor-group stratification, ranked."""
    table = strata.get("obligor_groups") or {}
    ranked = [row for row in table.get("rows") or [] if row.get("key") not in (None, "others")]
    return [
        {
            "rank": rank,
            "obligor_group_id": row["key"],
            "name": row["label_zh"] if row["label_zh"] != row["key"] else None,
            "count": row["count"],
            "amount": row["amount"],
            "share": row["amount_share"],
        }
        for rank, row in enumerate(ranked, start=1)
    ]


def income_analytics(
    *,
    toll_assets: Sequence[Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]],
    forecast: Sequence[Mapping[str, Any]],
    debt_service: Sequence[Mapping[str, Any]],
    criteria: Mapping[str, Any],
    legal_final_maturity: dt.date | None,
) -> dict[str, Any]:
    """Analytics of an income right (toll) from its four tables as stored (JSON values)."""
    metrics = income_right_metrics(
        history,
        forecast,
        debt_service,
        toll_assets=toll_assets,
        legal_final_maturity=legal_final_maturity,
        criteria=criteria,
    )
    monthly: dict[str, dict[str, Any]] = {}
    for row in history:
        period = row.get("period")
        if not period:
            continue
        entry = monthly.setdefault(period, {"period": period, "gross_revenue": None, "net_cash_flow": None})
        for key in ("gross_revenue", "net_cash_flow"):
            value = row.get(key)
            if value is not None:
                entry[key] = money((to_money(entry[key]) or 0) + (to_money(value) or 0))
    metrics["monthly"] = [monthly[p] for p in sorted(monthly)][-MAX_MONTHS_CHARTED:]
    eligibility = None
    if toll_assets and legal_final_maturity is not None:
        eligibility = income_right_eligibility(
            toll_assets, history, legal_final_maturity=legal_final_maturity, criteria=criteria
        )
    return {
        "criteria_version": criteria["version"],
        "legal_final_maturity": legal_final_maturity.isoformat() if legal_final_maturity else None,
        "income": metrics,
        "income_eligibility": eligibility,
        "toll_assets": [
            {
                key: asset.get(key)
                for key in (
                    "asset_id",
                    "asset_name",
                    "asset_category",
                    "region_code",
                    "length_km",
                    "toll_period_start",
                    "toll_period_end",
                    "operator_name",
                    "pledged",
                    "escrow_frequency",
                    "operating_since",
                )
            }
            for asset in sorted(toll_assets, key=lambda a: str(a.get("asset_id")))
        ],
    }


def to_money(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def history_cutoff(periods: Iterable[str]) -> dt.date | None:
    """The last day of the last month of a history table: the income right's cut-off date."""
    known = [p for p in periods if p]
    if not known:
        return None
    last = max(known)
    year, month = int(last[:4]), int(last[5:7])
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


_PERFORMANCE_KEYS: Final = (
    "asset_count",
    "total_outstanding",
    "dq1_balance_share",
    "dq31_balance_share",
    "dq61_balance_share",
    "dq91_balance_share",
    "default_balance_share",
    "recovery_rate",
    "dilution_ratio",
)


def tape_summary(overview: Mapping[str, Any]) -> dict[str, Any]:
    """The performance figures of one accepted tape, kept on its import for the history table."""
    return {
        "cutoff_date": overview.get("cutoff_date"),
        **{key: overview.get(key) for key in _PERFORMANCE_KEYS},
    }


def performance_table(summaries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pool performance across the cut-off dates of the accepted tapes, oldest first (the latest import
    of a cut-off date wins), with the pool factor against the first cut-off's balance."""
    by_cutoff: dict[str, Mapping[str, Any]] = {}
    for summary in summaries:
        if summary.get("cutoff_date"):
            by_cutoff[summary["cutoff_date"]] = summary
    rows = [dict(by_cutoff[cutoff]) for cutoff in sorted(by_cutoff)]
    first = to_money(rows[0].get("total_outstanding")) if rows else None
    for row in rows:
        balance = to_money(row.get("total_outstanding"))
        row["pool_factor"] = round(float(balance / first), 6) if first and balance is not None else None
    return rows
