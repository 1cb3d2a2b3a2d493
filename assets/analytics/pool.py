"""Pool overview (资产池总体特征) and concentration metrics, abs-data.md §3 formulas.

All averages are weighted by outstanding balance and taken over active assets only (outstanding > 0 and
status not repaid / repurchased / written off). Terms are whole months rounded up (days / 30.4375); WAL is
in years of 365 days. Without a cash-flow schedule, WAL treats bullet assets (invoices) as paid at
maturity and amortising assets as level-payment annuities at their own rate, paid at the end of each
period, the last payment on the maturity date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from typing import Any, Final

from assets.tape.perf import gc_paused

from .common import (
    INACTIVE_STATUSES,
    columns,
    dates,
    decimals,
    money,
    months_up_all,
    pick,
    ratio,
    safe_div,
    to_date,
    to_decimal,
)

POOL_FIELDS: Final = (
    "asset_id",
    "cutoff_date",
    "obligor_id",
    "obligor_group_id",
    "obligor_name",
    "obligor_type",
    "related_party",
    "industry_code",
    "region_code",
    "currency",
    "origination_date",
    "maturity_date",
    "original_amount",
    "outstanding_amount",
    "interest_rate",
    "payment_frequency",
    "days_past_due",
    "arrears_amount",
    "account_status",
    "risk_class_5",
    "default_amount",
    "recoveries",
    "disputed",
    "encumbered",
    "release_at_transfer",
    "transferable",
    "lease_type",
    "leased_asset_type",
    "registration_no",
    "instalments_paid",
    "total_instalments",
    "invoice_date",
    "due_date",
    "payment_terms_days",
    "goods_delivered",
    "obligor_confirmed",
    "dilution_amount",
    "no_data",
    "source_row",
)
_PERIODS_PER_YEAR: Final = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}
_BULLET: Final = frozenset({"bullet", "irregular", None})


@dataclass
class PoolData:
    """A pool as columns (one list per canonical field), built once and shared by every metric."""

    cutoff: dt.date | None
    cols: dict[str, list[Any]]
    balance: list[Decimal]
    original: list[Decimal]
    group: list[str]
    inactive_excluded: int
    group_balances: dict[str, Decimal] | None = None
    _days: dict[tuple[str, dt.date], list[int | None]] = field(default_factory=dict, repr=False)

    def days_left(self, cutoff: dt.date) -> list[int | None]:
        """Days from the cut-off date to each asset's maturity (None without one); computed once."""
        key = ("left", cutoff)
        if key not in self._days:
            self._days[key] = [None if m is None else (m - cutoff).days for m in self.cols["maturity_date"]]
        return self._days[key]

    def days_aged(self, cutoff: dt.date) -> list[int | None]:
        """Days from each asset's origination to the cut-off date (None without one); computed once."""
        key = ("aged", cutoff)
        if key not in self._days:
            dates = self.cols["origination_date"]
            self._days[key] = [None if o is None else (cutoff - o).days for o in dates]
        return self._days[key]

    def __len__(self) -> int:
        return len(self.balance)

    def subset(self, keep: list[int]) -> PoolData:
        """The same pool restricted to the assets at the given positions."""
        if len(keep) == len(self.balance):
            return self  # positions are ascending and unique, so all of them means the same pool
        cols = {name: pick(values, keep) for name, values in self.cols.items()}
        return PoolData(
            self.cutoff,
            cols,
            pick(self.balance, keep),
            pick(self.original, keep),
            pick(self.group, keep),
            self.inactive_excluded,
        )


# What the analytics accept: canonical row dicts, a mapping of field -> column list, or a built PoolData.
Assets = Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]] | PoolData


@gc_paused()
def pool_data(
    assets: Assets,
    *,
    cutoff_date: dt.date | None = None,
    active_only: bool = True,
) -> PoolData:
    """Columns of the active assets; the cut-off date is the tape's unless given.

    `assets` is an iterable of canonical row dicts, or already columns: a mapping of field -> list (e.g.
    built from a values_list() query), which skips the row-to-column step.
    """
    if isinstance(assets, PoolData):
        return assets
    if isinstance(assets, Mapping):
        size = len(assets["outstanding_amount"])
        cols = {name: list(assets[name]) if name in assets else [None] * size for name in POOL_FIELDS}
    else:
        cols = columns(assets, POOL_FIELDS)
    for name in ("origination_date", "maturity_date", "invoice_date", "due_date"):
        cols[name] = dates(cols[name])
    balance = decimals(cols["outstanding_amount"])
    group = [
        g if g.__class__ is str else str(g if g is not None else o)
        for g, o in zip(cols["obligor_group_id"], cols["obligor_id"], strict=True)
    ]
    cutoff = cutoff_date or next((to_date(v) for v in cols["cutoff_date"] if v is not None), None)
    pool = PoolData(cutoff, cols, balance, decimals(cols["original_amount"]), group, 0)
    if active_only:
        statuses = cols["account_status"]
        keep = [i for i, b in enumerate(balance) if b > 0 and statuses[i] not in INACTIVE_STATUSES]
        if len(keep) < len(balance):
            pool = pool.subset(keep)
            pool.inactive_excluded = len(balance) - len(keep)
    return pool


def obligor_group_balances(pool: PoolData) -> dict[str, Decimal]:
    """Outstanding balance per obligor group (computed once per pool)."""
    if pool.group_balances is None:
        amounts: defaultdict[str, list[Decimal]] = defaultdict(list)
        for key, amount in zip(pool.group, pool.balance, strict=True):
            amounts[key].append(amount)
        pool.group_balances = {key: sum(values, Decimal(0)) for key, values in amounts.items()}
    return pool.group_balances


def note_first_names(names: dict[str, str], pool: PoolData) -> None:
    """Record each obligor group's first non-blank name in the batch, for groups not yet named."""
    if obligor_group_balances(pool).keys() <= names.keys():
        return  # every group of the batch has its name already
    for group, name in zip(pool.group, pool.cols["obligor_name"], strict=True):
        if name and group not in names:
            names[group] = name


def concentration(amounts: Iterable[Decimal | float]) -> dict[str, Any]:
    """Top-1/5/10 shares, HHI = Σ s², N_eff = 1 / HHI over groups with the given amounts."""
    values = sorted((float(a) for a in amounts), reverse=True)
    total = sum(values)
    if total <= 0:
        return {"top1_share": None, "top5_share": None, "top10_share": None, "hhi": None, "n_eff": None}
    shares = [v / total for v in values]
    hhi = sum(s * s for s in shares)
    return {
        "top1_share": ratio(shares[0]),
        "top5_share": ratio(sum(shares[:5])),
        "top10_share": ratio(sum(shares[:10])),
        "hhi": ratio(hhi),
        "n_eff": ratio(1 / hhi),
    }


def _annuity_wal_periods(n: int, rate: float) -> float:
    """Principal-weighted mean payment number of a level-payment annuity of n payments at rate per period."""
    if rate <= 0:
        return (n + 1) / 2
    v = 1 / (1 + rate)
    vn = v**n
    sum_v = v * (1 - vn) / (1 - v)
    sum_jv = v * (1 - (n + 1) * vn + n * vn * v) / (1 - v) ** 2
    return (n + 1) - sum_jv / sum_v


def asset_wal_years(years_to_maturity: float, frequency: str | None, rate: float | None) -> float:
    per_year = _PERIODS_PER_YEAR.get(frequency or "")
    if per_year is None or years_to_maturity <= 0:
        return max(years_to_maturity, 0.0)
    period = 1 / per_year
    n = max(1, math.ceil(years_to_maturity / period - 1e-9))
    return years_to_maturity - n * period + period * _annuity_wal_periods(n, (rate or 0.0) / per_year)


_TERMS: Final = (
    "total_w",
    "rate_weight",
    "rate_sum",
    "term_weight",
    "wart",
    "remaining_days",
    "wal",
    "seasoning_weight",
    "seasoning",
    "original_weight",
    "original_term",
    "dq1",
    "dq31",
    "dq61",
    "dq91",
    "defaulted",
)


def overview_terms(pool: PoolData, cutoff: dt.date | None) -> dict[str, list[float]]:
    """Each asset's term in every balance-weighted sum of the overview (0.0 where it takes no part).

    A running float sum that starts at 0.0 is unchanged by adding 0.0, so summing these lists in asset
    order gives exactly the sums over the assets that take part; the eligible pool sums a subset of the
    same lists instead of computing them again.
    """
    cols = pool.cols
    weights = [float(b) for b in pool.balance]
    rates = [None if r is None else float(r) for r in cols["interest_rate"]]
    origination, maturity = cols["origination_date"], cols["maturity_date"]
    zeros = [0.0] * len(weights)
    terms = dict.fromkeys(_TERMS, zeros)
    terms["total_w"] = weights
    terms["rate_weight"] = [0.0 if r is None else w for w, r in zip(weights, rates, strict=True)]
    terms["rate_sum"] = [0.0 if r is None else w * r for w, r in zip(weights, rates, strict=True)]
    if cutoff is not None:
        days = pool.days_left(cutoff)
        months = months_up_all(days)
        terms["term_weight"] = [0.0 if d is None else w for w, d in zip(weights, days, strict=True)]
        terms["wart"] = [0.0 if m is None else w * m for w, m in zip(weights, months, strict=True)]
        terms["remaining_days"] = [
            w * d if d is not None and d > 0 else 0.0 for w, d in zip(weights, days, strict=True)
        ]
        frequencies = cols["payment_frequency"]
        terms["wal"] = [
            0.0
            if d is None
            else w * ((d / 365 if d > 0 else 0.0) if f in _BULLET else asset_wal_years(d / 365, f, r))
            for w, d, f, r in zip(weights, days, frequencies, rates, strict=True)
        ]
        aged = pool.days_aged(cutoff)
        terms["seasoning_weight"] = [0.0 if a is None else w for w, a in zip(weights, aged, strict=True)]
        terms["seasoning"] = [
            0.0 if m is None else w * m for w, m in zip(weights, months_up_all(aged), strict=True)
        ]
    spans = [
        None if o is None or m is None else (m - o).days for o, m in zip(origination, maturity, strict=True)
    ]
    terms["original_weight"] = [0.0 if t is None else w for w, t in zip(weights, spans, strict=True)]
    terms["original_term"] = [
        0.0 if m is None else w * m for w, m in zip(weights, months_up_all(spans), strict=True)
    ]
    dpd = [d if d is not None else 0 for d in cols["days_past_due"]]
    for x in (1, 31, 61, 91):
        terms[f"dq{x}"] = [w if d >= x else 0.0 for w, d in zip(weights, dpd, strict=True)]
    terms["defaulted"] = [
        w if s == "defaulted" or r in ("substandard", "doubtful", "loss") else 0.0
        for w, s, r in zip(weights, cols["account_status"], cols["risk_class_5"], strict=True)
    ]
    return terms


class Overview:
    """pool_overview fed batch by batch (each batch a PoolData of active assets with the pool's cut-off).

    The state is a running sum per figure plus one balance per obligor group and the set of obligor ids,
    whatever the number of assets. Float sums are added in asset order from 0.0, as one pass over the
    whole pool adds them, and Decimal sums are exact, so any batching gives the same result.
    """

    def __init__(self, cutoff: dt.date | None) -> None:
        self.cutoff = cutoff
        self.count = self.inactive_excluded = 0
        self.total = self.total_original = Decimal(0)
        self.default_amount = self.recoveries = self.dilution = Decimal(0)
        self.defaults_given = self.recoveries_given = self.dilutions_given = 0
        self.max_balance: Decimal | None = None
        self.min_balance: Decimal | None = None
        self.sums = dict.fromkeys(_TERMS, 0.0)
        self.groups: dict[str, Decimal] = {}
        self.obligors: set[Any] = set()

    def add(
        self,
        pool: PoolData,
        *,
        terms: Mapping[str, list[float]] | None = None,
        keep: Sequence[bool] | None = None,
    ) -> None:
        """Add a batch; `terms` (overview_terms of a larger batch) and `keep` (which of its assets are in
        this one) let a subset reuse the terms computed for the whole batch."""
        self.inactive_excluded += pool.inactive_excluded
        if not len(pool):
            return
        cols, balance = pool.cols, pool.balance
        self.count += len(pool)
        self.total = sum(balance, self.total)
        self.total_original = sum(pool.original, self.total_original)
        high, low = max(balance), min(balance)
        self.max_balance = high if self.max_balance is None or high > self.max_balance else self.max_balance
        self.min_balance = low if self.min_balance is None or low < self.min_balance else self.min_balance
        groups = self.groups
        for key, amount in obligor_group_balances(pool).items():
            groups[key] = groups[key] + amount if key in groups else amount
        self.obligors.update(o for o in cols["obligor_id"] if o is not None)
        if terms is None:
            terms = overview_terms(pool, self.cutoff)
        sums = self.sums
        for name, values in terms.items():
            sums[name] = sum(values if keep is None else compress(values, keep), sums[name])
        for name, attribute, given in (
            ("default_amount", "default_amount", "defaults_given"),
            ("recoveries", "recoveries", "recoveries_given"),
            ("dilution_amount", "dilution", "dilutions_given"),
        ):
            amounts = decimals([v for v in cols[name] if v is not None])
            if amounts:
                setattr(self, attribute, sum(amounts, getattr(self, attribute)))
                setattr(self, given, getattr(self, given) + len(amounts))

    def result(self) -> dict[str, Any]:
        """The overview dict (see pool_overview)."""
        n, total, groups, cutoff, t = self.count, self.total, self.groups, self.cutoff, self.sums
        total_w = t["total_w"]
        group_values = list(groups.values())
        return {
            "cutoff_date": cutoff.isoformat() if cutoff else None,
            "asset_count": n,
            "inactive_excluded": self.inactive_excluded,
            "obligor_count": len(self.obligors),
            "obligor_group_count": len(groups),
            "total_original": money(self.total_original),
            "total_outstanding": money(total),
            "avg_outstanding_per_asset": money(total / n) if n else None,
            "max_outstanding_per_asset": money(self.max_balance) if n else None,
            "min_outstanding_per_asset": money(self.min_balance) if n else None,
            "avg_outstanding_per_obligor_group": money(total / len(groups)) if groups else None,
            "max_outstanding_per_obligor_group": money(max(group_values)) if groups else None,
            "wart_months": ratio(safe_div(t["wart"], t["term_weight"])),
            "wa_remaining_days": ratio(safe_div(t["remaining_days"], t["term_weight"])),
            "wa_seasoning_months": ratio(safe_div(t["seasoning"], t["seasoning_weight"])),
            "wa_original_term_months": ratio(safe_div(t["original_term"], t["original_weight"])),
            "wac": ratio(safe_div(t["rate_sum"], t["rate_weight"])),
            "wac_coverage": ratio(safe_div(t["rate_weight"], total_w)),
            "wal_years": ratio(safe_div(t["wal"], t["term_weight"])),
            **concentration(group_values),
            "largest_asset_share": ratio(safe_div(float(self.max_balance or 0), total_w)) if n else None,
            "dq1_balance_share": ratio(safe_div(t["dq1"], total_w)),
            "dq31_balance_share": ratio(safe_div(t["dq31"], total_w)),
            "dq61_balance_share": ratio(safe_div(t["dq61"], total_w)),
            "dq91_balance_share": ratio(safe_div(t["dq91"], total_w)),
            "default_balance_share": ratio(safe_div(t["defaulted"], total_w)),
            "recovery_rate": ratio(safe_div(float(self.recoveries), float(self.default_amount)))
            if self.defaults_given
            else None,
            "dilution_ratio": ratio(safe_div(float(self.dilution), float(self.total_original)))
            if self.dilutions_given
            else None,
        }


@gc_paused()
def pool_overview(assets: Assets, *, cutoff_date: dt.date | None = None) -> dict[str, Any]:
    """The overall-characteristics table of a prospectus (abs-data.md §6.4), as a JSON-serialisable dict.

    Keys: cutoff_date, asset_count, inactive_excluded, obligor_count, obligor_group_count, total_original,
    total_outstanding, avg/max/min_outstanding_per_asset, avg/max_outstanding_per_obligor_group,
    wart_months, wa_remaining_days, wa_seasoning_months, wa_original_term_months, wac, wac_coverage,
    wal_years, top1/top5/top10_share, hhi, n_eff (obligor groups), largest_asset_share,
    dq1/dq31/dq61/dq91_balance_share, default_balance_share, recovery_rate, dilution_ratio.
    """
    pool = pool_data(assets, cutoff_date=cutoff_date)
    overview = Overview(pool.cutoff)
    overview.add(pool)
    return overview.result()


@gc_paused()
def performance_by_cutoff(
    rows: Iterable[Mapping[str, Any]],
    *,
    initial_balance: Decimal | float | None = None,
    default_dpd: int = 90,
) -> list[dict[str, Any]]:
    """Per cut-off date of a historical tape: count, balance, pool factor, DQ and default shares by balance.

    Pool factor = balance / initial_balance (the securitised balance when given, else the first cut-off's).
    DQ shares follow §3: Σ balance with DPD ≥ 1, 31, 61, 91 over Σ balance; default = DPD > default_dpd,
    status defaulted / written off, or 五级分类 substandard or worse.
    """
    by_cutoff: dict[dt.date, list[tuple[Decimal, int | None, str | None, str | None]]] = {}
    fields = ("cutoff_date", "outstanding_amount", "days_past_due", "account_status", "risk_class_5")
    cols = columns(rows, fields)
    for cutoff, balance, dpd, status, risk in zip(*(cols[f] for f in fields), strict=True):
        day = to_date(cutoff)
        if day is not None:
            by_cutoff.setdefault(day, []).append((to_decimal(balance) or Decimal(0), dpd, status, risk))
    result = []
    base = to_decimal(initial_balance) if initial_balance is not None else None
    for cutoff in sorted(by_cutoff):
        entries = by_cutoff[cutoff]
        total = sum((b for b, *_ in entries), Decimal(0))
        if base is None:
            base = total
        weight = float(total)
        share = {
            x: sum(float(b) for b, d, *_ in entries if d is not None and d >= x) for x in (1, 31, 61, 91)
        }
        default = sum(
            float(b)
            for b, d, s, r in entries
            if (d is not None and d > default_dpd)
            or s in ("defaulted", "written_off")
            or r in ("substandard", "doubtful", "loss")
        )
        result.append(
            {
                "cutoff_date": cutoff.isoformat(),
                "asset_count": sum(1 for b, *_ in entries if b > 0),
                "outstanding": money(total),
                "pool_factor": ratio(safe_div(weight, float(base))),
                "dq1_balance_share": ratio(safe_div(share[1], weight)),
                "dq31_balance_share": ratio(safe_div(share[31], weight)),
                "dq61_balance_share": ratio(safe_div(share[61], weight)),
                "dq91_balance_share": ratio(safe_div(share[91], weight)),
                "default_balance_share": ratio(safe_div(default, weight)),
            }
        )
    return result
