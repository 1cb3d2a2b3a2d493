"""Historical performance of a receivable or lease pool, from its monthly table (动态池).

abs-data.md §2.2 C says what prospectuses show, §3 gives the formulas.

Each month *m* gives the opening balance ``B_m``, the amount scheduled to fall due ``S_m`` (当期应收),
the amount collected ``C_m`` (当期实收), the balances 30+/60+/90+ days past due ``DQx_m``, the new
defaults ``D_m``, recoveries ``R_m``, dilution ``L_m`` (credit notes, returns, set-offs) and new
receivables or leases ``O_m``. Per month:

- collection ratio (回款率) ``CR_m = C_m / S_m``;
- delinquency shares (逾期率) ``DQx_m / B_m`` for x = 30, 60, 90;
- monthly default rate ``MDR_m = D_m / B_m`` (a defaulted asset leaves the performing balance, so the
  opening balance is the performing balance at the start of the month) and ``CDR_m = 1 − (1 − MDR_m)^12``;
- dilution ratio (稀释率) ``DR_m = L_m / O_m`` (undefined in a month without originations);
- recovery ratio ``R_m / D_m``.

Summary figures: the 12-month collection ratio ``Σ C / Σ S`` over the last 12 months; the latest and the
highest DQ30+/60+/90+ share; the cumulative default rate ``Σ D / B_first``; the annualised default rate
(CDR from the mean MDR of the last 12 months); the 12-month average dilution ratio (the mean of the
monthly ratios of the last 12 months that have originations); the recovery rate ``Σ R / Σ D``; and DSO
(周转天数) ``B_latest / Σ O × days`` over the last 12 months (days = months × 365 / 12), when there were
originations. Ratios are fractions, rounded as in assets.analytics.common.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from .common import money, ratio, safe_div

WINDOW: Final = 12
FIELDS: Final = (
    "opening_balance",
    "scheduled_due",
    "collected",
    "dq30_balance",
    "dq60_balance",
    "dq90_balance",
    "defaulted_amount",
    "recoveries",
    "dilution_amount",
    "originated_amount",
)


def _amount(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    return float(value if isinstance(value, Decimal | int | float) else Decimal(str(value)))


def _cdr(mdr: float | None) -> float | None:
    return None if mdr is None else 1 - (1 - mdr) ** 12


def monthly_performance(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One dict per month (sorted by period) with the month's amounts and ratios."""
    months = []
    for row in sorted(rows, key=lambda r: str(r["period"])):
        v = {name: _amount(row.get(name)) for name in FIELDS}
        opening = v["opening_balance"]
        mdr = safe_div(v["defaulted_amount"], opening)
        months.append(
            {
                "period": str(row["period"]),
                **{name: money(v[name]) for name in FIELDS},
                "collection_ratio": ratio(safe_div(v["collected"], v["scheduled_due"])),
                "dq30_share": ratio(safe_div(v["dq30_balance"], opening)),
                "dq60_share": ratio(safe_div(v["dq60_balance"], opening)),
                "dq90_share": ratio(safe_div(v["dq90_balance"], opening)),
                "mdr": ratio(mdr),
                "cdr": ratio(_cdr(mdr)),
                "dilution_ratio": ratio(safe_div(v["dilution_amount"], v["originated_amount"])),
                "recovery_ratio": ratio(safe_div(v["recoveries"], v["defaulted_amount"])),
            }
        )
    return months


def _max(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def performance_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The summary figures and the monthly table of a performance history (see the module docstring)."""
    ordered = sorted(rows, key=lambda r: str(r["period"]))
    months = monthly_performance(ordered)
    if not months:
        return {"months": 0, "monthly": []}
    amounts = [{name: _amount(row.get(name)) for name in FIELDS} for row in ordered]
    last = amounts[-WINDOW:]
    window = months[-WINDOW:]
    defaulted = sum(a["defaulted_amount"] for a in amounts)
    originated_12m = sum(a["originated_amount"] for a in last)
    mdr_12m = _mean([m["mdr"] for m in window])
    latest = months[-1]
    return {
        "months": len(months),
        "first_period": months[0]["period"],
        "last_period": latest["period"],
        "window_months": len(window),
        "collection_ratio_12m": ratio(
            safe_div(sum(a["collected"] for a in last), sum(a["scheduled_due"] for a in last))
        ),
        **{f"latest_dq{x}_share": latest[f"dq{x}_share"] for x in (30, 60, 90)},
        **{f"max_dq{x}_share": _max([m[f"dq{x}_share"] for m in months]) for x in (30, 60, 90)},
        "cumulative_default_rate": ratio(safe_div(defaulted, amounts[0]["opening_balance"])),
        "cdr_12m": ratio(_cdr(mdr_12m)),
        "dilution_ratio_12m": ratio(_mean([m["dilution_ratio"] for m in window])),
        "recovery_rate": ratio(safe_div(sum(a["recoveries"] for a in amounts), defaulted)),
        "dso_days": ratio(
            safe_div(last[-1]["opening_balance"] * len(last) * 365 / 12, originated_12m)
            if originated_12m
            else None
        ),
        "monthly": months,
    }
